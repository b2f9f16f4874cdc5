// The data loaders (src/trainer/datasets.ts): CSV, HDF5 and the generated sets, and the checks
// of a data set against the spec before training (validateData). Small files written to temp
// folders; the course's cat file read-only.
//
// HDF5 runs in a child process: h5wasm's 4 MB ES module is slow to load through tsx's ESM
// hooks (seconds of transpiling), and only a separate process shows what HDF5 itself prints
// on stderr.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseSpec } from '../../../src/language';
import { GENERATORS, type GeneratedDataSource } from '../../../src/shared/model/spec';
import { DataError, generate, loadDataset, parseCsv, SpecError, validateData } from '../../../src/trainer/datasets';
import { matrix } from '../../../src/trainer/kernels';
import { computeCost, lossGradient } from '../../../src/trainer/model';

const csv = (text: string, label?: string, scale = 1) => parseCsv(text, { path: 'd.csv', label, scale });
const rows = (m: { rows: number; cols: number; data: Float64Array }) =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

describe('CSV: reading', () => {
  it('reads a header and examples as columns, the label last by default, scaled features', () => {
    const { X, Y } = csv('x1,x2,y\n1,2,0\n3,4,1\n5,6,1\n', undefined, 0.5);
    assert.deepEqual(rows(X), [
      [0.5, 1.5, 2.5],
      [1, 2, 3],
    ]);
    assert.deepEqual(rows(Y), [[0, 1, 1]]);
  });

  it('label= picks a column by name, including the first column', () => {
    const first = csv('y,x1,x2\n1,2,3\n0,5,6\n', 'y');
    assert.deepEqual(rows(first.Y), [[1, 0]]);
    assert.deepEqual(rows(first.X), [
      [2, 5],
      [3, 6],
    ]);
    const middle = csv('a,cat,b\n1,0,2\n3,1,4\n', 'cat');
    assert.deepEqual(rows(middle.Y), [[0, 1]]);
    assert.deepEqual(rows(middle.X), [
      [1, 3],
      [2, 4],
    ]);
  });

  it('names the columns when label= matches none, and suggests a different case', () => {
    assert.throws(() => csv('x1,x2,Label\n1,2,0\n', 'label'), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.equal(e.message, "Data file 'd.csv' has no column 'label'. Did you mean 'Label'? Columns: x1, x2, Label.");
      return true;
    });
    assert.throws(() => csv('y,x,y\n1,2,0\n', 'y'), /more than one column named 'y'/);
  });

  it('accepts CRLF line ends, a byte order mark and trailing blank lines', () => {
    const { X, Y } = csv('\uFEFFx1,x2,y\r\n1,2,0\r\n3,4,1\r\n\r\n\r\n   \n', 'y');
    assert.deepEqual(rows(X), [
      [1, 3],
      [2, 4],
    ]);
    assert.deepEqual(rows(Y), [[0, 1]]);
    // the BOM must not stick to the first column's name
    assert.deepEqual(rows(csv('\uFEFFx1,x2,y\n1,2,0\n', 'x1').Y), [[1]]);
  });

  it('reads RFC 4180 quoted fields: quoted names and numbers, commas and "" inside quotes', () => {
    const { X, Y } = csv('"x1","x, 2","the ""label"""\n"1.5",2,"1"\n-3,"4e-1",0\n', 'the "label"');
    assert.deepEqual(rows(X), [
      [1.5, -3],
      [2, 0.4],
    ]);
    assert.deepEqual(rows(Y), [[1, 0]]);
    assert.throws(() => csv('x1,y\n"1,0\n'), /line 2: a quoted field is never closed/);
    assert.throws(() => csv('x1,y\n"1"x,0\n'), /line 2: unexpected 'x' after a closing quote/);
  });

  it('counts lines inside quoted fields when it names a line', () => {
    assert.throws(() => csv('"x\n1",y\n1,0\n2,abc\n'), /line 4, column 2 \('y'\): 'abc' is not a number/);
  });
});

