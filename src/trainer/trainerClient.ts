// Runs training in a worker_threads worker and speaks src/shared/workerProtocol.ts to it.
// Node only, no vscode: the extension host and tests use it. One run at a time: starting a new
// run stops the previous one.
//
// Stopping: each run gets a shared stop flag (SharedArrayBuffer) that stop() sets directly, so
// the worker aborts even in the middle of a multi-second iteration; the `stop` message follows.
// If the worker still has not answered after `stopTimeoutMs`, it is terminated and the run
// resolves as cancelled anyway (DoneMessage.terminated); a newer run that was waiting behind it
// is started again on a fresh worker.

import { Worker } from 'node:worker_threads';
import type { ErrorKind } from '../shared/errors';
import type {
  DoneMessage,
  FromWorker,
  ProgressMessage,
  StartMessage,
  StartedMessage,
  ToWorker,
} from '../shared/workerProtocol';
import { cancelledDone } from './run';

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
  onStarted?: (msg: StartedMessage) => void;
  onProgress?: (msg: ProgressMessage) => void;
}

export interface TrainerClientOptions {
  /** how long a stopped run may take to answer before its worker is terminated (ms, default 500) */
  stopTimeoutMs?: number;
  /** makes the worker (default `new Worker(workerPath)`); tests use it to run the TypeScript source */
  createWorker?: (workerPath: string) => Worker;
}

type RunOptions = Omit<StartMessage, 'type' | 'runId' | 'stopFlag'>;

interface Pending {
  runId: number;
  options: RunOptions;
  handlers: RunHandlers;
  resolve: (done: DoneMessage) => void;
  reject: (err: TrainingError) => void;
  worker: Worker;
  flag?: Int32Array;
  /** the worker has sent something for this run */
  answered: boolean;
  /** what the progress messages told so far, for a run that has to be ended without the worker */
  iteration: number;
  costs: [number, number][];
  startedAt: number;
  stopTimer?: NodeJS.Timeout;
}

export class TrainerClient {
  private worker: Worker | undefined;
  private nextRunId = 1;
  private pending: Pending | undefined;
  /** stopped runs whose `done` has not arrived yet */
  private readonly stopping = new Map<number, Pending>();
  private readonly stopTimeoutMs: number;
  private readonly createWorker: (workerPath: string) => Worker;

