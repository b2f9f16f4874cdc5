import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { applyTextEdits, parseSpec } from '../../../src/language';
import { splitLines } from '../../../src/language/scanner';

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

describe('scanner: white space, line ends and escapes', () => {
  const SPACES: [string, string][] = [
    ['byte order mark', '\ufeff'],
    ['no-break space', '\u00a0'],
    ['form feed', '\f'],
    ['vertical tab', '\v'],
    ['ideographic space', '\u3000'],
  ];

  // Scanned in a child process with a small heap and a time limit: a scanner that stops
  // advancing on one of these characters pushes empty tokens until it runs out of memory, which
  // must fail these tests rather than hang or crash the test run.
  let results: Record<string, { tokens: [string, number, number][]; comment?: number; input?: number; layers: unknown; codes: string[] }> | undefined;
  let failure = '';
  before(() => {
    const script = `
      const { parseSpec } = require('./src/language/parser');
      const { scanLine } = require('./src/language/scanner');
      const cases = ${JSON.stringify(SPACES)};
      cases.push(['BOM-prefixed canonical file', null]);
      const out = {};
      for (const [name, ch] of cases) {
        const text = ch === null
          ? '\\ufeff' + ${JSON.stringify(CANONICAL)}
          : 'input' + ch + '2' + ch + ch + '# c\\ndense' + ch + '4' + ch + 'tanh' + ch + '\\n' + ch + 'dense 1 sigmoid' + ch + '# out\\n';
        const scanned = scanLine(text.split('\\n')[0], 0);
        const p = parseSpec(text);
        out[name] = {
          tokens: scanned.tokens.map((t) => [t.text, t.start, t.end]),
          comment: scanned.comment && scanned.comment.start,
          input: p.spec.inputSize,
          layers: p.spec.layers,
          codes: p.diagnostics.map((d) => d.code),
        };
      }
      process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', '-e', script], {
      cwd: path.join(__dirname, '..', '..', '..'),
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status === 0) results = JSON.parse(r.stdout);
    else failure = `the parse did not finish (status ${r.status}, ${r.signal ?? 'no signal'}): ${r.stderr.slice(-400)}`;
  });

  for (const [name, ch] of SPACES) {
    it(`a ${name} separates tokens: \`input${ch}2\` gives the input size, with exact columns`, () => {
      assert.ok(results, failure);
      const r = results[name];
      assert.deepEqual(r.tokens, [['input', 0, 5], ['2', 6, 7]]);
      assert.equal(r.comment, 9);
      assert.equal(r.input, 2);
      assert.deepEqual(r.layers, [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }]);
      assert.deepEqual(r.codes, []);
    });
  }

  it('a file that starts with a byte order mark parses clean', () => {
    assert.ok(results, failure);
    const r = results['BOM-prefixed canonical file'];
    assert.deepEqual(r.codes, []);
    // line 0 is the header comment: the BOM is skipped, the comment starts after it
    assert.deepEqual(r.tokens, []);
    assert.equal(r.comment, 1);
    assert.equal(r.input, 12288);
    assert.equal((r.layers as unknown[]).length, 4);
  });

  it('a lone CR ends a line, as in VS Code', () => {
    assert.deepEqual(splitLines('a\rb\r\nc\nd'), ['a', 'b', 'c', 'd']);
    const p = parseSpec('input 2\rdense 4 rleu\rdense 1 sigmoid\r');
    assert.deepEqual(p.spec.inputSize, 2);
    assert.deepEqual(p.layers.map((l) => l.statement.line), [1, 2]);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range]), [
      ['nnspec-unknown-activation', { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } }],
    ]);
  });

  it('keeps a backslash unless it escapes a quote or a backslash', () => {
    const file = (text: string) => (parseSpec(text).spec.train as { path?: string; label?: string } | undefined);
    assert.equal(file('data train "data\\flower.csv"')?.path, 'data\\flower.csv');
    assert.equal(file('data train "C:\\new\\t.csv"')?.path, 'C:\\new\\t.csv');
    assert.equal(file('data train "say \\"hi\\".csv"')?.path, 'say "hi".csv');
    assert.equal(file('data train "a\\\\b.csv"')?.path, 'a\\b.csv');
    assert.equal(file('data train "a.csv" label="is\\cat"')?.label, 'is\\cat');
    assert.equal(file('data train "a.csv" label="is \\"cat\\""')?.label, 'is "cat"');
  });
});

