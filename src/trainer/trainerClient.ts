// Runs training in a worker_threads worker (a WorkerClient) and speaks src/shared/wire/training.ts
// to it through the messenger: each run is a `start` request whose reply is its `done` (or
// `error`); its started and progress events come as notifications. Node only, no vscode: the extension host
// and the CLI's sweep use it. One run at a time: starting a new run stops the previous one.
//
// Stopping: each run gets a shared stop flag (SharedArrayBuffer) that stop() sets directly, so
// the worker aborts even in the middle of a multi-second iteration; the `stop` message follows,
// and the run's request gets `stopTimeoutMs` to be answered (the messenger's one timeout rule).
// If the worker still has not answered then, it is terminated and the run resolves as cancelled
// anyway (DoneMessage.terminated); a newer run that was waiting behind it is started again on a
// fresh worker.

import type { ErrorKind } from '../shared/model/errors';
import { RemoteError, RequestTimeout } from '../shared/wire/messenger';
import type { CostPoint, ProgressEvent, StartedEvent } from '../shared/model/runs';
import type { DoneMessage, FromWorker, InspectedMessage, StartMessage, ToWorker, WorkerReplies } from '../shared/wire/training';
import { cancelledDone } from './run';
import { WorkerClient, type WorkerClientOptions, type WorkerEnd } from './workerClient';

export class TrainingError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly iteration?: number,
  ) {
    super(message);
  }
}

export interface RunHandlers {
  /** the worker's run events as they come: `started`, then `progress` in the shape the chart draws */
  onEvent?: (event: StartedEvent | ProgressEvent) => void;
}

export interface TrainerClientOptions extends WorkerClientOptions {
  /** how long a stopped run may take to answer before its worker is terminated (ms, default 500) */
  stopTimeoutMs?: number;
}

/** A run to start; `runId` names its events (default: the client's own numbering). */
type RunOptions = Omit<StartMessage, 'type' | 'runId' | 'stopFlag'> & { runId?: number };

interface Run {
  runId: number;
  options: RunOptions;
  handlers: RunHandlers;
  resolve: (done: DoneMessage) => void;
  reject: (err: TrainingError) => void;
  /** the messenger id of its `start` request (a new one when it is started again) */
  requestId: number;
  flag?: Int32Array;
  /** the worker has sent something for this run */
  answered: boolean;
  /** what the progress told so far, for a run that has to be ended without the worker */
  iteration: number;
  costs: CostPoint[];
  last?: CostPoint;
  startedAt: number;
  settled: boolean;
}

export class TrainerClient extends WorkerClient<ToWorker, FromWorker, WorkerReplies> {
  private nextRunId = 1;
  private current: Run | undefined;
  /** every run not settled yet: the current one, and stopped ones whose `done` has not arrived */
  private readonly runs = new Map<number, Run>();
  private readonly stopTimeoutMs: number;

  constructor(workerPath: string, options: TrainerClientOptions = {}) {
    super(workerPath, options, { handle: (msg) => this.onNotification(msg) });
    this.stopTimeoutMs = options.stopTimeoutMs ?? 500;
  }

  /**
   * Starts a run (stopping the current one, whose promise then resolves as cancelled or
   * rejects). Resolves with the `done` message; rejects with a TrainingError.
   */
  run(options: RunOptions, handlers: RunHandlers = {}): { runId: number; done: Promise<DoneMessage> } {
    if (this.current) this.stop();
    const runId = options.runId ?? this.nextRunId++;
    let run!: Run;
    const done = new Promise<DoneMessage>((resolve, reject) => {
      run = { runId, options, handlers, resolve, reject, requestId: -1, answered: false, iteration: 0, costs: [], startedAt: Date.now(), settled: false };
    });
    this.runs.set(runId, run);
    this.current = run;
    this.launch(run);
    return { runId, done };
  }

  private launch(run: Run): void {
    const stopFlag = typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : undefined;
    run.flag = stopFlag ? new Int32Array(stopFlag) : undefined;
    run.answered = false;
    const { id, reply } = this.messenger.send({ ...run.options, type: 'start', runId: run.runId, stopFlag });
    run.requestId = id;
    this.hold(true);
    reply.then(
      (end) => {
        if (run.requestId !== id) return;
        if (end.type === 'done') this.settle(run, () => run.resolve(end));
        else this.settle(run, () => run.reject(new TrainingError(end.message, end.kind, end.iteration)));
      },
      (err: unknown) => {
        if (run.requestId !== id || run.settled) return;
        if (err instanceof RequestTimeout) this.stopTimedOut(run);
        else if (err instanceof RemoteError) this.settle(run, () => run.reject(new TrainingError(err.message, 'internal')));
      },
    );
  }