describe('CSV: errors name the file, the line and the column', () => {
  it('an empty file, and a header with no examples', () => {
    assert.throws(() => csv(''), /^DataError: Data file 'd.csv' is empty: expected a header row and one example per row\.$/);
    assert.throws(() => csv('\n \r\n'), /is empty/);
    assert.throws(() => csv('x1,x2,y\n\n'), /Data file 'd.csv' has a header but no examples\./);
  });

  it('ragged rows', () => {
    assert.throws(() => csv('x1,x2,y\n1,2,0\n3,4\n'), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.equal(e.message, "Data file 'd.csv' line 3: 2 values, but the header (line 1) has 3 columns.");
      return true;
    });
    assert.throws(() => csv('x1,x2,y\n1,2,0,9\n'), /line 2: 4 values, but the header \(line 1\) has 3 columns/);
  });

  it('non-numeric and empty cells, with line and column', () => {
    assert.throws(() => csv('x1,x2,y\n1,2,0\n1,two,1\n'), (e: Error) => {
      assert.equal(
        e.message,
        "Data file 'd.csv' line 3, column 2 ('x2'): 'two' is not a number; nnspec reads decimal numbers such as 3, -0.5 or 1e-4.",
      );
      return true;
    });
    assert.throws(() => csv('x1,x2,y\n1,,0\n'), /line 2, column 2 \('x2'\): the value is empty/);
    assert.throws(() => csv('x1,x2,y\n1,2,1e999\n'), /line 2, column 3 \('y'\): '1e999' is too large/);
  });

  it('rejects what Number() accepts but a data file should not hold: hex, Infinity, NaN, binary, separators', () => {
    for (const cell of ['0x10', 'Infinity', '-Infinity', 'NaN', '0b101', '0o7', '1_000', '1e', '.']) {
      assert.throws(() => csv(`x1,y\n${cell},0\n`), new RegExp(`line 2, column 1 \\('x1'\\): '${cell.replace('.', '\\.')}' is not a number`), cell);
    }
    // and accepts the decimal forms
    assert.deepEqual(rows(csv('x1,y\n+1.,0\n.5,1\n-2E+3,0\n  7  ,1\n').X), [[1, 0.5, -2000, 7]]);
  });

  it("explains a ';'-separated (or tab-separated) file", () => {
    assert.throws(
      () => csv('x1;x2;y\n1,5;2,5;0\n'),
      /^DataError: Data file 'd.csv' line 1: It looks like ';'-separated; nnspec reads comma-separated CSV\. Separate the columns with commas\.$/,
    );
    assert.throws(() => csv('x1\tx2\ty\n1\t2\t0\n'), /looks tab-separated; nnspec reads comma-separated CSV/);
    assert.throws(() => csv('x1,x2,y\n1;2;0\n'), /line 2: 1 value, but the header \(line 1\) has 3 columns\. It looks like ';'-separated/);
  });

  it('a first row of numbers is not a header', () => {
    assert.throws(() => csv('1,2,0\n3,4,1\n'), /line 1: the first row holds numbers; nnspec expects a header row/);
  });
});

describe('CSV files through loadDataset', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nnspec-csv-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('resolves the path against the spec folder and reads the file', async () => {
    writeFileSync(path.join(dir, 'two.csv'), 'a,b,y\n1,2,0\n3,4,1\n');
    const d = await loadDataset({ kind: 'file', split: 'train', path: 'two.csv', scale: 1 }, dir);
    assert.deepEqual(rows(d.X), [
      [1, 3],
      [2, 4],
    ]);
  });
  it('a missing file names the path it looked for', async () => {
    await assert.rejects(loadDataset({ kind: 'file', split: 'train', path: 'nope.csv', scale: 1 }, dir), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.equal(e.message, `Data file 'nope.csv' not found (looked for ${path.join(dir, 'nope.csv')}).`);
      return true;
    });
  });
});

