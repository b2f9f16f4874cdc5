// The data worker (src/trainer/dataWorker.ts) through src/trainer/dataClient.ts, running the
// TypeScript source: requests answered by id, the size limit and the memory budget refused
// before reading, a corrupt file as a data error, the cache (by size and mtime), a request
// that takes too long abandoned without blocking, a worker out of memory failing only its
// request, symlinks resolved for the outside-the-workspace check, saved models opened with
// their data. HDF5 files are made with h5wasm in a child process (tsx's CommonJS hook loads
// h5wasm's ES module in well under a second; its ESM hooks take seconds).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { parseSpec } from '../../../src/language';
import type { DataSource, FileDataSource } from '../../../src/shared/model/spec';
import { DataClient, DataRequestError, type DataClientOptions, type InspectAnswer } from '../../../src/trainer/dataClient';
import { loadDataset } from '../../../src/trainer/datasets';
import { TrainingRun } from '../../../src/trainer/run';

const ROOT = path.join(__dirname, '..', '..', '..');
const WORKER = path.join(ROOT, 'src', 'trainer', 'dataWorker.ts');
const TSX = require.resolve('tsx/cjs');
const tsWorker: DataClientOptions['createWorker'] = (file, options) =>
  new Worker(`require(${JSON.stringify(TSX)}); require(${JSON.stringify(file)});`, { ...options, eval: true });

const clients: DataClient[] = [];
/** workers each client started */
const started = new Map<DataClient, number>();
function client(options: DataClientOptions = {}): DataClient {
  const make = options.createWorker ?? tsWorker!;
  const c: DataClient = new DataClient(WORKER, {
    ...options,
    createWorker: (file, o) => {
      started.set(c, (started.get(c) ?? 0) + 1);
      return make(file, o);
    },
  });
  clients.push(c);
  return c;
}
const dir = mkdtempSync(path.join(tmpdir(), 'nnspec-data-worker-'));
after(() => {
  clients.forEach((c) => c.dispose());
  rmSync(dir, { recursive: true, force: true });
});
const shared = client();

const csvSource = (file: string, extra: Partial<FileDataSource> = {}): DataSource => ({ kind: 'file', split: 'train', path: file, scale: 1, ...extra });
const h5Source = (file: string, x: string, y: string, scale = 1): DataSource => ({ kind: 'file', split: 'train', path: file, x, y, scale });

function errorOf(answer: InspectAnswer): string {
  assert.ok(answer.error !== undefined, `expected an error, got ${JSON.stringify(answer)}`);
  return answer.error;
}

// ---------------------------------------------------------------------------- HDF5 fixtures

