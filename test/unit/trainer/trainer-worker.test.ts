// The training worker through src/trainer/trainerClient.ts, running the TypeScript source of
// src/trainer/trainWorker.ts: progress throttling, errors with their message and kind, and
// stopping: mid-iteration through the shared stop flag, during a long paused `step`, and by
// terminating a worker that does not answer. The tests wait for the worker's messages (events),
// not for fixed times.

import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseSpec } from '../../../src/language';
import type { RunProgress } from '../../../src/shared/model/runs';
import type { DoneMessage } from '../../../src/shared/wire/training';
import { TrainerClient, TrainingError, type TrainerClientOptions } from '../../../src/trainer/trainerClient';

const WORKER = path.join(__dirname, '..', '..', '..', 'src', 'trainer', 'trainWorker.ts');
const TSX = require.resolve('tsx/cjs');
const tsWorker = (file: string): Worker => new Worker(`require(${JSON.stringify(TSX)}); require(${JSON.stringify(file)});`, { eval: true });

const clients: TrainerClient[] = [];
function client(options: TrainerClientOptions = {}): TrainerClient {
  const c = new TrainerClient(WORKER, { createWorker: tsWorker, ...options });
  clients.push(c);
  return c;
}
after(() => clients.forEach((c) => c.dispose()));
/** one worker for the tests that do not need their own: a worker takes a while to start */
const shared = client();

const spec = (text: string) => parseSpec(text).spec;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The progress a run reports, and a wait for the first (already received or coming) that matches. */
function progressLog() {
  const seen: RunProgress[] = [];
  const waiting: { match: (p: RunProgress) => boolean; resolve: (p: RunProgress) => void }[] = [];
  return {
    seen,
    onProgress(p: RunProgress): void {
      seen.push(p);
      for (const w of waiting.splice(0)) {
        if (w.match(p)) w.resolve(p);
        else waiting.push(w);
      }
    },
    next(match: (p: RunProgress) => boolean, from = seen.length): Promise<RunProgress> {
      const hit = seen.slice(from).find(match);
      return hit ? Promise.resolve(hit) : new Promise((resolve) => waiting.push({ match, resolve }));
    },
  };
}
const PLANAR = 'input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train flower m=200\nlearning_rate 1.2\nseed 2\n';
/** one iteration takes seconds: W[2] A[1] alone is 1500 x 1500 x 1500 multiply-adds */
const WIDE = 'input 2\ndense 1500 relu\ndense 1500 relu\ndense 1 sigmoid\ndata train flower m=1500\ninit he\niterations 10\n';

function failure(done: Promise<DoneMessage>): Promise<TrainingError> {
  return done.then(
    () => assert.fail('the run should have failed'),
    (e: unknown) => {
      assert.ok(e instanceof TrainingError);
      return e;
    },
  );
}

describe('training worker: progress', () => {
  it('progress messages are at least 50 ms apart, except the final one; their costs add up to the run', async () => {
    const progress: RunProgress[] = [];
    const { done } = shared.run(
      { spec: spec(PLANAR + 'iterations 1000000\n'), specDir: '/', maxMillis: 400, recordEvery: 500 },
      { onEvent: (e) => e.kind === 'progress' && progress.push(e.progress) },
    );
    const result = await done;
    assert.equal(result.cancelled, false);
    assert.ok(progress.length >= 4, `${progress.length} progress messages`);
    for (let i = 1; i < progress.length - 1; i++) {
      const gap = progress[i].elapsedMs - progress[i - 1].elapsedMs;
      assert.ok(gap >= 50, `progress ${i} came ${gap} ms after the previous one`);
    }
    assert.equal(progress[progress.length - 1].iteration, result.iterations);
    // every progress names the last cost computed, at the iteration before the one it reports;
    // before the first iteration there is none (never a NaN)
    assert.equal(progress[0].iteration, 0);
    assert.equal(progress[0].last, undefined);
    assert.ok(progress.slice(1).every((p) => p.last !== undefined && p.last[0] === p.iteration - 1 && Number.isFinite(p.last[1])));
    assert.deepEqual(result.last, progress[progress.length - 1].last);
    assert.deepEqual(
      progress.flatMap((p) => p.costs),
      result.costs,
    );
    assert.ok(Number.isFinite(result.trainAccuracy));
    assert.equal(result.model.parameters.length, 2);
    assert.equal(result.model.specDir, '/');
  });
});