describe('validateData: the data against the spec', () => {
  const spec = (text: string) => parseSpec(text).spec;
  const data = (n: number, y: number[]) => ({ X: matrix(n, y.length), Y: matrix(1, y.length, Float64Array.from(y)) });

  it('labels that are not 0/1 for binary cross-entropy (a DataError); mse accepts them', () => {
    const s = spec('input 2\ndense 1 sigmoid\n');
    assert.throws(() => validateData('train', data(2, [0, 1, 2, 0.5]), s), (e: Error) => {
      assert.ok(e instanceof DataError && !(e instanceof SpecError));
      assert.equal(e.message, 'Binary cross-entropy needs labels 0 and 1, but the training labels include 0, 0.5, 1, 2.');
      return true;
    });
    validateData('train', data(2, [0, 1, 2, 0.5]), spec('input 2\ndense 1 linear\nloss mse\n'));
  });

  it('a feature count that disagrees with input', () => {
    assert.throws(() => validateData('test', data(3, [0, 1]), spec('input 2\ndense 1 sigmoid\n')), { message: 'The test data has 3 features per example, but `input` says 2: X is (3, 2), so W[1] must be (n[1], 3).' });
  });

  it('an output layer whose units differ from the label rows is a spec problem, named with both shapes', () => {
    assert.throws(() => validateData('train', data(2, [0, 1, 1]), spec('input 2\ndense 4 tanh\ndense 2 linear\nloss mse\n')), (e: Error) => {
      assert.ok(e instanceof SpecError);
      assert.match(e.message, /^The output layer has 2 units, so A\[L\] would be \(2, 3\), but the training labels Y are \(1, 3\)/);
      return true;
    });
  });

  it('a spec with no input or no layers is a spec problem', () => {
    assert.throws(() => validateData('train', data(2, [0]), spec('dense 1 sigmoid\n')), SpecError);
    assert.throws(() => validateData('train', data(2, [0]), spec('input 2\n')), SpecError);
  });
});

describe('the cost asserts the shapes of A[L] and Y', () => {
  // before: n[L] = 2 against Y (1, m) read past the end of Y and trained into a NaN cost
  const AL = matrix(2, 3, Float64Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]));
  const Y = matrix(1, 3, Float64Array.from([0, 1, 1]));
  for (const loss of ['binary_cross_entropy', 'mse'] as const) {
    it(`${loss}: computeCost and lossGradient name both shapes`, () => {
      assert.throws(() => computeCost(loss, AL, Y), /the output A\[L\] has shape \(2, 3\) but the labels Y have shape \(1, 3\); they must match/);
      assert.throws(() => lossGradient(loss, AL, Y), /A\[L\] has shape \(2, 3\) but the labels Y have shape \(1, 3\)/);
    });
  }
});

// ---------------------------------------------------------------------------- generated sets

const source = (generator: GeneratedDataSource['generator'], seed: number, m = 60): GeneratedDataSource => ({
  kind: 'generated',
  split: 'train',
  generator,
  m,
  seed,
  scale: 1,
});

describe('generated data sets', () => {
  for (const g of GENERATORS) {
    it(`${g}: deterministic for a seed, different across seeds, X (2, m) and Y (1, m) with 0/1 labels`, async () => {
      const a = await loadDataset(source(g, 3), '/nowhere');
      const b = await loadDataset(source(g, 3), '/nowhere');
      const c = await loadDataset(source(g, 4), '/nowhere');
      assert.deepEqual([a.X.rows, a.X.cols, a.Y.rows, a.Y.cols], [2, 60, 1, 60]);
      assert.deepEqual(a.X.data, b.X.data);
      assert.deepEqual(a.Y.data, b.Y.data);
      assert.notDeepEqual(Array.from(a.X.data), Array.from(c.X.data));
      assert.ok(a.X.data.every(Number.isFinite));
      assert.ok(a.Y.data.every((y) => y === 0 || y === 1));
      // both classes are present
      assert.ok(a.Y.data.includes(0) && a.Y.data.includes(1));
      // an odd m still gives m examples
      const odd = await loadDataset(source(g, 3, 7), '/nowhere');
      assert.deepEqual([odd.X.cols, odd.Y.cols], [7, 7]);
    });
  }

  it('scale multiplies the features', async () => {
    const one = await loadDataset(source('moons', 5), '/nowhere');
    const half = await loadDataset({ ...source('moons', 5), scale: 0.5 }, '/nowhere');
    half.X.data.forEach((v, i) => assert.equal(v, one.X.data[i] * 0.5));
  });

  it('flower (seed 1, m 400) is examples/data/flower.csv to 1e-12', () => {
    const file = path.join(__dirname, '..', '..', '..', 'examples', 'data', 'flower.csv');
    const ref = parseCsv(readFileSync(file, 'utf8'), { path: 'flower.csv', scale: 1 });
    const { x1, x2, y } = generate({ generator: 'flower', m: 400, seed: 1 });
    assert.equal(y.length, 400);
    for (let j = 0; j < 400; j++) {
      for (const [got, want] of [
        [x1[j], ref.X.data[j]],
        [x2[j], ref.X.data[400 + j]],
      ]) {
        assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `example ${j}: ${got} vs ${want}`);
      }
      assert.equal(y[j], ref.Y.data[j]);
    }
  });
});