  constructor(
    private readonly workerPath: string,
    options: TrainerClientOptions = {},
  ) {
    this.stopTimeoutMs = options.stopTimeoutMs ?? 500;
    this.createWorker = options.createWorker ?? ((p) => new Worker(p));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker(this.workerPath);
    worker.on('message', (msg: FromWorker) => this.onMessage(worker, msg));
    worker.on('error', (err) => this.workerGone(worker, new TrainingError(`The training worker failed: ${err.message}`, 'internal')));
    worker.on('exit', (code) => this.workerGone(worker, new TrainingError(`The training worker stopped unexpectedly (exit code ${code}).`, 'internal')));
    // the extension host may exit while a run is going on: the worker must not keep it alive
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** The worker died (or was terminated): fail its current run, end its stopped runs as cancelled. */
  private workerGone(worker: Worker, err: TrainingError): void {
    if (this.worker === worker) this.worker = undefined;
    for (const p of [...this.stopping.values()]) if (p.worker === worker) this.endStopped(p, true);
    if (this.pending?.worker === worker) this.failPending(err);
  }

  private failPending(err: TrainingError): void {
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
    this.idle();
  }

  /** Lets the process exit when nothing is running. */
  private idle(): void {
    if (!this.pending && this.stopping.size === 0) this.worker?.unref();
  }

  private onMessage(worker: Worker, msg: FromWorker): void {
    const p = this.pending?.runId === msg.runId ? this.pending : this.stopping.get(msg.runId);
    if (!p || p.worker !== worker) return; // a stale message from a run already ended
    p.answered = true;
    if (p !== this.pending) {
      // a stopped run: only its end matters
      if (msg.type === 'done') this.settleStopped(p, () => p.resolve(msg));
      else if (msg.type === 'error') this.settleStopped(p, () => p.reject(new TrainingError(msg.message, msg.kind, msg.iteration)));
      return;
    }
    switch (msg.type) {
      case 'started':
        p.handlers.onStarted?.(msg);
        break;
      case 'progress':
        p.iteration = msg.iteration;
        p.costs.push(...msg.costs);
        p.handlers.onProgress?.(msg);
        break;
      case 'done':
        this.pending = undefined;
        p.resolve(msg);
        this.idle();
        break;
      case 'error':
        this.pending = undefined;
        p.reject(new TrainingError(msg.message, msg.kind, msg.iteration));
        this.idle();
        break;
    }
  }

  private settleStopped(p: Pending, settle: () => void): void {
    clearTimeout(p.stopTimer);
    this.stopping.delete(p.runId);
    settle();
    this.idle();
  }

  /** Resolves a stopped run as cancelled without the worker's answer. */
  private endStopped(p: Pending, terminated: boolean): void {
    const progress = { costs: p.costs, iterations: p.iteration, seconds: (Date.now() - p.startedAt) / 1000 };
    const origin = { specPath: p.options.specPath, specDir: p.options.specDir };
    this.settleStopped(p, () => p.resolve(cancelledDone(p.runId, p.options.spec, progress, origin, terminated)));
  }

  /** A stopped run did not answer in time: terminate its worker. */
  private stopTimedOut(p: Pending): void {
    if (!this.stopping.has(p.runId)) return;
    const worker = p.worker;
    const next = this.pending;
    if (next && next.worker === worker && next.answered) {
      // the worker is busy with the newer run, so it is alive: the old run was still loading its
      // data and will answer when that is done; no need to wait for it
      this.endStopped(p, false);
      return;
    }
    this.endStopped(p, true);
    for (const other of [...this.stopping.values()]) if (other.worker === worker) this.endStopped(other, true);
    if (this.worker === worker) this.worker = undefined;
    // a newer run queued behind the stuck one starts again on a fresh worker
    if (next && next.worker === worker) this.launch(next);
    void worker.terminate();
  }

  get running(): boolean {
    return this.pending !== undefined;
  }

  get currentRunId(): number | undefined {
    return this.pending?.runId;
  }

  /**
   * Starts a run (stopping the current one, whose promise then resolves as cancelled or
   * rejects). Resolves with the `done` message; rejects with a TrainingError.
   */
  run(options: RunOptions, handlers: RunHandlers = {}): { runId: number; done: Promise<DoneMessage> } {
    if (this.pending) this.stop();
    const runId = this.nextRunId++;
    let p!: Pending;
    const done = new Promise<DoneMessage>((resolve, reject) => {
      p = {
        runId,
        options,
        handlers,
        resolve,
        reject,
        worker: undefined as unknown as Worker,
        answered: false,
        iteration: 0,
        costs: [],
        startedAt: Date.now(),
      };
    });
    this.pending = p;
    this.launch(p);
    return { runId, done };
  }

  private launch(p: Pending): void {
    const worker = this.ensureWorker();
    worker.ref();
    p.worker = worker;
    p.answered = false;
    const stopFlag = typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : undefined;
    p.flag = stopFlag ? new Int32Array(stopFlag) : undefined;
    this.send(worker, { ...p.options, type: 'start', runId: p.runId, stopFlag });
  }

  private send(worker: Worker | undefined, msg: ToWorker): void {
    worker?.postMessage(msg);
  }

  /**
   * Stops the current run; its promise resolves with `cancelled: true` when the worker answers,
   * or after `stopTimeoutMs` when it does not (the worker is then terminated).
   */
  stop(): void {
    const p = this.pending;
    if (!p) return;
    if (p.flag) Atomics.store(p.flag, 0, 1);
    this.send(p.worker, { type: 'stop', runId: p.runId });
    // the old run's `done` arrives later; it is delivered only through its own promise
    this.pending = undefined;
    this.stopping.set(p.runId, p);
    p.stopTimer = setTimeout(() => this.stopTimedOut(p), this.stopTimeoutMs);
  }

  pause(): void {
    if (this.pending) this.send(this.pending.worker, { type: 'pause', runId: this.pending.runId });
  }

  resume(): void {
    if (this.pending) this.send(this.pending.worker, { type: 'resume', runId: this.pending.runId });
  }

  step(count = 1): void {
    if (this.pending) this.send(this.pending.worker, { type: 'step', runId: this.pending.runId, count });
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    for (const p of [...this.stopping.values()]) this.endStopped(p, true);
    this.failPending(new TrainingError('Training was stopped because the extension is shutting down.', 'internal'));
    void w?.terminate();
  }
}
