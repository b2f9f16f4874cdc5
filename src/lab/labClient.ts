// The extension host's side of the lab worker (labWorker.ts): one worker (a WorkerClient), started
// on the first question and reused (it keeps the data it read), each question a messenger request. A question
// can be given up (`cancel`): the worker, busy with it, is terminated and the others are asked
// again of a fresh one. A question that takes longer than `timeoutMs` is given up the same way.
// Node only, no vscode.

import type { LabAnswer, LabJob, LabReplies } from '../shared/wire/labWorker';
import { RemoteError, RequestCancelled, RequestTimeout } from '../shared/wire/messenger';
import { WorkerClient, type WorkerClientOptions, type WorkerEnd } from '../trainer/workerClient';

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

export interface LabClientOptions extends WorkerClientOptions {
  /** how long a question may take (ms, default 5 minutes) */
  timeoutMs?: number;
}

export class LabClient extends WorkerClient<LabJob, LabAnswer, LabReplies> {
  constructor(workerPath: string, options: LabClientOptions = {}) {
    super(workerPath, options, { timeoutMs: options.timeoutMs ?? 300_000 });
  }

  /** Asks a question; `signal` gives it up. Rejects with a LabError. */
  async ask<T extends LabJob['type']>(job: Extract<LabJob, { type: T }>, signal?: { onCancel(listener: () => void): void }): Promise<LabReplies[T]> {
    if (this.disposed) throw new LabError('The lab worker was shut down.', 'worker');
    const { id, reply } = this.messenger.send(job);
    this.hold(true);
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
      if (this.messenger.pendingIds().length === 0) this.hold(false);
    }
  }

  /** The worker died: the question it was on fails, the others go to a fresh worker. */
  protected workerGone(end: WorkerEnd): void {
    const why =
      'exitCode' in end
        ? 'The lab worker stopped unexpectedly.'
        : end.error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? 'The lab worker ran out of memory (nnspec.training.memoryBudgetMB).'
          : `The lab worker failed: ${end.error.message.split('\n')[0].slice(0, 200)}`;
    this.failOldest(new LabError(why, 'worker'));
  }

  /** Ends the worker (busy with a question given up) and asks the others again of a fresh one. */
  private restart(): void {
    this.endWorker();
    if (this.messenger.pendingIds().length) this.messenger.resend();
  }
}
