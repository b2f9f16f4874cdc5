// The host side of the data worker (src/trainer/dataWorker.ts, protocol in
// src/shared/dataProtocol.ts). Node only, no vscode: the extension host and the tests use it.
//
// The worker is started on the first request and reused; requests are answered by id. A request
// that takes longer than `timeoutMs` is abandoned: its promise settles at once with a timeout
// error, the worker (busy with it) is terminated, the other requests go to a fresh worker, and
// the same data set is not asked for again until forgetAbandoned() (the host calls it when a
// data file changes). A worker that dies (out of memory within its resource limits) fails only
// the request it was working on. dispose() terminates the worker.

import { Worker, type ResourceLimits, type WorkerOptions } from 'node:worker_threads';
import type { FileWhere, FromDataWorker, InspectResult, OpenModelResult, RequestLimits, ToDataWorker } from '../shared/dataProtocol';
import type { DataSource } from '../shared/spec';

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

export interface DataClientOptions {
  /** how long a request may take before it is abandoned (ms, default 30 s) */
  timeoutMs?: number;
  /** the worker's heap limits (a runaway read then ends the worker, not the host) */
  resourceLimits?: ResourceLimits;
  /** makes the worker (default `new Worker(workerPath, options)`); tests use it to run the TypeScript source */
  createWorker?: (workerPath: string, options: WorkerOptions) => Worker;
}

/** A request before it gets its id. */
type Request = ToDataWorker extends infer T ? (T extends ToDataWorker ? Omit<T, 'id'> : never) : never;

interface Pending {
  id: number;
  msg: ToDataWorker;
  /** what an abandoned request is remembered by */
  key: string;
  /** what a message calls the file: "Data file 'a.csv'" */
  label: string;
  settle: (msg: FromDataWorker | { type: 'failed'; kind: 'timeout' | 'worker'; message: string }) => void;
  timer?: NodeJS.Timeout;
  worker?: Worker;
}

