import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpec } from '../../src/language';

const CANONICAL = `# Cat classifier from the course (comments start with #)
network "cat classifier"
input 12288                 # n_x; \`input 64x64x3\` means the same, flattened
dense 20 relu               # one hidden layer per line: units, activation
dense 7 relu
dense 5 relu
dense 1 sigmoid             # the last dense layer is the output layer
loss binary_cross_entropy

data train "train_catvnoncat.h5" x=train_set_x y=train_set_y scale=1/255
data test  "test_catvnoncat.h5"  x=test_set_x  y=test_set_y  scale=1/255

init xavier                 # zeros | random 0.01 | xavier | he
seed 1
learning_rate 0.0075
iterations 2500
`;

function codes(text: string): string[] {
  return parseSpec(text).diagnostics.map((d) => d.code);
}

describe('parser: the canonical spelling', () => {
  const parsed = parseSpec(CANONICAL);

  it('parses the canonical example without diagnostics', () => {
    assert.deepEqual(parsed.diagnostics, []);
  });

  it('builds the network spec', () => {
    const { spec } = parsed;
    assert.equal(spec.name, 'cat classifier');
    assert.equal(spec.inputSize, 12288);
    assert.deepEqual(spec.layers, [
      { units: 20, activation: 'relu' },
      { units: 7, activation: 'relu' },
      { units: 5, activation: 'relu' },
      { units: 1, activation: 'sigmoid' },
    ]);
    assert.equal(spec.loss, 'binary_cross_entropy');
    assert.deepEqual(spec.init, { kind: 'xavier' });
    assert.equal(spec.seed, 1);
    assert.equal(spec.learningRate, 0.0075);
    assert.equal(spec.iterations, 2500);
    assert.equal(spec.printEvery, 100);
  });

  it('reads data lines with keys and a fractional scale', () => {
    assert.deepEqual(parsed.spec.train, {
      kind: 'file',
      split: 'train',
      path: 'train_catvnoncat.h5',
      x: 'train_set_x',
      y: 'train_set_y',
      label: undefined,
      scale: 1 / 255,
    });
    assert.equal(parsed.spec.test?.kind, 'file');
    assert.equal((parsed.spec.test as { path: string }).path, 'test_catvnoncat.h5');
  });

  it('keeps exact token ranges for layers', () => {
    const layer2 = parsed.layers[1];
    assert.equal(layer2.index, 2);
    assert.equal(layer2.statement.line, 4);
    assert.deepEqual([layer2.unitsToken?.start, layer2.unitsToken?.end], [6, 7]);
    assert.deepEqual([layer2.activationToken?.start, layer2.activationToken?.end], [8, 12]);
    assert.deepEqual(parsed.layers[0].statement.comment, {
      text: '# one hidden layer per line: units, activation',
      start: 28,
    });
  });

  it('treats `input 64x64x3` as 12288 flattened', () => {
    const p = parseSpec('input 64x64x3\ndense 1 sigmoid\n');
    assert.equal(p.spec.inputSize, 12288);
    assert.deepEqual(p.spec.inputDims, [64, 64, 3]);
    assert.deepEqual(p.diagnostics, []);
  });

  it('applies defaults when settings are absent', () => {
    const p = parseSpec('input 2\ndense 1 sigmoid\n');
    assert.deepEqual(p.spec.init, { kind: 'random', scale: 0.01 });
    assert.equal(p.spec.loss, 'binary_cross_entropy');
    assert.equal(p.spec.learningRate, 0.0075);
    assert.equal(p.spec.iterations, 2500);
    assert.equal(p.spec.seed, 1);
  });

  it('parses every init scheme', () => {
    assert.deepEqual(parseSpec('init zeros').spec.init, { kind: 'zeros' });
    assert.deepEqual(parseSpec('init random').spec.init, { kind: 'random', scale: 0.01 });
    assert.deepEqual(parseSpec('init random 0.5').spec.init, { kind: 'random', scale: 0.5 });
    assert.deepEqual(parseSpec('init he').spec.init, { kind: 'he' });
    assert.deepEqual(parseSpec('init xavier').spec.init, { kind: 'xavier' });
  });

  it('parses generated data sets with defaults per split', () => {
    const p = parseSpec('data train flower\ndata test spiral m=100 noise=0.1 seed=7\n');
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(p.spec.train, { kind: 'generated', split: 'train', generator: 'flower', m: 400, noise: undefined, seed: 1, scale: 1 });
    assert.deepEqual(p.spec.test, { kind: 'generated', split: 'test', generator: 'spiral', m: 100, noise: 0.1, seed: 7, scale: 1 });
  });

  it('reads CSV label columns and quoted values', () => {
    const p = parseSpec('data train "my data.csv" label="is cat"\n');
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.spec.train?.kind, 'file');
    assert.equal((p.spec.train as { path: string }).path, 'my data.csv');
    assert.equal((p.spec.train as { label?: string }).label, 'is cat');
  });

  it('accepts print_every, loss mse and scientific notation', () => {
    const p = parseSpec('loss mse\nprint_every 50\nlearning_rate 1e-3\n');
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.spec.loss, 'mse');
    assert.equal(p.spec.printEvery, 50);
    assert.equal(p.spec.learningRate, 0.001);
  });

  it('handles CRLF line endings', () => {
    const p = parseSpec('input 2\r\ndense 3 tanh\r\ndense 1 sigmoid\r\n');
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.layers[0].activationToken?.end, 12);
  });
});