// ---------------------------------------------------------------------------- HDF5

const ROOT = path.join(__dirname, '..', '..', '..');
const DATA = path.join(ROOT, 'examples', 'data');

interface Outcome {
  shape?: [number, number];
  labels?: [number, number];
  first?: number[];
  y25?: number;
  error?: { name: string; message: string };
}

/** Loads each source in one child process (CommonJS tsx hook only); returns results and stderr. */
function loadInChild(sources: object[], dir: string): Promise<{ results: Outcome[]; stderr: string }> {
  const code = `
    const { loadDataset } = require(${JSON.stringify(path.join(ROOT, 'src', 'trainer', 'datasets.ts'))});
    (async () => {
      const out = [];
      for (const s of ${JSON.stringify(sources)}) {
        try {
          const d = await loadDataset(s, ${JSON.stringify(dir)});
          out.push({ shape: [d.X.rows, d.X.cols], labels: [d.Y.rows, d.Y.cols], y25: d.Y.data[25],
            first: Array.from({ length: 5 }, (_, i) => d.X.data[i * d.X.cols]) });
        } catch (e) {
          out.push({ error: { name: e.name, message: e.message } });
        }
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', code], { cwd: ROOT }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve({ results: JSON.parse(stdout), stderr });
    });
  });
}

// started at once, so that the child process loads while the tests above run
const h5dir = mkdtempSync(path.join(tmpdir(), 'nnspec-h5-'));
after(() => rmSync(h5dir, { recursive: true, force: true }));
writeFileSync(path.join(h5dir, 'fake.h5'), 'x');
const h5cat = { kind: 'file', split: 'train', path: path.join(DATA, 'train_catvnoncat.h5'), x: 'train_set_x', y: 'train_set_y', scale: 1 / 255 };
const h5child = loadInChild([h5cat, { ...h5cat, x: 'train_set_X' }, { kind: 'file', split: 'train', path: 'fake.h5', x: 'a', y: 'b', scale: 1 }], h5dir);
h5child.catch(() => undefined); // reported by before() below

describe('HDF5 data (h5wasm)', () => {
  let results: Outcome[];
  let stderr: string;
  before(async () => {
    ({ results, stderr } = await h5child);
  });

  it('reads the cat images as X (12288, 209), C-order per example, scaled; Y (1, 209)', () => {
    const [cat] = results;
    assert.equal(cat.error, undefined, cat.error?.message);
    assert.deepEqual(cat.shape, [12288, 209]);
    assert.deepEqual(cat.labels, [1, 209]);
    // pixel (0, 0) RGB then pixel (0, 1) R, G of the first image, divided by 255
    assert.deepEqual(cat.first, [17, 31, 56, 22, 33].map((v) => v * (1 / 255)));
    assert.equal(cat.y25, 1);
  });

  it('a missing dataset key lists the datasets the file has', () => {
    assert.deepEqual(results[1].error, {
      name: 'DataError',
      message: `Data file '${path.join(DATA, 'train_catvnoncat.h5')}' has no dataset 'train_set_X'. Datasets: list_classes, train_set_x, train_set_y.`,
    });
  });

  it('a file that is not HDF5 is a DataError, and HDF5 prints nothing on stderr', () => {
    const { error } = results[2];
    assert.equal(error?.name, 'DataError');
    assert.match(error!.message, /^Data file 'fake\.h5' is not a readable HDF5 file/);
    assert.doesNotMatch(error!.message, /HDF5-DIAG|name not defined/);
    assert.equal(stderr, '');
  });
});
