// The training worker thread: implements src/shared/wire/training.ts. Trains in slices of a
// few milliseconds and yields to the event loop between them, so stop/pause/step messages are
// handled within a fraction of a second. A single iteration can take seconds (the cat networks'
// 12288-wide first layer), so a stop does not wait for the slice to end: the host also sets the
// run's shared stop flag (StartMessage.stopFlag), which the kernels read between layers and
// inside large matrix products; the iteration then aborts with CancelledError. Messages go
// through the messenger (src/shared/wire/messenger.ts): `start` is a request, answered when the
// run ends with `done`, or with an ErrorMessage naming the failure's kind; meanwhile the run's
// `started` and `progress` events go out as they are (RunNote), for the host to relay.

import { parentPort } from 'node:worker_threads';
import { Messenger } from '../shared/wire/messenger';
import type { DoneMessage, ErrorMessage, FromWorker, InspectedMessage, InspectMessage, StartMessage, ToWorker } from '../shared/wire/training';
import { loadSpecData } from './datasets';
import { assertTrainable, DataError, errorKind } from './errors';
import { CancelledError, type CancelCheck } from './kernels';
import { cancelledDone, pointSet, TrainingRun } from './run';
import { startKernelHelper } from './wasm/wasmBackend';


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
  /** the shared stop flag, when the host sent one */
  flag?: Int32Array;
  /** answers the `start` request */
  reply: (end: DoneMessage | ErrorMessage) => void;
}

let active: Active | undefined;

const messenger = new Messenger<FromWorker, ToWorker>({
  post: (envelope) => parentPort?.postMessage(envelope),
  handle: (msg) => handle(msg),
});
parentPort?.on('message', (envelope: unknown) => messenger.receive(envelope));

/** Stop requested: by the `stop` message, or (mid-computation) by the shared flag. */
function stopRequested(a: Active): boolean {
  return a.stopped || (a.flag !== undefined && Atomics.load(a.flag, 0) !== 0);
}

function cancelCheck(a: Active): CancelCheck {
  return () => {
    if (stopRequested(a)) throw new CancelledError();
  };
}

function fail(a: Active, err: unknown): void {
  a.run?.dispose();
  const message = err instanceof Error ? err.message : String(err);
  if (active === a) active = undefined;
  a.reply({ type: 'error', runId: a.msg.runId, message, kind: errorKind(err), iteration: a.run?.iteration });
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
  messenger.notify({
    type: 'run',
    event: { kind: 'progress', id: a.msg.runId, progress: { iteration: run.iteration, last: run.lastCost(), costs, elapsedMs: now - a.startedAt, paused: a.paused, snapshot } },
  });
}

function origin(a: Active): { specPath?: string; specDir: string } {
  return { specPath: a.msg.specPath, specDir: a.msg.specDir };
}

function finish(a: Active, cancelled: boolean): void {
  const run = a.run!;
  if (active === a) active = undefined;
  if (a.timer) clearImmediate(a.timer);
  a.timer = undefined;
  let model;
  try {
    // a stopped run computes no accuracies and copies no parameters only to have them discarded
    model = cancelled ? run.toCancelledModel(origin(a)) : run.toModel(origin(a));
  } catch (err) {
    run.dispose();
    if (err instanceof CancelledError) return finish(a, true);
    return fail(a, err);
  }
  const snapshot = a.msg.snapshots ? run.snapshot(a.msg.snapshots.grid) : undefined;
  // the last cost computed (a stopped run: at the iteration it stopped at, not the last recorded)
  const last = run.lastCost();
  run.dispose();
  a.reply({
    type: 'done',
    runId: a.msg.runId,
    cancelled,
    iterations: run.iteration,
    costs: run.costs,
    last,
    trainAccuracy: model.trainAccuracy,
    testAccuracy: model.testAccuracy,
    ...(cancelled ? {} : { trainMetrics: model.trainMetrics ?? null, testMetrics: model.testMetrics ?? null }),
    seconds: run.seconds,
    model,
    snapshot,
  });
}

function tick(a: Active): void {
  a.timer = undefined;
  if (active !== a) return;
  const run = a.run!;
  try {
    if (stopRequested(a)) return finish(a, true);
    const overTime = a.msg.maxMillis !== undefined && Date.now() - a.startedAt >= a.msg.maxMillis;
    if (run.done || overTime) {
      progress(a, true);
      return finish(a, false);
    }
    if (a.paused) {
      if (a.pendingSteps === 0) return; // wait for resume/step/stop
      // a large step count runs in slices too, so that stop and pause get through
      a.pendingSteps -= run.advance(undefined, a.pendingSteps);
      if (run.done) {
        progress(a, true);
        return finish(a, false);
      }
      if (a.pendingSteps > 0) progress(a);
      else progress(a, true);
      if (a.pendingSteps === 0) return;
    } else {
      run.advance();
      progress(a);
    }
  } catch (err) {
    if (err instanceof CancelledError) return finish(a, true);
    return fail(a, err);
  }
  schedule(a);
}