describe('parser: one diagnostic per bad line', () => {
  const diags = (text: string) => parseSpec(text).diagnostics;

  it('reports only the first problem of a line, left to right', () => {
    for (const [text, code, start, end] of [
      ['dense four tahn', 'nnspec-invalid-units', 6, 10],
      ['dense x', 'nnspec-invalid-units', 6, 7],
      ['dense 4 tahn extra', 'nnspec-unknown-activation', 8, 12],
      ['input abc extra', 'nnspec-invalid-input', 6, 9],
      ['data train "a.csv" 5 lable=y', 'nnspec-expected-key-value', 19, 20],
      ['data train "a.csv" lable=y scale=0', 'nnspec-unknown-key', 19, 24],
      ['data train "a.txt" lable=y', 'nnspec-unknown-format', 11, 18],
      ['data train spirals m=0', 'nnspec-unknown-generator', 11, 18],
      ['data train "a.h5" scale=0', 'nnspec-invalid-value', 24, 25],
    ] as const) {
      const d = diags(text);
      assert.deepEqual(
        d.map((x) => [x.code, x.range.start.character, x.range.end.character]),
        [[code, start, end]],
        text,
      );
    }
  });

  it('an HDF5 file without x= and y= gives one error naming both', () => {
    const d = diags('data train "x.h5"');
    assert.equal(d.length, 1);
    assert.equal(d[0].code, 'nnspec-missing-dataset-key');
    assert.deepEqual(d[0].range, { start: { line: 0, character: 11 }, end: { line: 0, character: 17 } });
    assert.match(d[0].message, /x=DATASET and y=DATASET/);
    const onlyY = diags('data train "x.h5" x=train_set_x');
    assert.equal(onlyY.length, 1);
    assert.match(onlyY[0].message, /y=DATASET/);
    assert.doesNotMatch(onlyY[0].message, /x=DATASET/);
  });

  it('spaces around = give one error with a quick fix that removes them', () => {
    for (const [options, start, end, fixed] of [
      ['scale = 1/255', 24, 37, 'scale=1/255'],
      ['scale= 1/255', 24, 36, 'scale=1/255'],
      ['scale =1/255', 24, 36, 'scale=1/255'],
      ['label = "is cat"', 24, 40, 'label="is cat"'],
      ['label= last', 24, 35, 'label=last'],
    ] as const) {
      const text = `data train "flower.csv" ${options}`;
      const d = diags(text);
      assert.deepEqual(d.map((x) => x.code), ['nnspec-key-value-spaces'], text);
      assert.deepEqual(d[0].range, { start: { line: 0, character: start }, end: { line: 0, character: end } }, text);
      assert.equal(d[0].fixes?.length, 1, text);
      const after = applyTextEdits(text, d[0].fixes![0].edits);
      assert.equal(after, `data train "flower.csv" ${fixed}`, text);
      assert.deepEqual(diags(after), [], after);
    }
    // also after a good pair, and on generated sets
    assert.deepEqual(diags('data train "a.h5" x=a y=b scale = 2').map((x) => x.code), ['nnspec-key-value-spaces']);
    assert.deepEqual(diags('data train flower m = 100').map((x) => x.code), ['nnspec-key-value-spaces']);
  });

  it('never suggests a key for an empty one', () => {
    for (const text of ['data train "a.csv" =1/255', 'data train "a.csv" =', 'data train "a.csv" scale = 1/255', 'data train flower =3']) {
      const d = diags(text);
      assert.equal(d.length, 1, text);
      assert.doesNotMatch(d[0].message, /key ''/, text);
      assert.notEqual(d[0].code, 'nnspec-unknown-key', text);
    }
    assert.equal(diags('data train "a.csv" =1/255')[0].code, 'nnspec-expected-key-value');
  });

  it('a key without a value is an error on the value', () => {
    const d = diags('data train "a.h5" x= y=b');
    assert.deepEqual(d.map((x) => [x.code, x.range.start.character, x.range.end.character]), [['nnspec-invalid-value', 20, 20]]);
  });

  it('warns that label= is ignored on an HDF5 file, and x=/y= on a CSV file', () => {
    const h5 = diags('data train "a.h5" x=a y=b label=c');
    assert.deepEqual(h5.map((x) => [x.code, x.severity, x.range.start.character, x.range.end.character]), [['nnspec-unused-key', 'warning', 26, 33]]);
    const csv = diags('data train "a.csv" y=c');
    assert.deepEqual(csv.map((x) => [x.code, x.severity, x.range.start.character, x.range.end.character]), [['nnspec-unused-key', 'warning', 19, 22]]);
    assert.deepEqual(diags('data train "a.csv" label=c'), []);
  });
});

