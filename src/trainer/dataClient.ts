// The host side of the data worker (src/trainer/dataWorker.ts, protocol in
// src/shared/wire/data.ts). Node only, no vscode: the extension host and the tests use it.
//
// The worker (a WorkerClient) is started on the first request and reused; requests go through the
// messenger, whose one timeout rule abandons a request that takes longer than
// `timeoutMs`: its promise settles at once with a timeout error, the worker (busy with it) is
// terminated, the other requests are sent again to a fresh worker, and the same data set is not
// asked for again until forgetAbandoned() (the host calls it when a data file changes). A worker
// that dies (out of memory within its resource limits) fails only the request it was working
// on. dispose() terminates the worker.

import type { DataWorkerReplies, FileWhere, FromDataWorker, InspectResult, OpenModelResult, ToDataWorker } from '../shared/wire/data';
import { RequestTimeout } from '../shared/wire/messenger';
import { WorkerClient, type WorkerClientOptions, type WorkerEnd } from './workerClient';
import type { Limits } from '../shared/model/limits';
import type { DataSource } from '../shared/model/spec';

/** What inspect() resolves with: the summary, or why there is none. */
export type InspectAnswer =
  | (InspectResult & FileWhere & { error?: undefined })
  | (FileWhere & {
      error: string;
      /** 'timeout': abandoned after timeoutMs; 'worker': the worker died (e.g. out of memory) */
      kind: 'data' | 'model' | 'internal' | 'timeout' | 'worker';
      refusal?: 'file-too-large' | 'over-budget';
    });

/** openModel() rejects with this. */
export class DataRequestError extends Error {
  constructor(
    message: string,
    readonly kind: 'data' | 'model' | 'internal' | 'timeout' | 'worker',
  ) {
    super(message);
    this.name = 'DataRequestError';
  }
}

export interface DataClientOptions extends WorkerClientOptions {
  /** how long a request may take before it is abandoned (ms, default 30 s) */
  timeoutMs?: number;
}

/** Why a request has no answer: abandoned after timeoutMs, or its worker died (or was shut down). */
class Abandoned extends Error {
  constructor(
    readonly kind: 'timeout' | 'worker',
    message: string,
  ) {
    super(message);
  }
}

type Failed = { type: 'failed'; kind: 'timeout' | 'worker'; message: string };

export class DataClient extends WorkerClient<ToDataWorker, FromDataWorker, DataWorkerReplies> {
  /** what each pending request is remembered by when abandoned, and what a message calls its file */
  private readonly requests = new Map<number, { key?: string; label: string }>();
  /** requests abandoned (timed out, or their worker died), by key: answered with that error until forgotten */
  private readonly abandoned = new Map<string, { kind: 'timeout' | 'worker'; message: string }>();
  constructor(workerPath: string, options: DataClientOptions = {}) {
    super(workerPath, options, { timeoutMs: options.timeoutMs ?? 30_000 });
  }

  /** What the checks need of one data set (never rejects: a failure is an answer with `error`). */
  inspect(source: DataSource, specDir: string, limits: Limits, roots: string[] = []): Promise<InspectAnswer> {
    const label = source.kind === 'file' ? `Data file '${source.path}'` : `The generated set '${source.generator}'`;
    return this.request({ type: 'inspect', source, specDir, limits, roots }, JSON.stringify(['inspect', source, specDir]), label).then((msg) => {
      if (msg.type === 'result' && msg.inspect) return msg.inspect;
      if (msg.type === 'error') {
        const { message, kind, refusal, realPath, outside } = msg;
        return { error: message, kind, ...(refusal ? { refusal } : {}), ...(realPath ? { realPath, outside } : {}) };
      }
      if (msg.type === 'failed') return { error: `${msg.message}; the checks that need it are skipped.`, kind: msg.kind };
      return { error: 'The data worker gave no answer.', kind: 'internal' };
    });
  }

  /** A saved model, read and validated in the worker; with `withData`, its data too. Rejects with a DataRequestError. */
  async openModel(path: string, withData: boolean, limits: Limits, grid?: number): Promise<OpenModelResult> {
    const msg = await this.request({ type: 'openModel', path, withData, limits, grid }, undefined, 'The model file');
    if (msg.type === 'result' && msg.model) return msg.model;
    if (msg.type === 'error') throw new DataRequestError(msg.message, msg.kind);
    if (msg.type === 'failed') throw new DataRequestError(`${msg.message}.`, msg.kind);
    throw new DataRequestError('The data worker gave no answer.', 'internal');
  }

  /** Asks again for data sets whose requests were abandoned (their files changed). */
  forgetAbandoned(): void {
    this.abandoned.clear();
  }

  /** `key`: what the request is remembered by when it is abandoned (none: asked again each time) */
  private async request(req: ToDataWorker, key: string | undefined, label: string): Promise<FromDataWorker | Failed> {
    if (this.disposed) return { type: 'failed', kind: 'worker', message: `${label}: the data worker was shut down` };
    const gave = key === undefined ? undefined : this.abandoned.get(key);
    if (gave) return { type: 'failed', ...gave };
    const { id, reply } = this.messenger.send(req);
    this.requests.set(id, { key, label });
    this.hold(true);
    try {
      return await reply;
    } catch (err) {
      const failed: Failed =
        err instanceof Abandoned
          ? { type: 'failed', kind: err.kind, message: err.message }
          : err instanceof RequestTimeout
            ? { type: 'failed', kind: 'timeout', message: `${label}: reading it took longer than ${err.message.replace(/^no answer within /, '')}, so it was abandoned` }
            : { type: 'failed', kind: 'worker', message: `${label}: the data worker was shut down` };
      if (err instanceof RequestTimeout) this.restartWorker();
      if (!this.disposed && key !== undefined) this.abandoned.set(key, { kind: failed.kind, message: failed.message });
      return failed;
    } finally {
      this.requests.delete(id);
      if (this.requests.size === 0) this.hold(false);
    }
  }

  /**
   * The worker is gone (crashed, out of memory): the request it was on (the oldest: requests are
   * answered in order) fails and is remembered as abandoned; the others go to a fresh worker.
   */
  protected workerGone(end: WorkerEnd): void {
    const why =
      'exitCode' in end
        ? 'the data worker stopped while reading it'
        : end.error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? 'reading it ran out of the memory the data worker may use (nnspec.training.memoryBudgetMB)'
          : `the data worker failed while reading it (${end.error.message.split('\n')[0].slice(0, 200)})`;
    const [first] = this.messenger.pendingIds();
    if (first !== undefined) this.failOldest(new Abandoned('worker', `${this.requests.get(first)?.label ?? 'The data'}: ${why}`));
  }

  /** A request timed out: the worker is busy with it (requests are answered in order), so it is ended; the rest go to a fresh worker. */
  private restartWorker(): void {
    this.endWorker();
    this.messenger.resend();
  }
}
