import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTextEdits, editToTextEdits, parseSpec, type TextEdit } from '../../../src/language';
import type { NetworkEdit } from '../../../src/shared/model/edits';

/** The edits for one action and the text they produce. */
function run(text: string, edit: NetworkEdit, eol = '\n'): { edits: TextEdit[]; result: string } {
  const edits = editToTextEdits(parseSpec(text), edit, { eol });
  return { edits, result: applyTextEdits(text, edits) };
}

function at(line: number, start: number, endLine: number, end: number, newText: string): TextEdit {
  return { range: { start: { line, character: start }, end: { line: endLine, character: end } }, newText };
}

// aligned columns and trailing comments, as the formatter writes them
const ALIGNED = `# planar classifier
network "flower"
input 2            # two features
dense 4  tanh      # hidden
dense 1  sigmoid   # output
loss binary_cross_entropy

init random 0.01
learning_rate 1.2
iterations 10000
`;

// hand-written: single spaces, tabs, a comment between layers, no trailing newline
const PLAIN = `input 12288
dense 20 relu
# the middle
dense 7 relu
  dense 1 sigmoid # out`;

describe('editToTextEdits: setUnits / setActivation', () => {
  it('replaces only the units token', () => {
    const { edits, result } = run(PLAIN, { op: 'setUnits', layer: 2, units: 9 });
    assert.deepEqual(edits, [at(3, 6, 3, 7, '9')]);
    assert.equal(result, PLAIN.replace('dense 7 relu', 'dense 9 relu'));
  });

  it('keeps the activation column of an aligned layer', () => {
    const { edits, result } = run(ALIGNED, { op: 'setUnits', layer: 1, units: 16 });
    assert.deepEqual(edits, [at(3, 6, 3, 9, '16 ')]);
    assert.ok(result.includes('dense 16 tanh      # hidden\n'));
  });

  it('falls back to one space when the new units do not fit the column', () => {
    const { result } = run(ALIGNED, { op: 'setUnits', layer: 2, units: 12288 });
    assert.ok(result.includes('dense 12288 sigmoid   # output\n'), result);
  });

  it('replaces only the activation token and keeps the comment column', () => {
    // same length: just the token
    assert.deepEqual(run(ALIGNED, { op: 'setActivation', layer: 1, activation: 'relu' }).edits, [at(3, 9, 3, 13, 'relu')]);
    // shorter: padding grows so the comment stays in its column
    assert.deepEqual(run(ALIGNED, { op: 'setActivation', layer: 2, activation: 'tanh' }).edits, [at(4, 9, 4, 19, 'tanh      ')]);
    // too long for the column: one space before the comment
    const { edits, result } = run(ALIGNED, { op: 'setActivation', layer: 1, activation: 'leaky_relu' });
    assert.deepEqual(edits, [at(3, 9, 3, 19, 'leaky_relu ')]);
    assert.ok(result.includes('dense 4  leaky_relu # hidden\n'), result);
    // everything else untouched
    assert.equal(result.replace('dense 4  leaky_relu # hidden', 'dense 4  tanh      # hidden'), ALIGNED);
  });

  it('edits the last layer of a file without a final newline, keeping its indentation and comment', () => {
    const { edits, result } = run(PLAIN, { op: 'setActivation', layer: 3, activation: 'tanh' });
    assert.deepEqual(edits, [at(4, 10, 4, 17, 'tanh')]);
    assert.ok(result.endsWith('  dense 1 tanh # out'));
  });

  it('adds a missing activation after the units', () => {
    const { result } = run('input 2\ndense 3\n', { op: 'setActivation', layer: 1, activation: 'relu' });
    assert.equal(result, 'input 2\ndense 3 relu\n');
  });

  it('drops an edit that changes nothing (no empty undo step)', () => {
    assert.deepEqual(run(ALIGNED, { op: 'setUnits', layer: 1, units: 4 }).edits, []);
  });

  it('rejects a layer that does not exist', () => {
    assert.throws(() => run(ALIGNED, { op: 'setUnits', layer: 3, units: 4 }), /no layer 3/);
  });
});