function schedule(a: Active): void {
  if (!a.timer) a.timer = setImmediate(() => tick(a));
}

async function start(msg: StartMessage, reply: Active['reply']): Promise<void> {
  if (active) {
    const old = active;
    old.stopped = true;
    if (old.run) finish(old, true);
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
    flag: msg.stopFlag ? new Int32Array(msg.stopFlag) : undefined,
    reply,
  };
  active = a;
  // the kernels' second thread starts while the data loads
  if (msg.threads !== 1 && msg.kernels !== 'typescript') startKernelHelper();
  try {
    const { spec } = msg;
    assertTrainable(spec);
    if (!spec.train) throw new DataError('The spec has no training data: add a `data train ...` line.');
    // kept while the files do not change: a sweep's runs and the runs after an edit read them once
    const { train, test } = await loadSpecData(spec, msg.specDir, { limits: msg.limits, stopped: () => stopRequested(a), cache: true });
    if (!train) return cancelledBeforeStart(a);
    const { run, notice } = await TrainingRun.start(spec, train, test, {
      maxIterations: msg.maxIterations,
      recordEvery: msg.recordEvery,
      cancel: cancelCheck(a),
      kernels: msg.kernels,
      memoryBudgetBytes: msg.limits?.memoryBudgetBytes,
      memoryBudgetSource: 'the setting nnspec.training.memoryBudgetMB',
      threads: msg.threads,
    });
    a.run = run;
    // stopped (or replaced by a newer run) while the data was loading: answer as cancelled
    if (stopRequested(a) || active !== a) return finish(a, true);
    const points = train.X.rows === 2 ? { train: pointSet(train), test: test ? pointSet(test) : undefined } : undefined;
    messenger.notify({
      type: 'run',
      event: { kind: 'started', id: msg.runId, start: { m: train.X.cols, features: train.X.rows, testM: test?.X.cols ?? 0, points }, kernels: run.kernels, ...(notice ? { notice } : {}) },
    });
    a.startedAt = Date.now();
    progress(a, true);
    schedule(a);
  } catch (err) {
    // a run stopped (or replaced) while its data was loading ends as cancelled, whatever the
    // data turned out to be: the user asked it to stop, not to report on it
    if (stopRequested(a) || active !== a) cancelledBeforeStart(a);
    else fail(a, err);
  }
}

function cancelledBeforeStart(a: Active): void {
  if (active === a) active = undefined;
  a.reply(cancelledDone(a.msg.runId, a.msg.spec, { costs: [], iterations: 0, seconds: (Date.now() - a.startedAt) / 1000 }, origin(a)));
}

/** The run as it is now, without an update (the step inspector, the parameters for the lab). */
function inspect(msg: InspectMessage): InspectedMessage {
  const a = active;
  if (!a || a.msg.runId !== msg.runId) throw new Error('That run is no longer under way.');
  if (!a.run) throw new Error('The run has not started yet: its data is still loading.');
  const { run } = a;
  return {
    type: 'inspected',
    runId: msg.runId,
    iteration: run.iteration,
    ...(msg.detail ? { detail: run.inspect() } : {}),
    ...(msg.parameters ? { parameters: run.parameters() } : {}),
  };
}

/**
 * A `start` resolves with the run's end (the messenger sends it as the reply), an `inspect` with
 * the run as it is; the rest are notifications.
 */
function handle(msg: ToWorker): Promise<DoneMessage | ErrorMessage> | InspectedMessage | undefined {
  if (msg.type === 'start') return new Promise((reply) => void start(msg, reply));
  if (msg.type === 'inspect') return inspect(msg);
  const a = active;
  if (!a || a.msg.runId !== msg.runId) return undefined;
  switch (msg.type) {
    case 'stop':
      a.stopped = true;
      if (!a.run) return undefined; // still loading: start() answers once the data is in
      if (a.timer) clearImmediate(a.timer);
      a.timer = undefined;
      finish(a, true);
      return undefined;
    case 'pause':
      a.paused = true;
      a.pendingSteps = 0;
      if (a.run) progress(a, true);
      return undefined;
    case 'resume':
      a.paused = false;
      a.pendingSteps = 0;
      break;
    case 'step':
      a.paused = true;
      a.pendingSteps += Math.max(1, msg.count ?? 1);
      break;
  }
  if (a.run) schedule(a);
  return undefined;
}
