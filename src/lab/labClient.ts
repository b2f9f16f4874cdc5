// The extension host's side of the lab worker (labWorker.ts): one worker, started on the first
// question and reused (it keeps the data it read), each question a messenger request. A question
// can be given up (`cancel`): the worker, busy with it, is terminated and the others are asked
// again of a fresh one. A question that takes longer than `timeoutMs` is given up the same way.
// Node only, no vscode.

import { Worker, type ResourceLimits, type WorkerOptions } from 'node:worker_threads';
import type { LabAnswer, LabJob, LabReplies } from '../shared/wire/labWorker';
import { Messenger, RemoteError, RequestCancelled, RequestTimeout } from '../shared/wire/messenger';

/** A question that got no answer: the worker's error, a timeout, a cancel, or the worker died. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly kind: 'lab' | 'timeout' | 'cancelled' | 'worker',
  ) {
    super(message);
    this.name = 'LabError';
  }
}

export interface LabClientOptions {
  /** how long a question may take (ms, default 5 minutes) */
  timeoutMs?: number;
  resourceLimits?: ResourceLimits;
  /** makes the worker (default `new Worker(workerPath, options)`); the tests run the TypeScript source */
  createWorker?: (workerPath: string, options: WorkerOptions) => Worker;
}

export class LabClient {
  private worker: Worker | undefined;
  private readonly messenger: Messenger<LabJob, LabAnswer, LabReplies>;
  private readonly createWorker: (workerPath: string, options: WorkerOptions) => Worker;
  private disposed = false;
  /** the worker has been started this many times (tests) */
  started = 0;

  constructor(
    private readonly workerPath: string,
    private readonly options: LabClientOptions = {},
  ) {
    this.createWorker = options.createWorker ?? ((p, o) => new Worker(p, o));
    this.messenger = new Messenger<LabJob, LabAnswer, LabReplies>({
      post: (envelope) => this.ensureWorker().postMessage(envelope),
      timeoutMs: options.timeoutMs ?? 300_000,
    });
  }

  /** Asks a question; `signal` gives it up. Rejects with a LabError. */
  async ask<T extends LabJob['type']>(job: Extract<LabJob, { type: T }>, signal?: { onCancel(listener: () => void): void }): Promise<LabReplies[T]> {
    if (this.disposed) throw new LabError('The lab worker was shut down.', 'worker');
    const { id, reply } = this.messenger.send(job);
    this.worker?.ref();
    signal?.onCancel(() => {
      if (this.messenger.settle(id, { error: new RequestCancelled('cancelled') })) this.restart();
    });
    try {
      return (await reply) as LabReplies[T];
    } catch (err) {
      if (err instanceof RemoteError) throw new LabError(err.message, 'lab');
      if (err instanceof RequestTimeout) {
        this.restart();
        throw new LabError(`It took longer than ${err.message.replace(/^no answer within /, '')}, so it was given up.`, 'timeout');
      }
      if (err instanceof RequestCancelled && !this.disposed) throw new LabError('Cancelled.', 'cancelled');
      if (err instanceof LabError) throw err;
      throw new LabError(err instanceof Error ? err.message : String(err), 'worker');
    } finally {
      if (this.messenger.pendingIds().length === 0) this.worker?.unref();
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker(this.workerPath, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    this.started++;
    worker.on('message', (envelope: unknown) => {
      if (worker === this.worker) this.messenger.receive(envelope);
    });
    const gone = (why: string): void => {
      if (worker !== this.worker || this.disposed) return;
      this.worker = undefined;
      // the question it was on (the oldest) fails; the others go to a fresh worker
      const [first, ...rest] = this.messenger.pendingIds();
      if (first !== undefined) this.messenger.settle(first, { error: new LabError(why, 'worker') });
      this.messenger.resend(rest);
    };
    worker.on('error', (err: Error & { code?: string }) =>
      gone(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'The lab worker ran out of memory (nnspec.training.memoryBudgetMB).' : `The lab worker failed: ${err.message.split('\n')[0].slice(0, 200)}`),
    );
    worker.on('exit', () => gone('The lab worker stopped unexpectedly.'));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Ends the worker (busy with a question given up) and asks the others again of a fresh one. */
  private restart(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    if (this.messenger.pendingIds().length) this.messenger.resend();
  }

  dispose(): void {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.messenger.dispose();
    void worker?.terminate();
  }
}
