// The training worker thread: implements src/shared/workerProtocol.ts. Trains in slices of a
// few milliseconds and yields to the event loop between them, so stop/pause/step messages are
// handled within a fraction of a second. Every failure becomes an ErrorMessage.

import { parentPort } from 'node:worker_threads';
import type { FromWorker, StartMessage, ToWorker } from '../shared/workerProtocol';
import { DataError, loadDataset, validateData, type Dataset } from './datasets';
import { DivergedError, TrainingRun } from './run';

const SLICE_MS = 15;

interface Active {
  msg: StartMessage;
  run?: TrainingRun;
  paused: boolean;
  stopped: boolean;
  /** iterations still to do while paused (step) */
  pendingSteps: number;
  lastProgress: number;
  lastSnapshot: number;
  sentCosts: number;
  startedAt: number;
  timer?: NodeJS.Immediate;
}

let active: Active | undefined;

function post(msg: FromWorker): void {
  parentPort?.postMessage(msg);
}

function fail(a: Active, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  const kind = err instanceof DivergedError ? 'diverged' : err instanceof DataError ? 'data' : 'internal';
  post({ type: 'error', runId: a.msg.runId, message, kind, iteration: a.run?.iteration });
  if (active === a) active = undefined;
}

function progress(a: Active, force = false): void {
  const run = a.run!;
  const now = Date.now();
  if (!force && now - a.lastProgress < (a.msg.progressEveryMs ?? 50)) return;
  a.lastProgress = now;
  const costs = run.costs.slice(a.sentCosts);
  a.sentCosts = run.costs.length;
  let snapshot;
  if (a.msg.snapshots && (force || now - a.lastSnapshot >= a.msg.snapshots.everyMs)) {
    a.lastSnapshot = now;
    snapshot = run.snapshot(a.msg.snapshots.grid);
  }
  post({
    type: 'progress',
    runId: a.msg.runId,
    iteration: run.iteration,
    cost: run.lastCost,
    costs,
    elapsedMs: now - a.startedAt,
    paused: a.paused,
    snapshot,
  });
}

function finish(a: Active, cancelled: boolean): void {
  const run = a.run!;
  const model = run.toModel();
  post({
    type: 'done',
    runId: a.msg.runId,
    cancelled,
    iterations: run.iteration,
    costs: run.costs,
    trainAccuracy: model.trainAccuracy,
    testAccuracy: model.testAccuracy,
    seconds: run.seconds,
    model,
    snapshot: a.msg.snapshots ? run.snapshot(a.msg.snapshots.grid) : undefined,
  });
  if (active === a) active = undefined;
}

function tick(a: Active): void {
  a.timer = undefined;
  if (active !== a) return;
  const run = a.run!;
  try {
    if (a.stopped) return finish(a, true);
    const overTime = a.msg.maxMillis !== undefined && Date.now() - a.startedAt >= a.msg.maxMillis;
    if (run.done || overTime) {
      progress(a, true);
      return finish(a, false);
    }
    if (a.paused) {
      if (a.pendingSteps > 0) {
        while (a.pendingSteps > 0 && !run.done) {
          run.step();
          a.pendingSteps--;
        }
        progress(a, true);
        if (run.done) return finish(a, false);
      }
      return; // wait for resume/step/stop
    }
    run.runFor(SLICE_MS);
    progress(a);
  } catch (err) {
    return fail(a, err);
  }
  schedule(a);
}

function schedule(a: Active): void {
  if (!a.timer) a.timer = setImmediate(() => tick(a));
}

async function start(msg: StartMessage): Promise<void> {
  if (active) {
    active.stopped = true;
    if (active.run) finish(active, true);
  }
  // a run still loading its data is answered by its own start() once loaded
  const a: Active = {
    msg,
    paused: !!msg.paused,
    stopped: false,
    pendingSteps: 0,
    lastProgress: 0,
    lastSnapshot: 0,
    sentCosts: 0,
    startedAt: Date.now(),
  };
  active = a;
  try {
    const { spec } = msg;
    if (spec.inputSize === undefined || spec.layers.length === 0) throw new Error('The spec needs an input and at least one layer.');
    if (!spec.train) throw new DataError('The spec has no training data: add a `data train ...` line.');
    const train = await loadDataset(spec.train, msg.specDir);
    validateData('training', train, spec.inputSize, spec.loss);
    let test: Dataset | undefined;
    if (spec.test) {
      test = await loadDataset(spec.test, msg.specDir);
      validateData('test', test, spec.inputSize, spec.loss);
    }
    a.run = new TrainingRun(spec, train, test, { maxIterations: msg.maxIterations, recordEvery: msg.recordEvery });
    // stopped (or replaced by a newer run) while the data was loading: answer as cancelled
    if (a.stopped || active !== a) return finish(a, true);
    const points = train.X.rows === 2 ? { train: pointSet(train), test: test ? pointSet(test) : undefined } : undefined;
    post({ type: 'started', runId: msg.runId, m: train.X.cols, features: train.X.rows, testM: test?.X.cols ?? 0, points });
    a.startedAt = Date.now();
    progress(a, true);
    schedule(a);
  } catch (err) {
    fail(a, err);
  }
}

function pointSet(d: Dataset): { x1: number[]; x2: number[]; y: number[] } {
  const m = d.X.cols;
  return { x1: Array.from(d.X.data.subarray(0, m)), x2: Array.from(d.X.data.subarray(m, 2 * m)), y: Array.from(d.Y.data) };
}

function handle(msg: ToWorker): void {
  if (msg.type === 'start') {
    void start(msg);
    return;
  }
  const a = active;
  if (!a || a.msg.runId !== msg.runId) return;
  switch (msg.type) {
    case 'stop':
      a.stopped = true;
      if (!a.run) return; // still loading: start() answers once the data is in
      break;
    case 'pause':
      a.paused = true;
      if (a.run) progress(a, true);
      return;
    case 'resume':
      a.paused = false;
      break;
    case 'step':
      a.paused = true;
      a.pendingSteps += Math.max(1, msg.count ?? 1);
      break;
  }
  if (a.run) schedule(a);
}

parentPort?.on('message', (msg: ToWorker) => {
  try {
    handle(msg);
  } catch (err) {
    post({ type: 'error', runId: (msg as { runId?: number }).runId ?? -1, message: String(err), kind: 'internal' });
  }
});
