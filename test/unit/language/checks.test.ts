import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSpec, parseSpec, type Diagnostic } from '../../../src/language';
import type { DataFacts } from '../../../src/shared/model/data';

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

  it('mse accepts any output activation with one output unit', () => {
    for (const activation of ['linear', 'relu', 'tanh', 'sigmoid', 'leaky_relu']) {
      assert.deepEqual(codes(`input 2\ndense 4 tanh\ndense 1 ${activation}\nloss mse\ndata train flower\n`), [], activation);
    }
  });

  it('mse needs one output unit too: the labels Y are (1, m)', () => {
    const d = check('input 2\ndense 3 linear\nloss mse\ndata train flower\n');
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['nnspec-output-units', 'error']]);
    assert.deepEqual(d[0].range, { start: { line: 1, character: 6 }, end: { line: 1, character: 7 } });
    assert.match(d[0].message, /\(1, m\)/);
    // the fix keeps the activation: it only sets the units to 1
    assert.deepEqual(d[0].fixes?.[0].edits, [{ range: d[0].range, newText: '1' }]);
    assert.deepEqual(codes('input 2\ndense 1 linear\nloss mse\ndata train flower\n'), []);
  });
});

describe('checks: a bad line does not spill onto other lines', () => {
  const parseOnly = (text: string) => parseSpec(text).diagnostics.map((d) => d.code);

  it('a misspelt input statement does not also report a missing input', () => {
    const d = check('inptu 2\ndense 1 sigmoid\ndata train flower\n');
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line]), [['nnspec-unknown-statement', 0]]);
    assert.deepEqual(parseSpec('inptu 2\n').unread, [{ line: 0, why: 'unknown-statement', meant: 'input', split: undefined }]);
  });

  it('a misspelt last layer leaves the previous dense line alone', () => {
    const d = check('input 2\ndense 4 tanh\ndens 1 sigmoid\ndata train flower\n');
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line]), [['nnspec-unknown-statement', 2]]);
    // a misspelt layer alone does not add "no layers"
    assert.deepEqual(codes('input 2\ndens 1 sigmoid\ndata train flower\n'), ['nnspec-unknown-statement']);
  });

  it('a misspelt line before the last layer does not hide the output checks', () => {
    const d = check('input 2\ndens 1 sigmoid\ndense 4 tanh\ndata train flower\n');
    assert.deepEqual(
      d.map((x) => [x.code, x.range.start.line]),
      [
        ['nnspec-unknown-statement', 1],
        ['nnspec-output-units', 2],
        ['nnspec-output-activation', 2],
      ],
    );
  });

  it('a malformed or unterminated data line does not add "no training data"', () => {
    for (const line of ['data trian flower', 'data train "flower.csv', 'dat train flower', 'data', 'data "x.csv"']) {
      const text = `input 2\ndense 1 sigmoid\n${line}\n`;
      const d = check(text);
      assert.equal(d.length, 1, `${line}: ${d.map((x) => x.code)}`);
      assert.equal(d[0].range.start.line, 2, line);
      assert.deepEqual(parseOnly(text), [d[0].code], line);
    }
  });

  it('a line that may be meant as anything keeps every structural check from firing elsewhere', () => {
    // `foo 2` may be meant as `input 2`: its own error is the one to fix
    assert.deepEqual(check('foo 2\ndense 1 sigmoid\ndata train flower\n').map((x) => [x.code, x.range.start.line]), [['nnspec-unknown-statement', 0]]);
    assert.deepEqual(parseSpec('foo 2\n').unread, [{ line: 0, why: 'unknown-statement', meant: undefined, split: undefined }]);
    // `se 1 sigmoid` (a mangled `dense 1 sigmoid`) reads as a dense line by its arguments: it keeps
    // its layer number, so there is no "no layers" on line 1
    assert.deepEqual(check('input 2\nse 1 sigmoid\ndata train flower\n').map((x) => [x.code, x.range.start.line]), [['nnspec-unknown-statement', 1]]);
    const layers = parseSpec('input 2\ndense 4 tanh\nse 3 sigmoid\ndense 1 sigmoid\n').layers;
    assert.deepEqual(layers.map((l) => [l.index, l.statement.line, l.units, l.activation, l.unread]), [
      [1, 1, 4, 'tanh', undefined],
      [2, 2, 3, undefined, 'unknown-statement'],
      [3, 3, 1, 'sigmoid', undefined],
    ]);
    // a misspelt loss line: the output checks against the loss wait for it
    assert.deepEqual(codes('input 2\ndense 1 linear\nlos mse\ndata train flower\n'), ['nnspec-unknown-statement']);
    assert.deepEqual(codes('input 2\ndense 1 linear\nloss mse2\ndata train flower\n'), ['nnspec-unknown-loss']);
  });

  it('the structural checks still fire when no line may be meant as the statement', () => {
    assert.deepEqual(codes('dense 1 sigmoid\ndata train flower\n'), ['nnspec-missing-input']);
    assert.deepEqual(codes('input 2\ndata train flower\n'), ['nnspec-no-layers']);
    assert.deepEqual(codes('input 2\ndense 1 linear\ndata train flower\n'), ['nnspec-output-activation']);
    // a test set, or a misspelt test split, is no training set
    assert.deepEqual(codes('input 2\ndense 1 sigmoid\ndata test flower\n'), ['nnspec-no-train-data']);
    assert.deepEqual(codes('input 2\ndense 1 sigmoid\ndata tset flower\n'), ['nnspec-no-train-data', 'nnspec-unknown-split']);
    assert.deepEqual(codes('input 2\ndense 1 sigmoid\ndata test "t.csv\n'), ['nnspec-no-train-data', 'nnspec-unterminated-string']);
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

  it('more parameters than numbers in the training set (n_x·m) is a hint', () => {
    const text = 'input 1000\ndense 100 relu\ndense 1 sigmoid\ndata train "d.csv"\n';
    // 100,201 parameters; X (1000, 100) holds 100,000 numbers
    const d = check(text, { train: { features: 1000, m: 100, labels: BINARY } });
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['nnspec-many-parameters', 'hint']]);
    assert.deepEqual(d[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
    assert.match(d[0].message, /100,201/);
    assert.match(d[0].message, /100,000/);
    // X (1000, 101) holds 101,000 numbers: enough (the old rule, 100 per example, fired here)
    assert.deepEqual(codes(text, { train: { features: 1000, m: 101, labels: BINARY } }), []);
  });

  it('the parameter hint fires above n_x·m, not at it', () => {
    // input 1, dense 1 sigmoid: 2 parameters
    const text = 'input 1\ndense 1 sigmoid\ndata train "d.csv"\n';
    assert.deepEqual(codes(text, { train: { features: 1, m: 2, labels: BINARY } }), []);
    assert.deepEqual(codes(text, { train: { features: 1, m: 1, labels: BINARY } }), ['nnspec-many-parameters']);
  });

  it('an absurd planar net (1000 tanh units for 400 points of 2 features) gets the hint', () => {
    const d = check('input 2\ndense 1000 tanh\ndense 1 sigmoid\ndata train flower\n');
    assert.deepEqual(d.map((x) => x.code), ['nnspec-many-parameters']);
    assert.match(d[0].message, /4,001/);
    assert.match(d[0].message, /800/);
    // the course's planar net (17 parameters) does not
    assert.deepEqual(check(PLANAR), []);
  });

  it('diagnostics come sorted by position', () => {
    const d = check('dense 4 rleu\ninput 0\n');
    const lines = d.map((x) => x.range.start.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  });
});