describe('editToTextEdits: adding, removing and moving layers', () => {
  it('inserts one line after the previous layer, in its columns', () => {
    const { edits, result } = run(ALIGNED, { op: 'addLayer', at: 2, units: 3, activation: 'relu' });
    assert.deepEqual(edits, [at(3, 27, 3, 27, '\ndense 3  relu')]);
    assert.ok(result.includes('dense 4  tanh      # hidden\ndense 3  relu\ndense 1  sigmoid   # output\n'));
  });

  it('adds a first layer before layer 1 and a last layer after the output layer', () => {
    const first = run(PLAIN, { op: 'addLayer', at: 1, units: 64, activation: 'relu' });
    assert.deepEqual(first.edits, [at(1, 0, 1, 0, 'dense 64 relu\n')]);
    const last = run(PLAIN, { op: 'addLayer', at: 4, units: 1, activation: 'sigmoid' });
    assert.equal(last.result, PLAIN + '\n  dense 1 sigmoid');
  });

  it('uses the document line ending', () => {
    const text = 'input 2\r\ndense 4 tanh\r\ndense 1 sigmoid\r\n';
    assert.equal(run(text, { op: 'addLayer', at: 2, units: 5, activation: 'relu' }, '\r\n').result, 'input 2\r\ndense 4 tanh\r\ndense 5 relu\r\ndense 1 sigmoid\r\n');
  });

  it('adds the first layer of a spec without layers after the input line', () => {
    const { result } = run('network "x"\ninput 2   # n_x\n\nseed 3\n', { op: 'addLayer', at: 1, units: 1, activation: 'sigmoid' });
    assert.equal(result, 'network "x"\ninput 2   # n_x\ndense 1 sigmoid\n\nseed 3\n');
  });

  it('removes exactly the layer line, its comment with it', () => {
    const { edits, result } = run(ALIGNED, { op: 'removeLayer', layer: 1 });
    assert.deepEqual(edits, [at(3, 0, 4, 0, '')]);
    assert.equal(result, ALIGNED.replace('dense 4  tanh      # hidden\n', ''));
  });

  it('removes the last line of a file without a final newline', () => {
    const { edits, result } = run(PLAIN, { op: 'removeLayer', layer: 3 });
    assert.deepEqual(edits, [at(3, 12, 4, 23, '')]);
    assert.equal(result, 'input 12288\ndense 20 relu\n# the middle\ndense 7 relu');
  });

  it('moves a layer down with its trailing comment, leaving other lines alone', () => {
    const { result } = run(ALIGNED, { op: 'moveLayer', from: 1, to: 2 });
    assert.equal(
      result,
      ALIGNED.replace('dense 4  tanh      # hidden\ndense 1  sigmoid   # output', 'dense 1  sigmoid   # output\ndense 4  tanh      # hidden'),
    );
  });

  it('moves a layer up across a comment line; the comment line stays', () => {
    const { edits, result } = run(PLAIN, { op: 'moveLayer', from: 3, to: 1 });
    assert.equal(edits.length, 2);
    assert.equal(result, 'input 12288\n  dense 1 sigmoid # out\ndense 20 relu\n# the middle\ndense 7 relu');
  });

  it('moving a layer onto itself is no edit', () => {
    assert.deepEqual(run(PLAIN, { op: 'moveLayer', from: 2, to: 2 }).edits, []);
  });

  it('the parsed result of a move has the layers in the new order', () => {
    const { result } = run(PLAIN, { op: 'moveLayer', from: 1, to: 3 });
    assert.deepEqual(
      parseSpec(result).spec.layers.map((l) => l.units),
      [7, 1, 20],
    );
  });
});

describe('editToTextEdits: settings', () => {
  it('replaces the value of an existing setting only', () => {
    const { edits } = run(ALIGNED, { op: 'setLearningRate', learningRate: 0.0075 });
    assert.deepEqual(edits, [at(8, 14, 8, 17, '0.0075')]);
    assert.deepEqual(run(ALIGNED, { op: 'setIterations', iterations: 2500 }).edits, [at(9, 11, 9, 16, '2500')]);
  });

  it('changes only the scale of random init, the whole scheme otherwise', () => {
    assert.deepEqual(run(ALIGNED, { op: 'setInit', init: { kind: 'random', scale: 0.5 } }).edits, [at(7, 12, 7, 16, '0.5')]);
    const { edits, result } = run(ALIGNED, { op: 'setInit', init: { kind: 'he' } });
    assert.deepEqual(edits, [at(7, 5, 7, 16, 'he')]);
    assert.ok(result.includes('\ninit he\n'));
    assert.ok(run('init xavier # good\n', { op: 'setInit', init: { kind: 'random', scale: 0.01 } }).result === 'init random 0.01 # good\n');
  });

  it('inserts a missing setting after the last setting', () => {
    const { edits, result } = run(ALIGNED, { op: 'setSeed', seed: 3 });
    assert.deepEqual(edits, [at(9, 16, 9, 16, '\nseed 3')]);
    assert.ok(result.endsWith('iterations 10000\nseed 3\n'));
  });

  it('inserts a missing setting at the end when there is none, and loss after the output layer', () => {
    assert.equal(run(PLAIN, { op: 'setIterations', iterations: 100 }).result, PLAIN + '\niterations 100');
    assert.equal(
      run(PLAIN, { op: 'setLoss', loss: 'mse' }).result,
      PLAIN + '\nloss mse',
    );
    const { result } = run('input 2\ndense 1 sigmoid\n\nseed 1\n', { op: 'setLoss', loss: 'mse' });
    assert.equal(result, 'input 2\ndense 1 sigmoid\nloss mse\n\nseed 1\n');
  });

  it('edits the setting that counts when it is given twice', () => {
    const { edits } = run('seed 1\nseed 2\n', { op: 'setSeed', seed: 5 });
    assert.deepEqual(edits, [at(1, 5, 1, 6, '5')]);
  });

  it('sets the input size, as HxWxC when dims are given, and inserts a missing input line', () => {
    assert.deepEqual(run(ALIGNED, { op: 'setInput', size: 3 }).edits, [at(2, 6, 2, 7, '3')]);
    assert.ok(run(PLAIN, { op: 'setInput', size: 12288, dims: [64, 64, 3] }).result.startsWith('input 64x64x3\n'));
    assert.equal(run('network "n"\ndense 1 sigmoid\n', { op: 'setInput', size: 2 }).result, 'network "n"\ninput 2\ndense 1 sigmoid\n');
    assert.equal(run('dense 1 sigmoid\n', { op: 'setInput', size: 2 }).result, 'input 2\ndense 1 sigmoid\n');
  });

  it('writes numbers without float noise', () => {
    assert.ok(run(ALIGNED, { op: 'setLearningRate', learningRate: 0.1 + 0.2 }).result.includes('learning_rate 0.3\n'));
  });

  it('fills an empty document', () => {
    assert.equal(run('', { op: 'setInput', size: 2 }).result, 'input 2');
    assert.equal(run('# only a comment\n', { op: 'setSeed', seed: 4 }).result, '# only a comment\nseed 4\n');
  });
});