describe('parser: errors and recovery', () => {
  it('gives one diagnostic for one bad line and understands the rest', () => {
    const p = parseSpec('input 2\ndens 4 tanh\ndense 4 tanh\ndense 1 sigmoid\nlearning_rate 0.5\n');
    assert.equal(p.diagnostics.length, 1);
    const d = p.diagnostics[0];
    assert.equal(d.code, 'nnspec-unknown-statement');
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
    assert.match(d.message, /Did you mean 'dense'\?/);
    assert.deepEqual(d.fixes?.[0].edits, [{ range: d.range, newText: 'dense' }]);
    assert.equal(p.spec.layers.length, 2);
    assert.equal(p.spec.learningRate, 0.5);
  });

  it('suggests the closest activation, loss and init', () => {
    const p = parseSpec('dense 4 rleu\nloss binary\ninit xavir\n');
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.message]),
      [
        ['nnspec-unknown-activation', "Unknown activation 'rleu'. Did you mean 'relu'?"],
        ['nnspec-unknown-loss', "Unknown loss 'binary'. Did you mean 'binary_cross_entropy'?"],
        ['nnspec-unknown-init', "Unknown init scheme 'xavir'. Did you mean 'xavier'?"],
      ],
    );
    assert.deepEqual(p.diagnostics[0].range, { start: { line: 0, character: 8 }, end: { line: 0, character: 12 } });
  });

  it('lists the choices when nothing is close', () => {
    const p = parseSpec('dense 4 softmax\n');
    assert.equal(p.diagnostics[0].message, "Unknown activation 'softmax'. Expected one of: sigmoid, tanh, relu, leaky_relu, linear.");
    assert.equal(p.diagnostics[0].fixes, undefined);
  });

  it('rejects units that are not positive whole numbers, on the units token', () => {
    for (const [text, start, end] of [
      ['dense 0 relu', 6, 7],
      ['dense -3 relu', 6, 8],
      ['dense 2.5 relu', 6, 9],
      ['dense many relu', 6, 10],
    ] as const) {
      const p = parseSpec(text);
      assert.deepEqual(codes(text), ['nnspec-invalid-units'], text);
      assert.deepEqual(p.diagnostics[0].range, { start: { line: 0, character: start }, end: { line: 0, character: end } }, text);
    }
  });

  it('checks the learning rate, iterations, seed and print_every', () => {
    assert.deepEqual(codes('learning_rate -1'), ['nnspec-invalid-learning-rate']);
    assert.deepEqual(codes('learning_rate 0'), ['nnspec-invalid-learning-rate']);
    assert.deepEqual(codes('learning_rate fast'), ['nnspec-invalid-learning-rate']);
    assert.deepEqual(codes('learning_rate 1/0'), ['nnspec-invalid-learning-rate']);
    assert.deepEqual(codes('iterations 10.5'), ['nnspec-invalid-iterations']);
    assert.deepEqual(codes('iterations 0'), ['nnspec-invalid-iterations']);
    assert.deepEqual(codes('seed -1'), ['nnspec-invalid-seed']);
    assert.deepEqual(codes('seed 4294967296'), ['nnspec-invalid-seed']);
    assert.deepEqual(codes('print_every 0'), ['nnspec-invalid-print-every']);
    assert.deepEqual(codes('init random -2'), ['nnspec-invalid-init-scale']);
  });

  it('reports a missing argument on the statement', () => {
    const p = parseSpec('dense\ndense 3\nloss\ninput\n');
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.range.start.line]),
      [
        ['nnspec-missing-argument', 0],
        ['nnspec-missing-argument', 1],
        ['nnspec-missing-argument', 2],
        ['nnspec-missing-argument', 3],
      ],
    );
    assert.match(p.diagnostics[1].message, /Missing the activation/);
  });

  it('reports extra arguments on exactly the extra tokens', () => {
    const p = parseSpec('dense 3 relu extra words');
    assert.equal(p.diagnostics[0].code, 'nnspec-extra-argument');
    assert.deepEqual(p.diagnostics[0].range, { start: { line: 0, character: 13 }, end: { line: 0, character: 24 } });
  });

  it('reports an unterminated string and goes on', () => {
    const p = parseSpec('data train "oops.csv\ninput 2\n');
    assert.deepEqual(codes('data train "oops.csv\ninput 2\n'), ['nnspec-unterminated-string']);
    assert.equal(p.spec.inputSize, 2);
  });

  it('checks data keys, formats and generated set names', () => {
    const p = parseSpec('data train "a.csv" lable=y\n');
    assert.equal(p.diagnostics[0].code, 'nnspec-unknown-key');
    assert.equal(p.diagnostics[0].message, "Unknown data file key 'lable'. Did you mean 'label'?");
    assert.deepEqual(p.diagnostics[0].range, { start: { line: 0, character: 19 }, end: { line: 0, character: 24 } });
    assert.deepEqual(codes('data train "a.txt"'), ['nnspec-unknown-format']);
    assert.deepEqual(codes('data train "a.h5" x=X'), ['nnspec-missing-dataset-key']);
    assert.deepEqual(codes('data train spirals'), ['nnspec-unknown-generator']);
    assert.deepEqual(codes('data validation "a.csv"'), ['nnspec-unknown-split']);
    assert.deepEqual(codes('data train "a.csv" scale=0'), ['nnspec-invalid-value']);
    assert.deepEqual(codes('data train flower m=0'), ['nnspec-invalid-value']);
    assert.deepEqual(codes('data train "a.csv" 5'), ['nnspec-expected-key-value']);
  });

  it('warns about a statement set twice, on the line that is ignored', () => {
    const p = parseSpec('learning_rate 0.1\nlearning_rate 0.2\n');
    assert.deepEqual(codes('learning_rate 0.1\nlearning_rate 0.2\n'), ['nnspec-duplicate-statement']);
    assert.equal(p.diagnostics[0].range.start.line, 0);
    assert.equal(p.diagnostics[0].severity, 'warning');
    assert.equal(p.spec.learningRate, 0.2);
  });

  it('keeps malformed layers out of the spec but in the layer list', () => {
    const p = parseSpec('input 2\ndense 3 bogus\ndense 1 sigmoid\n');
    assert.equal(p.layers.length, 2);
    assert.equal(p.spec.layers.length, 1);
  });

  it('ignores blank lines and full-line comments', () => {
    const p = parseSpec('\n   \n# just a comment\n  # indented comment\n');
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.statements.length, 0);
  });
});