export class DataClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** requests abandoned (timed out, or their worker died), by key: answered with that error until forgotten */
  private readonly abandoned = new Map<string, { kind: 'timeout' | 'worker'; message: string }>();
  private readonly timeoutMs: number;
  private readonly createWorker: (workerPath: string, options: WorkerOptions) => Worker;
  private disposed = false;
  /** workers started so far (tests look at it) */
  workersStarted = 0;

  constructor(
    private readonly workerPath: string,
    private readonly options: DataClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.createWorker = options.createWorker ?? ((p, o) => new Worker(p, o));
  }

  /** What the checks need of one data set (never rejects: a failure is an answer with `error`). */
  inspect(source: DataSource, specDir: string, limits: RequestLimits, roots: string[] = []): Promise<InspectAnswer> {
    const label = source.kind === 'file' ? `Data file '${source.path}'` : `The generated set '${source.generator}'`;
    return this.request({ type: 'inspect', source, specDir, limits, roots }, JSON.stringify(['inspect', source, specDir]), label).then(
      (msg) => {
        if (msg.type === 'result' && msg.inspect) return msg.inspect;
        if (msg.type === 'error') {
          const { message, kind, refusal, realPath, outside } = msg;
          return { error: message, kind, ...(refusal ? { refusal } : {}), ...(realPath ? { realPath, outside } : {}) };
        }
        if (msg.type === 'failed') return { error: `${msg.message}; the checks that need it are skipped.`, kind: msg.kind };
        return { error: 'The data worker gave no answer.', kind: 'internal' };
      },
    );
  }

  /** A saved model, read and validated in the worker; with `withData`, its data too. Rejects with a DataRequestError. */
  async openModel(path: string, withData: boolean, limits: RequestLimits, grid?: number): Promise<OpenModelResult> {
    const msg = await this.request({ type: 'openModel', path, withData, limits, grid }, JSON.stringify(['openModel', path, this.nextId]), 'The model file');
    if (msg.type === 'result' && msg.model) return msg.model;
    if (msg.type === 'error') throw new DataRequestError(msg.message, msg.kind);
    if (msg.type === 'failed') throw new DataRequestError(`${msg.message}.`, msg.kind);
    throw new DataRequestError('The data worker gave no answer.', 'internal');
  }

  /** Asks again for data sets whose requests were abandoned (their files changed). */
  forgetAbandoned(): void {
    this.abandoned.clear();
  }

  private request(req: Request, key: string, label: string): Promise<FromDataWorker | { type: 'failed'; kind: 'timeout' | 'worker'; message: string }> {
    if (this.disposed) return Promise.resolve({ type: 'failed', kind: 'worker', message: `${label}: the data worker was shut down` });
    const gave = this.abandoned.get(key);
    if (gave) return Promise.resolve({ type: 'failed', ...gave });
    return new Promise((resolve) => {
      const id = this.nextId++;
      const p: Pending = { id, key, label, msg: { ...req, id } as ToDataWorker, settle: resolve };
      this.pending.set(id, p);
      this.send(p);
    });
  }

  private send(p: Pending): void {
    const worker = this.ensureWorker();
    worker.ref();
    p.worker = worker;
    clearTimeout(p.timer);
    p.timer = setTimeout(() => this.timedOut(p), this.timeoutMs);
    worker.postMessage(p.msg);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker(this.workerPath, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    this.workersStarted++;
    worker.on('message', (msg: FromDataWorker) => this.onMessage(worker, msg));
    worker.on('error', (err: Error & { code?: string }) => {
      const why =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? 'reading it ran out of the memory the data worker may use (nnspec.training.memoryBudgetMB)'
          : `the data worker failed while reading it (${err.message.split('\n')[0].slice(0, 200)})`;
      this.workerGone(worker, why);
    });
    worker.on('exit', () => this.workerGone(worker, 'the data worker stopped while reading it'));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onMessage(worker: Worker, msg: FromDataWorker): void {
    const p = this.pending.get(msg.id);
    if (!p || p.worker !== worker) return; // abandoned, or answered already
    this.finish(p);
    p.settle(msg);
  }

  private finish(p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(p.id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  /**
   * The worker is gone (terminated, crashed, out of memory): the request it was on (the oldest
   * one sent to it) fails and is remembered as abandoned; the others go to a fresh worker.
   */
  private workerGone(worker: Worker, why: string): void {
    if (this.worker === worker) this.worker = undefined;
    const mine = [...this.pending.values()].filter((p) => p.worker === worker);
    if (!mine.length || this.disposed) return;
    const [first, ...rest] = mine;
    this.abandon(first, 'worker', `${first.label}: ${why}`);
    for (const p of rest) this.send(p);
  }

  private timedOut(p: Pending): void {
    if (!this.pending.has(p.id)) return;
    const worker = p.worker;
    const seconds = this.timeoutMs >= 1000 ? `${Math.round(this.timeoutMs / 1000)} s` : `${this.timeoutMs} ms`;
    this.abandon(p, 'timeout', `${p.label}: reading it took longer than ${seconds}, so it was abandoned`);
    // the worker is busy with it (requests are answered in order): end it, move the rest
    if (worker) {
      if (this.worker === worker) this.worker = undefined;
      const rest = [...this.pending.values()].filter((q) => q.worker === worker);
      void worker.terminate();
      for (const q of rest) this.send(q);
    }
  }

  private abandon(p: Pending, kind: 'timeout' | 'worker', message: string): void {
    this.finish(p);
    this.abandoned.set(p.key, { kind, message });
    p.settle({ type: 'failed', kind, message });
  }

  /** Terminates the worker; requests still pending settle as failed. */
  dispose(): void {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    for (const p of [...this.pending.values()]) {
      this.finish(p);
      p.settle({ type: 'failed', kind: 'worker', message: `${p.label}: the data worker was shut down` });
    }
    void w?.terminate();
  }
}
