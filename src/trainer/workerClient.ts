// The host side of a worker thread, as the training, data and lab clients share it: the worker is
// started by the first message and reused; every message goes through one messenger
// (src/shared/wire/messenger.ts); a worker that fails or exits is forgotten (the next message
// starts a fresh one) and the client is told (`workerGone`); a worker busy with something given
// up is ended (`endWorker`); the worker keeps the process alive only while something is pending
// (`hold`); dispose() ends it. Node only, no vscode.

import { Worker, type ResourceLimits, type WorkerOptions } from 'node:worker_threads';
import { Messenger, type MessengerOptions } from '../shared/wire/messenger';

export interface WorkerClientOptions {
  /** makes the worker (default `new Worker(workerPath, options)`); the tests run the TypeScript source */
  createWorker?: (workerPath: string, options: WorkerOptions) => Worker;
  /** the worker's heap limits (a runaway read then ends the worker, not the host) */
  resourceLimits?: ResourceLimits;
}

/** Why a worker went: the error it failed with (`code` ERR_WORKER_OUT_OF_MEMORY when out of memory), or its exit code. */
export type WorkerEnd = { error: Error & { code?: string } } | { exitCode: number };

export abstract class WorkerClient<Out, In, Replies> {
  protected readonly messenger: Messenger<Out, In, Replies>;
  private worker: Worker | undefined;
  protected disposed = false;
  /** workers started so far (the tests count them) */
  started = 0;

  constructor(
    private readonly workerPath: string,
    private readonly options: WorkerClientOptions,
    messenger: Omit<MessengerOptions<Out, In>, 'post'>,
  ) {
    this.messenger = new Messenger<Out, In, Replies>({ ...messenger, post: (envelope) => this.ensureWorker().postMessage(envelope) });
  }

  /** The worker failed or exited; it is forgotten already (the next message starts another). */
  protected abstract workerGone(end: WorkerEnd): void;

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const make = this.options.createWorker ?? ((p, o) => new Worker(p, o));
    const worker = make(this.workerPath, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    this.started++;
    worker.on('message', (envelope: unknown) => {
      if (worker === this.worker) this.messenger.receive(envelope);
    });
    const gone = (end: WorkerEnd): void => {
      if (worker !== this.worker || this.disposed) return;
      this.worker = undefined;
      this.workerGone(end);
    };
    worker.on('error', (error: Error & { code?: string }) => gone({ error }));
    worker.on('exit', (exitCode: number) => gone({ exitCode }));
    // the host may exit while a worker has nothing to do: it must not keep it alive
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Keeps the process alive while the worker is busy, or lets it exit. */
  protected hold(busy: boolean): void {
    if (busy) this.worker?.ref();
    else this.worker?.unref();
  }

  /** Ends the worker (busy with something given up, or stuck); the next message starts a fresh one. */
  protected endWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  /**
   * The request the worker was busy with (the oldest: requests are answered in order) fails with
   * `error`; the others are sent again, to a fresh worker.
   */
  protected failOldest(error: Error): void {
    const [first, ...rest] = this.messenger.pendingIds();
    if (first === undefined) return;
    this.messenger.settle(first, { error });
    this.messenger.resend(rest);
  }

  /** Ends the worker; requests still pending reject (RequestCancelled). */
  dispose(): void {
    this.disposed = true;
    this.messenger.dispose();
    this.endWorker();
  }
}
