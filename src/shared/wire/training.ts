// Messages between the extension host (or the CLI's sweep) and the training worker thread,
// carried by the messenger (wire/messenger.ts): `start` is a request answered by `done` or
// `error`; the others are notifications. No vscode, DOM or node imports. One interface per
// message, one union per direction.

import type { ErrorKind } from '../model/errors';
import type { Limits } from '../model/limits';
import type { SavedModel, StepDetail } from '../model/results';
import type { ProgressEvent, RunEnd, StartedEvent } from '../model/runs';
import type { NetworkSpec } from '../model/spec';

/** Ask for decision-boundary snapshots (only meaningful for 2-feature data). */
export interface SnapshotOptions {
  /** grid resolution per axis, e.g. 40 gives 40x40 points */
  grid: number;
  /** at most one snapshot this often (ms); a final one is always sent */
  everyMs: number;
}

/** Host -> worker, a request: start a run. Progress follows as notifications; the reply is `done` or `error`. */
export interface StartMessage {
  type: 'start';
  runId: number;
  spec: NetworkSpec;
  /** folder of the spec file; data paths are relative to it */
  specDir: string;
  /** stop after this many iterations (preview runs); default spec.iterations */
  maxIterations?: number;
  /** stop after this much wall time (preview runs) */
  maxMillis?: number;
  /** record the cost every this many iterations (default spec.printEvery; first and last always) */
  recordEvery?: number;
  /** minimum time between progress messages, default 50 */
  progressEveryMs?: number;
  snapshots?: SnapshotOptions;
  /** start paused (the designer's step-by-step mode) */
  paused?: boolean;
  /**
   * The spec file itself (absolute), when known: stored in the saved model (SavedModel.specPath)
   * so that a model saved elsewhere can find its data again.
   */
  specPath?: string;
  /**
   * A 4-byte shared stop flag (Int32Array index 0; non-zero = stop), set by the host with
   * Atomics.store. The worker reads it between layers and inside large matrix products, so a
   * stop takes effect in the middle of an iteration, without waiting for the `stop` message.
   * TrainerClient fills it in.
   */
  stopFlag?: SharedArrayBuffer;
  /** 'typescript': the reference kernels only; default 'auto' (WebAssembly SIMD where available) */
  kernels?: 'auto' | 'typescript';
  /**
   * The user's limits: data files larger than maxFileBytes are not read, and a run whose memory
   * estimate is over memoryBudgetBytes (or the machine's memory) is refused before allocating.
   */
  limits?: Limits;
  /**
   * Threads for the WebAssembly kernels' large products (default 2). A sweep that trains two
   * runs at once in two workers gives each one thread.
   */
  threads?: 1 | 2;
}

/** Host -> worker: stop the run as soon as possible (answered by `done` with cancelled: true). */
export interface StopMessage {
  type: 'stop';
  runId: number;
}
export interface PauseMessage {
  type: 'pause';
  runId: number;
}
export interface ResumeMessage {
  type: 'resume';
  runId: number;
}
/** Host -> worker: while paused, run exactly `count` iterations (default 1), then report. */
export interface StepMessage {
  type: 'step';
  runId: number;
  count?: number;
}

/**
 * Host -> worker, a request: the run under way as it is now, without disturbing it (no update,
 * the next iteration is the one it would have done): the step inspector's pass at its current
 * parameters (`detail`, computed on the run's own network) and/or a copy of its parameters.
 * Answered by `inspected`, or an error when the run has not started (still loading its data).
 */
export interface InspectMessage {
  type: 'inspect';
  runId: number;
  detail?: boolean;
  parameters?: boolean;
}

export type ToWorker = StartMessage | StopMessage | PauseMessage | ResumeMessage | StepMessage | InspectMessage;

/**
 * Worker -> host: a run event (its id is the run's runId): `started` when the data has loaded
 * (with how the products run, `kernels`, and why not faster, `notice`), then `progress` in the
 * shape the chart draws. The host applies it to its run history and relays it to the designer
 * as it is.
 */
export interface RunNote {
  type: 'run';
  event: StartedEvent | ProgressEvent;
}

/**
 * Worker -> host, the reply to `start`: the run ended. When `cancelled`, nothing is computed
 * only to be thrown away: `trainAccuracy` is NaN, `testAccuracy` NaN (or null without a test
 * set), and `model` holds the spec and the cost history but no parameters (it is not meant to be
 * saved); `last` is the last cost computed.
 */
export interface DoneMessage extends RunEnd {
  type: 'done';
  runId: number;
  /** the worker did not answer the stop in time and the host terminated it (cancelled runs only) */
  terminated?: boolean;
  /** the trained model, as saved by `--out` */
  model: SavedModel;
}

/** Worker -> host, the reply to `start` when the run failed. */
export interface ErrorMessage {
  type: 'error';
  runId: number;
  message: string;
  /** 'data' for unreadable data, 'diverged' for NaN/Inf cost, 'spec' for an unusable spec, 'memory' for a run over the memory budget, 'internal' otherwise */
  kind: ErrorKind;
  /** iteration at which the run stopped, when it had started */
  iteration?: number;
}

/** Worker -> host, the reply to `inspect`. */
export interface InspectedMessage {
  type: 'inspected';
  runId: number;
  /** updates done: the pass is the one before update iteration + 1 */
  iteration: number;
  detail?: StepDetail;
  parameters?: SavedModel['parameters'];
}

export type FromWorker = RunNote | DoneMessage | ErrorMessage | InspectedMessage;

/** The host's requests to the training worker and their replies (the rest of ToWorker are notifications). */
export interface WorkerReplies {
  start: DoneMessage | ErrorMessage;
  inspect: InspectedMessage;
}