/** Writes small HDF5 files with h5wasm (in a child process); each dataset: name, values, shape, float or not. */
function makeH5(file: string, datasets: { name: string; data: number[]; shape: number[]; float?: boolean; resize?: number[] }[]): Promise<void> {
  // NaN and Infinity as strings: JSON would make them null
  const encoded = datasets.map((d) => ({ ...d, data: d.data.map((v) => (Number.isFinite(v) ? v : String(v))) }));
  const code = `
    import('h5wasm/node').then(async ({ default: h5 }) => {
      await h5.ready;
      const f = new h5.File(${JSON.stringify(file)}, 'w');
      for (const d of ${JSON.stringify(encoded)}) {
        const data = d.float ? Float64Array.from(d.data, Number) : Uint8Array.from(d.data);
        if (d.resize) {
          const ds = f.create_dataset({ name: d.name, data, shape: d.shape, chunks: d.shape, maxshape: d.shape.map(() => null) });
          ds.resize(d.resize);
        } else f.create_dataset({ name: d.name, data, shape: d.shape });
      }
      f.close();
    });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--require', TSX, '-e', code], { cwd: ROOT }, (err, _out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()));
  });
}

const h5 = path.join(dir, 'bad.h5');
// made at once, while the first tests run
const h5Ready = makeH5(h5, [
  { name: 'x', data: [1, 2, 3, 4, 5, 6], shape: [3, 2], float: true },
  { name: 'x_nan', data: [1, 2, 3, NaN, 5, 6], shape: [3, 2], float: true },
  { name: 'x_inf', data: [1, 2, 3, 4, 5, Infinity], shape: [3, 1, 2], float: true },
  { name: 'x_int', data: [1, 2, 3, 4, 5, 6], shape: [3, 2] },
  { name: 'x_big', data: [0, 0], shape: [1, 2], float: true, resize: [400_000_000, 2] },
  { name: 'y_big', data: [0], shape: [1], float: true, resize: [400_000_000] },
  { name: 'x_empty', data: [], shape: [0, 2], float: true },
  { name: 'y_empty', data: [], shape: [0], float: true },
  { name: 'y', data: [0, 1, 1], shape: [3] },
  { name: 'y_nan', data: [0, NaN, 1], shape: [3], float: true },
  { name: 'y_three', data: [0, 1, 2], shape: [3] },
]);
h5Ready.catch(() => undefined); // reported by before() below

// ---------------------------------------------------------------------------- requests

describe('data worker: requests', () => {
  it('answers an inspect request with the summary, the real path and whether it is inside the roots', async () => {
    const flower = csvSource('examples/data/flower.csv');
    const answer = await shared.inspect(flower, ROOT, {}, [ROOT]);
    assert.equal(answer.error, undefined);
    assert.deepEqual(answer.error === undefined && answer.summary, { features: 2, m: 400, labels: { binary: true, distinct: [0, 1] } });
    assert.equal(answer.realPath, path.join(ROOT, 'examples', 'data', 'flower.csv'));
    assert.equal(answer.outside, false);
    // the same file from a workspace elsewhere is outside it
    assert.equal((await shared.inspect(flower, ROOT, {}, [dir])).outside, true);
    // no workspace folder: nothing is outside
    assert.equal((await shared.inspect(flower, ROOT, {}, [])).outside, false);
  });

  it('resolves symlinks: a link inside the workspace to a file outside it is outside', async () => {
    const workspace = path.join(dir, 'ws');
    mkdirSync(workspace);
    symlinkSync(path.join(ROOT, 'examples', 'data', 'flower.csv'), path.join(workspace, 'link.csv'));
    const answer = await shared.inspect(csvSource('link.csv'), workspace, {}, [workspace]);
    assert.equal(answer.realPath, path.join(ROOT, 'examples', 'data', 'flower.csv'));
    assert.equal(answer.outside, true);
    // and a real file in it is inside, also when the root itself is named through a link
    writeFileSync(path.join(workspace, 'own.csv'), 'x1,y\n1,0\n');
    symlinkSync(workspace, path.join(dir, 'ws-link'));
    const own = await shared.inspect(csvSource('own.csv'), workspace, {}, [path.join(dir, 'ws-link')]);
    assert.equal(own.outside, false);
  });

  it('a corrupt or malformed file is a data error with a short message, control characters escaped', async () => {
    writeFileSync(path.join(dir, 'fake.h5'), 'not hdf5');
    const fake = await shared.inspect(h5Source('fake.h5', 'x', 'y'), dir, {});
    assert.equal(fake.error !== undefined && fake.kind, 'data');
    assert.match(errorOf(fake), /^Data file 'fake\.h5' is not a readable HDF5 file/);

    const hostile = '\x1b[31mred\x1b[0m\u202eevil' + 'z'.repeat(500);
    writeFileSync(path.join(dir, 'hostile.csv'), `x1,y\n1,0\n${hostile},1\n`);
    const message = errorOf(await shared.inspect(csvSource('hostile.csv'), dir, {}));
    assert.match(message, /^Data file 'hostile\.csv' line 3, column 1 \('x1'\): '\\x1b\[31mred\\x1b\[0m\\u202eevilz+…' is not a number/);
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    assert.doesNotMatch(message, /[\x00-\x1f\u202e]/);
    assert.ok(message.length < 200, `${message.length} characters`);
  });

  it('refuses a file over the size limit from its size, before reading it', async () => {
    writeFileSync(path.join(dir, 'two-kb.csv'), 'x1,y\n' + '0.5,1\n'.repeat(400));
    const answer = await shared.inspect(csvSource('two-kb.csv'), dir, { maxFileBytes: 1024 });
    assert.equal(answer.error !== undefined && answer.refusal, 'file-too-large');
    assert.equal(errorOf(answer), "Data file 'two-kb.csv' is 0.00229 MB, larger than the limit of 0.000977 MB (nnspec.data.maxFileMB): it is not read.");
    // within the limit it is read
    assert.equal((await shared.inspect(csvSource('two-kb.csv'), dir, { maxFileBytes: 1 << 20 })).error, undefined);
  });

  it('refuses a CSV whose text or numbers would not fit the memory budget', async () => {
    const text = 'x1,x2,y\n' + '1,2,0\n'.repeat(20_000);
    writeFileSync(path.join(dir, 'budget.csv'), text);
    // the text itself: 3 bytes per byte of file (the bytes, then a string of up to 2 bytes a character)
    const small = await shared.inspect(csvSource('budget.csv'), dir, { memoryBudgetBytes: 100_000 });
    assert.equal(small.error !== undefined && small.refusal, 'over-budget');
    assert.match(errorOf(small), /^Data file 'budget\.csv': reading its text would take about 0\.343 MB, more than the memory budget of 0\.0954 MB/);
    // the numbers: 16 bytes per value of at most one row per line
    const rows = await shared.inspect(csvSource('budget.csv'), dir, { memoryBudgetBytes: 600_000 });
    assert.match(errorOf(rows), /reading its text and 20,001 rows of 3 numbers would take about 1\.14 MB, more than the memory budget of 0\.572 MB/);
  });

  it('caches by size and mtime: the second request is answered from the cache, a changed file is read again', async () => {
    const c = client();
    const file = path.join(dir, 'cache.csv');
    writeFileSync(file, 'x1,y\n1,0\n2,1\n');
    const first = await c.inspect(csvSource('cache.csv'), dir, {});
    const second = await c.inspect(csvSource('cache.csv'), dir, {});
    assert.deepEqual([first.error === undefined && first.cached, second.error === undefined && second.cached], [false, true]);
    writeFileSync(file, 'x1,x2,y\n1,2,0\n2,3,1\n4,5,1\n');
    const changed = await c.inspect(csvSource('cache.csv'), dir, {});
    assert.equal(changed.error === undefined && changed.cached, false);
    assert.equal(changed.error === undefined && changed.summary.features, 2);
    // an error is cached too: a large file with a bad cell is not read at every edit
    writeFileSync(file, 'x1,y\n1,0\nbad,1\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const bad1 = await c.inspect(csvSource('cache.csv'), dir, {});
    writeFileSync(file, 'x1,y\n1,0\nbad,1\n'); // same size, same content
    utimesSync(file, new Date(), new Date(Date.now() + 5000)); // same mtime as above (to the ms)
    const bad2 = await c.inspect(csvSource('cache.csv'), dir, {});
    assert.equal(errorOf(bad1), errorOf(bad2));
    assert.equal(started.get(c), 1, 'one worker, reused');
  });
});

describe('data worker: a request that takes too long, a worker that dies', () => {
  it('a request that takes too long is abandoned without blocking; the same data set is not asked for again until its file changes', async () => {
    // a worker that never answers
    let started = 0;
    const c = client({
      timeoutMs: 150,
      createWorker: (_f, o) => {
        started++;
        return new Worker('setInterval(() => {}, 1000); require("node:worker_threads").parentPort.on("message", () => {});', { ...o, eval: true });
      },
    });
    const t0 = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const answer = await c.inspect(csvSource('slow.csv'), dir, {});
    clearInterval(ticker);
    const waited = Date.now() - t0;
    assert.equal(answer.error !== undefined && answer.kind, 'timeout');
    assert.equal(errorOf(answer), "Data file 'slow.csv': reading it took longer than 150 ms, so it was abandoned; the checks that need it are skipped.");
    assert.ok(waited >= 140 && waited < 2000, `settled after ${waited} ms`);
    assert.ok(ticks >= 5, `the event loop ran meanwhile (${ticks} ticks)`);
    // asked again: answered at once from what was abandoned, no new worker
    const again = await c.inspect(csvSource('slow.csv'), dir, {});
    assert.equal(again.error !== undefined && again.kind, 'timeout');
    assert.equal(started, 1);
    // its file changed: asked for again, on a fresh worker (the stuck one was terminated)
    c.forgetAbandoned();
    await c.inspect(csvSource('slow.csv'), dir, {});
    assert.equal(started, 2);
  });

  it('a worker that runs out of memory fails only the request it was on; the next goes to a fresh worker', async () => {
    const c = client({ resourceLimits: { maxOldGenerationSizeMb: 24 } });
    // a 30 MB CSV: its text alone is more than the worker's 24 MB heap
    const line = '0.12345678,1.23456789,0\n';
    writeFileSync(path.join(dir, 'heap.csv'), 'x1,x2,y\n' + line.repeat(Math.ceil(30e6 / line.length)));
    const big = c.inspect(csvSource('heap.csv'), dir, {});
    const small = c.inspect(csvSource('examples/data/flower.csv'), ROOT, {});
    const a = await big;
    assert.equal(a.error !== undefined && a.kind, 'worker');
    assert.equal(errorOf(a), "Data file 'heap.csv': reading it ran out of the memory the data worker may use (nnspec.training.memoryBudgetMB); the checks that need it are skipped.");
    const b = await small;
    assert.equal(b.error, undefined);
    assert.equal(b.error === undefined && b.summary.m, 400);
    assert.equal(started.get(c), 2);
  });

  it('dispose terminates the worker and settles what is pending', async () => {
    const c = client({ createWorker: (_f, o) => new Worker('setInterval(() => {}, 1000); require("node:worker_threads").parentPort.on("message", () => {});', { ...o, eval: true }) });
    const pending = c.inspect(csvSource('x.csv'), dir, {});
    c.dispose();
    assert.match(errorOf(await pending), /the data worker was shut down/);
  });
});

// ---------------------------------------------------------------------------- HDF5

describe('data worker: HDF5 gets the checks CSV gets', () => {
  before(() => h5Ready);

  it('reads a good set: features from the shape, labels summarised', async () => {
    const answer = await shared.inspect(h5Source('bad.h5', 'x', 'y'), dir, {});
    assert.deepEqual(answer.error === undefined && answer.summary, { features: 2, m: 3, labels: { binary: true, distinct: [0, 1] } });
    const three = await shared.inspect(h5Source('bad.h5', 'x', 'y_three'), dir, {});
    assert.deepEqual(three.error === undefined && three.summary.labels, { binary: false, distinct: [0, 1, 2] });
  });

  it('NaN and infinite features are an error naming the dataset and the first bad index', async () => {
    assert.equal(errorOf(await shared.inspect(h5Source('bad.h5', 'x_nan', 'y'), dir, {})), "Data file 'bad.h5': dataset 'x_nan' holds NaN at [1, 1] (example 2); features must be finite numbers.");
    assert.equal(errorOf(await shared.inspect(h5Source('bad.h5', 'x_inf', 'y'), dir, {})), "Data file 'bad.h5': dataset 'x_inf' holds Infinity at [2, 0, 1] (example 3); features must be finite numbers.");
    assert.equal(
      errorOf(await shared.inspect(h5Source('bad.h5', 'x', 'y_nan'), dir, {})),
      "Data file 'bad.h5': dataset 'y_nan' holds NaN at [1]; labels must be finite numbers (0 or 1 for binary cross-entropy).",
    );
    // a scale that overflows a finite value
    assert.match(errorOf(await shared.inspect(h5Source('bad.h5', 'x', 'y', 1e308), dir, {})), /dataset 'x' holds 2, which times scale 1e\+308 is not finite, at \[0, 1\]/);
    // integers cannot be NaN: not even read for the checks
    assert.equal((await shared.inspect(h5Source('bad.h5', 'x_int', 'y'), dir, {})).error, undefined);
  });

  it('a set with no examples is an error (m = 0)', async () => {
    assert.equal(errorOf(await shared.inspect(h5Source('bad.h5', 'x_empty', 'y_empty'), dir, {})), "Data file 'bad.h5': dataset 'x_empty' has no examples (its shape is (0, 2)).");
  });

  it('a set whose declared shape needs more than the budget is refused before its values are read', async () => {
    // a file of a few KB declaring 800 M values
    const answer = await shared.inspect(h5Source('bad.h5', 'x_big', 'y_big'), dir, {});
    assert.equal(answer.error !== undefined && answer.refusal, 'over-budget');
    assert.equal(
      errorOf(answer),
      "Data file 'bad.h5': reading 'x_big' (400000000, 2) and its labels would take about 12,207 MB, more than the memory budget of 2,048 MB (nnspec.training.memoryBudgetMB); it is not read.",
    );
  });

  it('training loads refuse the same: NaN features, m = 0, over the budget (in a child process)', async () => {
    const code = `
      const { loadDataset } = require(${JSON.stringify(path.join(ROOT, 'src', 'trainer', 'datasets.ts'))});
      (async () => {
        const out = [];
        for (const [x, y, limits] of [['x_nan', 'y'], ['x_empty', 'y_empty'], ['x_big', 'y_big'], ['x', 'y', { memoryBudgetBytes: 100 }], ['x_int', 'y']]) {
          try {
            const d = await loadDataset({ kind: 'file', split: 'train', path: 'bad.h5', x, y, scale: 1 }, ${JSON.stringify(dir)}, limits);
            out.push({ shape: [d.X.rows, d.X.cols] });
          } catch (e) { out.push({ name: e.name, message: e.message, refusal: e.refusal }); }
        }
        process.stdout.write(JSON.stringify(out));
      })();`;
    const results = await new Promise<{ name?: string; message?: string; refusal?: string; shape?: number[] }[]>((resolve, reject) =>
      execFile(process.execPath, ['--require', TSX, '-e', code], { cwd: ROOT }, (err, out, stderr) => (err ? reject(new Error(stderr)) : resolve(JSON.parse(out)))),
    );
    assert.match(results[0].message!, /dataset 'x_nan' holds NaN at \[1, 1\]/);
    assert.match(results[1].message!, /'x_empty' has no examples/);
    assert.equal(results[2].refusal, 'over-budget');
    // features as stored (8 bytes) plus X as float64 (8 bytes), labels (1 + 8 bytes): 3 * 2 * 16 + 3 * 9 = 123 bytes
    assert.match(results[3].message!, /would take about 0\.000117 MB, more than the memory budget of 0\.0000954 MB/);
    assert.deepEqual(results[4].shape, [2, 3]);
  });
});

// ---------------------------------------------------------------------------- saved models

describe('data worker: saved models', () => {
  const PLANAR = 'network "planar"\ninput 2\ndense 3 tanh\ndense 1 sigmoid\ndata train flower m=40\nlearning_rate 1.2\nseed 2\niterations 20\n';

  it('opens a model with its data: counts, points and the decision boundary, computed in the worker', async () => {
    const { spec } = parseSpec(PLANAR);
    const run = new TrainingRun(spec, await loadDataset(spec.train!, dir));
    while (!run.done) run.step();
    const file = path.join(dir, 'planar.model.json');
    writeFileSync(file, JSON.stringify(run.toModel({ source: PLANAR, specPath: path.join(dir, 'planar.nnspec') })));
    const opened = await shared.openModel(file, true, {}, 10);
    assert.equal(opened.model.spec.name, 'planar');
    assert.deepEqual([opened.m, opened.features, opened.testM], [40, 2, 0]);
    assert.equal(opened.points?.train.x1.length, 40);
    assert.equal(opened.snapshot?.output.values.length, 100);
    assert.equal(opened.dataError, undefined);
    // without data: the model only
    const bare = await shared.openModel(file, false, {});
    assert.deepEqual([bare.m, bare.points], [0, undefined]);
  });

  it('a hostile model is a clear model error, never a crash of the worker or the host', async () => {
    const { spec } = parseSpec(PLANAR);
    const run = new TrainingRun(spec, await loadDataset(spec.train!, dir));
    const model = JSON.parse(JSON.stringify(run.toModel({})));
    model.spec.train.m = 1e9;
    const file = path.join(dir, 'hostile.model.json');
    writeFileSync(file, JSON.stringify(model));
    await assert.rejects(shared.openModel(file, true, {}), (e: Error) => {
      assert.ok(e instanceof DataRequestError);
      assert.equal(e.kind, 'model');
      assert.equal(e.message, 'spec.train.m (examples) must be a whole number from 1 to 1,000,000, not 1000000000.');
      return true;
    });
    // larger than the size limit: not read
    await assert.rejects(shared.openModel(file, true, { maxFileBytes: 100 }), /The model file is \d+ MB, larger than the limit/);
    await assert.rejects(shared.openModel(path.join(dir, 'none.model.json'), true, {}), /There is no model file at/);
  });
});