describe('parser: sanity bounds', () => {
  const codesOf = (text: string) => parseSpec(text).diagnostics.map((d) => d.code);

  it('rejects an input size above 1,000,000', () => {
    const huge = parseSpec('input 99999999999999999999');
    assert.deepEqual(huge.diagnostics.map((d) => [d.code, d.range.start.character, d.range.end.character]), [['nnspec-invalid-input', 6, 26]]);
    assert.match(huge.diagnostics[0].message, /1,000,000/);
    assert.equal(huge.spec.inputSize, undefined);
    assert.deepEqual(codesOf('input 1000001'), ['nnspec-invalid-input']);
    assert.deepEqual(codesOf('input 1000x1000x3'), ['nnspec-invalid-input']);
    assert.equal(parseSpec('input 1000x1000x3').spec.inputSize, undefined);
    assert.equal(parseSpec('input 1000000').spec.inputSize, 1_000_000);
    assert.equal(parseSpec('input 1000x1000x1').spec.inputSize, 1_000_000);
  });

  it('rejects more than 1,000,000 units and more than 100,000,000 iterations', () => {
    assert.deepEqual(codesOf('dense 1000001 relu'), ['nnspec-invalid-units']);
    assert.equal(parseSpec('dense 1e7 relu').layers[0].units, undefined);
    assert.equal(parseSpec('dense 1000000 relu').layers[0].units, 1_000_000);
    assert.deepEqual(codesOf('iterations 100000001'), ['nnspec-invalid-iterations']);
    assert.equal(parseSpec('iterations 100000001').spec.iterations, 2500);
    assert.equal(parseSpec('iterations 100000000').spec.iterations, 100_000_000);
  });
});

describe('parser: a statement given twice', () => {
  it('a later line with an error does not take over, and the earlier is not marked ignored', () => {
    const p = parseSpec('input 2\ninput abc\ndense 1 sigmoid\n');
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.line]), [['nnspec-invalid-input', 1]]);
    assert.equal(p.spec.inputSize, 2);
    assert.equal(p.single.input?.line, 0);
    // a partly readable later line (the value parses, an extra word does not) does not count either
    const q = parseSpec('learning_rate 0.1\nlearning_rate 0.5 fast\n');
    assert.deepEqual(q.diagnostics.map((d) => [d.code, d.range.start.line]), [['nnspec-extra-argument', 1]]);
    assert.equal(q.spec.learningRate, 0.1);
  });

  it('a clean later line takes over from an earlier one with an error, without a second diagnostic there', () => {
    const p = parseSpec('input abc\ninput 3\n');
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.line]), [['nnspec-invalid-input', 0]]);
    assert.equal(p.spec.inputSize, 3);
    assert.equal(p.single.input?.line, 1);
  });

  it('a clean later line takes over and marks the earlier one unnecessary', () => {
    const p = parseSpec('input 64x64x3\ninput 2\n');
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.unnecessary]), [
      ['nnspec-duplicate-statement', 'warning', 0, true],
    ]);
    assert.equal(p.spec.inputSize, 2);
    assert.equal(p.spec.inputDims, undefined);
  });

  it('data lines follow the same rule, and the duplicate is marked unnecessary', () => {
    const twice = parseSpec('data train flower\ndata train spiral\n');
    assert.deepEqual(twice.diagnostics.map((d) => [d.code, d.range.start.line, d.unnecessary]), [['nnspec-duplicate-statement', 0, true]]);
    assert.equal((twice.spec.train as { generator: string }).generator, 'spiral');
    const bad = parseSpec('data train flower\ndata train "x.h5"\n');
    assert.deepEqual(bad.diagnostics.map((d) => [d.code, d.range.start.line]), [['nnspec-missing-dataset-key', 1]]);
    assert.equal((bad.spec.train as { generator: string }).generator, 'flower');
    assert.equal(bad.data.train?.statement.line, 0);
  });
});