  private onNotification(msg: FromWorker): void {
    if (msg.type !== 'run') return;
    const { event } = msg;
    const run = this.runs.get(event.id);
    if (!run) return; // a stale message from a run already ended
    run.answered = true;
    // a stopped run: only its end matters
    if (run !== this.current) return;
    if (event.kind === 'progress') {
      const { progress } = event;
      run.iteration = progress.iteration;
      run.costs.push(...progress.costs);
      if (progress.last) run.last = progress.last;
    }
    run.handlers.onEvent?.(event);
  }

  private settle(run: Run, settle: () => void): void {
    if (run.settled) return;
    run.settled = true;
    this.runs.delete(run.runId);
    if (this.current === run) this.current = undefined;
    // a late reply of the worker is ignored from now on
    this.messenger.settle(run.requestId, { error: new Error('settled') });
    settle();
    // lets the process exit when nothing is running
    if (this.runs.size === 0) this.hold(false);
  }

  /** Resolves a stopped run as cancelled without the worker's answer. */
  private endStopped(run: Run, terminated: boolean): void {
    const progress = { costs: run.costs, iterations: run.iteration, seconds: (Date.now() - run.startedAt) / 1000, last: run.last };
    const origin = { specPath: run.options.specPath, specDir: run.options.specDir };
    this.settle(run, () => run.resolve(cancelledDone(run.runId, run.options.spec, progress, origin, terminated)));
  }

  /** A stopped run did not answer in time: terminate its worker. */
  private stopTimedOut(run: Run): void {
    const next = this.current;
    if (next && next.answered) {
      // the worker is busy with the newer run, so it is alive: the old run was still loading its
      // data and will answer when that is done; no need to wait for it
      this.endStopped(run, false);
      return;
    }
    this.endWorker();
    for (const other of [...this.runs.values()]) if (other !== next) this.endStopped(other, true);
    // a newer run queued behind the stuck one starts again on a fresh worker
    if (next) {
      this.messenger.settle(next.requestId, { error: new Error('sent again to a fresh worker') });
      this.launch(next);
    }
  }

  /** The worker died: fail its current run, end its stopped runs as cancelled. */
  protected workerGone(end: WorkerEnd): void {
    const err =
      'exitCode' in end
        ? new TrainingError(`The training worker stopped unexpectedly (exit code ${end.exitCode}).`, 'internal')
        : new TrainingError(`The training worker failed: ${end.error.message}`, 'internal');
    for (const run of [...this.runs.values()]) {
      if (run === this.current) this.settle(run, () => run.reject(err));
      else this.endStopped(run, true);
    }
  }

  /**
   * Stops the current run; its promise resolves with `cancelled: true` when the worker answers,
   * or after `stopTimeoutMs` when it does not (the worker is then terminated).
   */
  stop(): void {
    const run = this.current;
    if (!run) return;
    if (run.flag) Atomics.store(run.flag, 0, 1);
    this.messenger.notify({ type: 'stop', runId: run.runId });
    // the old run's `done` arrives later; it is delivered only through its own promise
    this.current = undefined;
    this.messenger.setDeadline(run.requestId, this.stopTimeoutMs);
  }

  pause(): void {
    if (this.current) this.messenger.notify({ type: 'pause', runId: this.current.runId });
  }

  resume(): void {
    if (this.current) this.messenger.notify({ type: 'resume', runId: this.current.runId });
  }

  step(count = 1): void {
    if (this.current) this.messenger.notify({ type: 'step', runId: this.current.runId, count });
  }

  /**
   * The current run as it is, without disturbing it (see InspectMessage): the step inspector's
   * pass at its parameters and/or a copy of them. Rejects when no run is under way, or it has
   * not started (its data is loading).
   */
  async inspect(what: { detail?: boolean; parameters?: boolean }, timeoutMs = 60_000): Promise<InspectedMessage> {
    const run = this.current;
    if (!run) throw new TrainingError('No run is under way.', 'internal');
    try {
      return await this.messenger.request({ type: 'inspect', runId: run.runId, ...what }, { timeoutMs });
    } catch (err) {
      throw new TrainingError(err instanceof Error ? err.message : String(err), 'internal');
    }
  }

  override dispose(): void {
    this.disposed = true;
    for (const run of [...this.runs.values()]) {
      if (run === this.current) this.settle(run, () => run.reject(new TrainingError('Training was stopped because the extension is shutting down.', 'internal')));
      else this.endStopped(run, true);
    }
    super.dispose();
  }
}
