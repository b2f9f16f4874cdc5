// Runs training in a worker_threads worker and speaks src/shared/workerProtocol.ts to it.
// Node only, no vscode: the extension host and tests use it. One run at a time: starting a new
// run stops the previous one.

import { Worker } from 'node:worker_threads';
import type {
  DoneMessage,
  FromWorker,
  ProgressMessage,
  StartMessage,
  StartedMessage,
  ToWorker,
} from '../shared/workerProtocol';

export class TrainingError extends Error {
  constructor(
    message: string,
    readonly kind: 'data' | 'diverged' | 'spec' | 'internal',
    readonly iteration?: number,
  ) {
    super(message);
  }
}

export interface RunHandlers {
  onStarted?: (msg: StartedMessage) => void;
  onProgress?: (msg: ProgressMessage) => void;
}

interface Pending {
  runId: number;
  handlers: RunHandlers;
  resolve: (done: DoneMessage) => void;
  reject: (err: TrainingError) => void;
}

export class TrainerClient {
  private worker: Worker | undefined;
  private nextRunId = 1;
  private pending: Pending | undefined;

  constructor(private readonly workerPath: string) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    worker.on('error', (err) => this.failPending(new TrainingError(`The training worker failed: ${err.message}`, 'internal')));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.failPending(new TrainingError(`The training worker stopped unexpectedly (exit code ${code}).`, 'internal'));
    });
    // the extension host may exit while a run is going on: the worker must not keep it alive
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failPending(err: TrainingError): void {
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }

  private onMessage(msg: FromWorker): void {
    const p = this.pending;
    if (!p || msg.runId !== p.runId) return; // a stale message from a stopped run
    switch (msg.type) {
      case 'started':
        p.handlers.onStarted?.(msg);
        break;
      case 'progress':
        p.handlers.onProgress?.(msg);
        break;
      case 'done':
        this.pending = undefined;
        p.resolve(msg);
        break;
      case 'error':
        this.pending = undefined;
        p.reject(new TrainingError(msg.message, msg.kind, msg.iteration));
        break;
    }
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
  run(options: Omit<StartMessage, 'type' | 'runId'>, handlers: RunHandlers = {}): { runId: number; done: Promise<DoneMessage> } {
    if (this.pending) this.stop();
    const runId = this.nextRunId++;
    const worker = this.ensureWorker();
    worker.ref();
    const done = new Promise<DoneMessage>((resolve, reject) => {
      this.pending = { runId, handlers, resolve, reject };
    }).finally(() => {
      if (!this.pending) this.worker?.unref();
    });
    this.send({ type: 'start', runId, ...options });
    return { runId, done };
  }

  private send(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }

  /** Stops the current run; its promise resolves with `cancelled: true` when the worker answers. */
  stop(): void {
    const p = this.pending;
    if (!p) return;
    this.send({ type: 'stop', runId: p.runId });
    // the old run's `done` arrives later; keep listening for it only through its own promise
    const old = p;
    this.pending = undefined;
    const timer = setTimeout(() => old.reject(new TrainingError('The training run did not stop in time.', 'internal')), 5000);
    const listener = (msg: FromWorker): void => {
      if (msg.runId !== old.runId) return;
      if (msg.type === 'done') old.resolve(msg);
      else if (msg.type === 'error') old.reject(new TrainingError(msg.message, msg.kind, msg.iteration));
      else return;
      clearTimeout(timer);
      this.worker?.off('message', listener);
    };
    this.worker?.on('message', listener);
  }

  pause(): void {
    if (this.pending) this.send({ type: 'pause', runId: this.pending.runId });
  }

  resume(): void {
    if (this.pending) this.send({ type: 'resume', runId: this.pending.runId });
  }

  step(count = 1): void {
    if (this.pending) this.send({ type: 'step', runId: this.pending.runId, count });
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    this.failPending(new TrainingError('Training was stopped because the extension is shutting down.', 'internal'));
    void w?.terminate();
  }
}
