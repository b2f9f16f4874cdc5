import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSpec, parseSpec, type DataFacts, type Diagnostic } from '../../src/language';

const BINARY = { binary: true, distinct: [0, 1] };

function check(text: string, facts: DataFacts = {}): Diagnostic[] {
  return checkSpec(parseSpec(text), facts);
}

function codes(text: string, facts: DataFacts = {}): string[] {
  return check(text, facts).map((d) => d.code);
}

const PLANAR = 'input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train flower\n';

describe('checks: structure', () => {
  it('a clean planar spec has no diagnostics', () => {
    assert.deepEqual(check(PLANAR), []);
  });

  it('needs an input and at least one layer', () => {
    assert.deepEqual(codes('data train flower\n'), ['nnspec-missing-input', 'nnspec-no-layers']);
    const d = check('network "x"\ndense 1 sigmoid\ndata train flower\n');
    assert.equal(d[0].code, 'nnspec-missing-input');
    assert.deepEqual(d[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } });
  });

  it('an empty file reports the missing input and layers on line 0', () => {
    const d = check('');
    assert.deepEqual(
      d.map((x) => x.code),
      ['nnspec-missing-input', 'nnspec-no-layers', 'nnspec-no-train-data'],
    );
    assert.ok(d.every((x) => x.range.start.line === 0));
  });

  it('warns when there is no training data', () => {
    assert.deepEqual(codes('input 2\ndense 1 sigmoid\n'), ['nnspec-no-train-data']);
  });
});

describe('checks: output layer against the loss', () => {
  it('binary cross-entropy needs one unit', () => {
    const d = check('input 2\ndense 4 tanh\ndense 3 sigmoid\ndata train flower\n');
    assert.deepEqual(d.map((x) => x.code), ['nnspec-output-units']);
    assert.deepEqual(d[0].range, { start: { line: 2, character: 6 }, end: { line: 2, character: 7 } });
    assert.deepEqual(d[0].fixes?.[0].edits, [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 15 } }, newText: 'dense 1 sigmoid' },
    ]);
  });

  it('binary cross-entropy needs a sigmoid output', () => {
    const d = check('input 2\ndense 1 relu\ndata train flower\n');
    assert.deepEqual(d.map((x) => x.code), ['nnspec-output-activation']);
    assert.deepEqual(d[0].range, { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } });
  });

  it('mse accepts any output layer', () => {
    assert.deepEqual(codes('input 2\ndense 3 linear\nloss mse\ndata train flower\n'), []);
  });
});

describe('checks: data', () => {
  const cat = (input: string) =>
    `input ${input}\ndense 7 relu\ndense 1 sigmoid\ndata train "train.h5" x=train_set_x y=train_set_y scale=1/255\n`;

  it('compares input with the data feature count, with a quick fix', () => {
    const facts: DataFacts = { train: { features: 12288, m: 209, labels: BINARY } };
    const d = check(cat('12000'), facts).filter((x) => x.severity !== 'hint');
    assert.deepEqual(d.map((x) => x.code), ['nnspec-input-mismatch']);
    assert.match(d[0].message, /12288 features per example, but `input` says 12000/);
    assert.deepEqual(d[0].range, { start: { line: 0, character: 6 }, end: { line: 0, character: 11 } });
    assert.deepEqual(d[0].fixes?.[0].edits[0].newText, '12288');
    assert.deepEqual(codes(cat('64x64x3'), facts).filter((c) => c !== 'nnspec-many-parameters'), []);
  });

  it('binary cross-entropy needs 0/1 labels', () => {
    const facts: DataFacts = { train: { features: 2, m: 10, labels: { binary: false, distinct: [0, 1, 2] } } };
    const d = check('input 2\ndense 1 sigmoid\ndata train "d.csv"\n', facts);
    assert.deepEqual(d.map((x) => x.code), ['nnspec-labels-not-binary']);
    assert.match(d[0].message, /labels include 0, 1, 2/);
    assert.deepEqual(d[0].range, { start: { line: 2, character: 11 }, end: { line: 2, character: 18 } });
    assert.deepEqual(codes('input 2\ndense 1 linear\nloss mse\ndata train "d.csv"\n', facts), []);
  });

  it('reports an unreadable data file on its path', () => {
    const d = check('input 2\ndense 1 sigmoid\ndata train "missing.csv"\n', { train: { error: 'File not found: missing.csv' } });
    assert.deepEqual(d.map((x) => [x.code, x.message]), [['nnspec-data-unreadable', 'File not found: missing.csv']]);
    assert.deepEqual(d[0].range, { start: { line: 2, character: 11 }, end: { line: 2, character: 24 } });
  });

  it('checks the test set too', () => {
    const facts: DataFacts = {
      train: { features: 2, m: 400, labels: BINARY },
      test: { features: 3, m: 100, labels: BINARY },
    };
    const text = 'input 2\ndense 1 sigmoid\ndata train "a.csv"\ndata test "b.csv"\n';
    assert.deepEqual(codes(text, facts), ['nnspec-input-mismatch']);
    assert.match(check(text, facts)[0].message, /The test data has 3 features/);
  });
});

describe('checks: the course pitfalls', () => {
  it('init zeros with hidden layers warns about symmetry, with the random fix', () => {
    const d = check(PLANAR + 'init zeros\n');
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['nnspec-zeros-init', 'warning']]);
    assert.deepEqual(d[0].fixes?.[0].edits[0].newText, 'init random 0.01');
    assert.deepEqual(d[0].range, { start: { line: 4, character: 0 }, end: { line: 4, character: 10 } });
  });

  it('init zeros for logistic regression is fine', () => {
    assert.deepEqual(codes('input 2\ndense 1 sigmoid\ndata train flower\ninit zeros\n'), []);
  });

  it('sigmoid in a hidden layer is a hint on the activation', () => {
    const d = check('input 2\ndense 4 sigmoid\ndense 1 sigmoid\ndata train flower\n');
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['nnspec-sigmoid-hidden', 'hint']]);
    assert.deepEqual(d[0].range, { start: { line: 1, character: 8 }, end: { line: 1, character: 15 } });
  });

  it('a linear hidden layer warns that the net collapses', () => {
    const d = check('input 2\ndense 4 linear\ndense 1 sigmoid\ndata train flower\n');
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['nnspec-linear-hidden', 'warning']]);
  });

  it('a large random scale with tanh warns about saturation', () => {
    const d = check(PLANAR + 'init random 10\n');
    assert.deepEqual(d.map((x) => x.code), ['nnspec-saturation']);
    assert.match(d[0].message, /\|Z\[1\]\| is about 14/);
    assert.deepEqual(codes(PLANAR + 'init random 1\n'), []);
    assert.deepEqual(codes('input 2\ndense 4 relu\ndense 1 sigmoid\ndata train flower\ninit random 1\n'), []);
  });

  it('many parameters for few examples is a hint', () => {
    const text = 'input 1000\ndense 100 relu\ndense 1 sigmoid\ndata train "d.csv"\n';
    const facts: DataFacts = { train: { features: 1000, m: 50, labels: BINARY } };
    const d = check(text, facts);
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['nnspec-many-parameters', 'hint']]);
    assert.match(d[0].message, /^100,201 parameters for 50 training examples/);
    const enough: DataFacts = { train: { features: 1000, m: 100000, labels: BINARY } };
    assert.deepEqual(codes(text, enough), []);
  });

  it('diagnostics come sorted by position', () => {
    const d = check('dense 4 rleu\ninput 0\n');
    const lines = d.map((x) => x.range.start.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  });
});