describe('training worker: errors come back with their message and kind', () => {
  it('data, spec and diverged', async () => {
    const c = shared;
    const data = await failure(c.run({ spec: spec('input 2\ndense 1 sigmoid\ndata train "missing.csv"\n'), specDir: '/nowhere' }).done);
    assert.equal(data.kind, 'data');
    assert.equal(data.message, `Data file 'missing.csv' not found (looked for ${path.resolve('/nowhere', 'missing.csv')}).`);

    const noInput = await failure(c.run({ spec: spec('dense 1 sigmoid\ndata train flower\n'), specDir: '/' }).done);
    assert.equal(noInput.kind, 'spec');
    assert.match(noInput.message, /no `input` line/);

    const outputs = await failure(c.run({ spec: spec('input 2\ndense 3 tanh\ndense 2 linear\nloss mse\ndata train flower m=50\n'), specDir: '/' }).done);
    assert.equal(outputs.kind, 'spec');
    assert.match(outputs.message, /^The output layer has 2 units, so A\[L\] would be \(2, 50\), but the training labels Y are \(1, 50\)/);

    const diverged = await failure(c.run({ spec: spec(PLANAR + 'learning_rate 1e6\niterations 100\n'), specDir: '/' }).done);
    assert.equal(diverged.kind, 'diverged');
    assert.match(diverged.message, /^The cost became (NaN|infinite) at iteration \d+: the learning rate \(1000000\) is probably too high/);
    assert.equal(typeof diverged.iteration, 'number');
  });

  it('memory: a run over the budget is refused before it allocates, naming both sizes', async () => {
    // 2 → 1,000,000 → 1: about 12 GB of caches for 400 examples; the budget is 64 MB
    const big = spec('input 2\ndense 1000000 relu\ndense 1 sigmoid\ndata train flower m=400\n');
    const refused = await failure(shared.run({ spec: big, specDir: '/', limits: { memoryBudgetBytes: 64 * 2 ** 20 } }).done);
    assert.equal(refused.kind, 'memory');
    assert.match(refused.message, /^This run needs about 1[0-9]\.\d GB of memory, more than (this machine has|the setting nnspec\.training\.memoryBudgetMB allows \(64\.0 MB\))/);
    // within the budget, the same worker trains
    const small = await shared.run({ spec: spec(PLANAR + 'iterations 5\n'), specDir: '/', limits: { memoryBudgetBytes: 64 * 2 ** 20 } }).done;
    assert.equal(small.iterations, 5);
  });
});

describe('training worker: stopping', () => {
  it('stops in the middle of a multi-second iteration, without computing accuracies', async () => {
    const c = shared;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const { done } = c.run({ spec: spec(WIDE), specDir: '/' }, { onEvent: (e) => e.kind === 'started' && started() });
    await running;
    // the first iteration takes seconds: 200 ms after the start it is under way
    await sleep(200);
    const t0 = Date.now();
    c.stop();
    const result = await done;
    const latency = Date.now() - t0;
    assert.equal(result.cancelled, true);
    assert.equal(result.terminated, undefined, 'the worker had to be terminated: it did not see the stop flag');
    assert.equal(result.iterations, 0, 'the first iteration should not have finished');
    assert.ok(latency < 500, `stop took ${latency} ms`);
    assert.ok(Number.isNaN(result.trainAccuracy));
    assert.deepEqual(result.model.parameters, []);
  });

  it('a paused step with a huge count keeps reporting, and pause and stop get through', async () => {
    const c = shared;
    const log = progressLog();
    const { done } = c.run({ spec: spec(PLANAR + 'iterations 100000000\n'), specDir: '/', paused: true }, { onEvent: (e) => e.kind === 'progress' && log.onProgress(e.progress) });
    await log.next(() => true);
    const before = log.seen.length;
    c.step(1e9);
    // the step keeps reporting: two progress messages while it runs
    const first = await log.next((p) => p.iteration > 0, before);
    await log.next((p) => p.iteration > first.iteration);
    c.pause();
    const last = await log.next((p) => p.paused && p.iteration > 0, log.seen.length);
    // nothing more comes while paused
    await sleep(100);
    assert.equal(log.seen[log.seen.length - 1].iteration, last.iteration, 'still stepping after pause');
    const t0 = Date.now();
    c.step(1e9);
    await log.next((p) => p.iteration > last.iteration);
    c.stop();
    const result = await done;
    assert.ok(Date.now() - t0 < 500);
    assert.equal(result.cancelled, true);
    assert.equal(result.terminated, undefined);
    assert.ok(result.iterations > last.iteration);
  });

  it('a stopped run reports the last cost computed, not the last recorded one', async () => {
    const log = progressLog();
    // records every 1000 iterations: the costs between are computed only for the progress
    const { done } = shared.run({ spec: spec(PLANAR + 'iterations 100000000\n'), specDir: '/', recordEvery: 1000 }, { onEvent: (e) => e.kind === 'progress' && log.onProgress(e.progress) });
    const seen = await log.next((p) => p.iteration > 20 && p.iteration % 1000 !== 1);
    shared.stop();
    const result = await done;
    assert.equal(result.cancelled, true);
    assert.ok(result.last, 'a last cost');
    const shown = log.seen[log.seen.length - 1].last!;
    // what the designer showed last, or a cost computed after it: never back to a recorded one
    assert.ok(result.last[0] >= shown[0] && shown[0] >= seen.last![0], `the last cost is of iteration ${result.last[0]}, the last shown of ${shown[0]}`);
    const recorded = result.costs[result.costs.length - 1];
    assert.ok(result.last[0] > recorded[0], `the last recorded cost is of iteration ${recorded[0]}, older than ${result.last[0]}`);
  });

  it('a worker that does not answer a stop is terminated and the run resolves as cancelled', async () => {
    let made = 0;
    // the first worker never answers anything; later ones are real
    const c = client({
      stopTimeoutMs: 150,
      createWorker: (file) => (made++ === 0 ? new Worker('setInterval(() => {}, 1000);', { eval: true }) : tsWorker(file)),
    });
    const stuck = c.run({ spec: spec(PLANAR + 'iterations 10\n'), specDir: '/' });
    // starting a new run stops the stuck one; the new run waits behind it on the same worker
    const t0 = Date.now();
    const next = c.run({ spec: spec(PLANAR + 'iterations 10\n'), specDir: '/' });
    const old = await stuck.done;
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(old.cancelled, true);
    assert.equal(old.terminated, true);
    assert.ok(Number.isNaN(old.trainAccuracy));
    // ... and the newer run is started again on a fresh worker
    const result = await next.done;
    assert.equal(result.cancelled, false);
    assert.equal(result.iterations, 10);
    assert.equal(made, 2);
  });
});
