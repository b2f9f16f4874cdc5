// One typed request/reply messenger for every pair of threads that talk by postMessage: the
// designer webview and the extension host, the host and the training, data and lab workers. As
// in vscode-hexeditor's MessageHandler, every message travels in an envelope: a request carries a
// `messageId`, its reply names it in `inReplyTo`, a notification carries neither. One map holds
// the requests waiting for their replies and one rule times them out. Each channel declares one
// table of its requests and their replies (`Replies`: the type of a request message -> the type
// of its reply), from which `request` and `send` take their types. No vscode, DOM or node
// imports: each side passes its own `post` and feeds what it receives to `receive`.

/** What crosses the wire. */
export interface Envelope<T = unknown> {
  /** a request: the other side answers with `inReplyTo` set to this */
  messageId?: number;
  /** the reply to the request with this id */
  inReplyTo?: number;
  /** the message (absent in an error reply) */
  body?: T;
  /** the reply of a request whose handler failed: why */
  error?: string;
}

/** A request that got no reply in time (see `timeoutMs`). */
export class RequestTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`);
    this.name = 'RequestTimeout';
  }
}

/** A request ended on this side without a reply: the messenger was disposed, or the caller gave up. */
export class RequestCancelled extends Error {
  constructor(message = 'the request was cancelled') {
    super(message);
    this.name = 'RequestCancelled';
  }
}

/** The other side's handler threw while answering the request. */
export class RemoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteError';
  }
}

export interface MessengerOptions<Out, In> {
  /** sends an envelope to the other side */
  post(envelope: Envelope<Out>): void;
  /**
   * Handles a notification or a request from the other side. A request is answered with what
   * this returns (or resolves to), or with the error it throws.
   */
  handle?(message: In): Out | void | Promise<Out | void>;
  /** checks a received body; the other side may be untrusted (a webview): failing bodies are dropped */
  accept?(body: unknown): body is In;
  /** a request not answered within this many ms is rejected with RequestTimeout (default: never) */
  timeoutMs?: number;
  /** the first request id (a webview starts at random, so that a reply meant for its previous load is not taken for this one's) */
  firstId?: number;
  /** told about a message that was dropped, and why */
  onDrop?(raw: unknown, why: string): void;
}

interface Pending<In> {
  envelope: Envelope<unknown>;
  resolve(value: In): void;
  reject(err: Error): void;
  timer?: TimerHandle;
  timeoutMs: number;
}

/** A request on its way: its id (for setDeadline, settle, resend) and the promise of its reply. */
export interface SentRequest<R> {
  id: number;
  reply: Promise<R>;
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * The messages a side may send as requests, by the table of a channel: those whose `type` has a
 * reply in `Replies`.
 */
export type RequestOf<Out, Replies> = Extract<Out, { type: keyof Replies }>;

/** The reply to a request message, by the table of a channel. */
export type ReplyTo<Replies, M> = M extends { type: infer T } ? (T extends keyof Replies ? Replies[T] : never) : never;

/**
 * A messenger of one side of a channel: it sends `Out`, receives `In`, and the requests it sends
 * are answered as `Replies` says (a table: request type -> reply type; its replies are among `In`).
 */
export class Messenger<Out, In, Replies = Record<never, never>> {
  private nextId: number;
  private readonly pending = new Map<number, Pending<In>>();
  private disposed: Error | undefined;

  constructor(private readonly options: MessengerOptions<Out, In>) {
    this.nextId = options.firstId ?? 1;
  }

  /** Sends a message that needs no reply. */
  notify(body: Out): void {
    if (!this.disposed) this.options.post({ body });
  }

  /** Sends a request; resolves with the reply's body, rejects on timeout, an error reply or dispose. */
  request<M extends RequestOf<Out, Replies>>(body: M, options: { timeoutMs?: number } = {}): Promise<ReplyTo<Replies, M>> {
    return this.send(body, options).reply;
  }

  /** `request`, with the id of the request for setDeadline, settle and resend. */
  send<M extends RequestOf<Out, Replies>>(body: M, options: { timeoutMs?: number } = {}): SentRequest<ReplyTo<Replies, M>> {
    type R = ReplyTo<Replies, M>;
    const id = this.nextId;
    this.nextId = this.nextId >= Number.MAX_SAFE_INTEGER ? 0 : this.nextId + 1;
    if (this.disposed) return { id, reply: Promise.reject(this.disposed) };
    const envelope: Envelope<Out> = { messageId: id, body };
    const reply = new Promise<R>((resolve, reject) => {
      this.pending.set(id, { envelope, resolve: resolve as (v: In) => void, reject, timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? Infinity });
    });
    this.arm(id);
    this.options.post(envelope);
    return { id, reply };
  }

  /** Gives a pending request `ms` from now to be answered (Infinity: no limit), whatever it had before. */
  setDeadline(id: number, ms: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    p.timeoutMs = ms;
    this.arm(id);
  }

  /** Ends a pending request here, without its reply: with a value, or an error. A late reply is then ignored. */
  settle(id: number, outcome: { value: In } | { error: Error }): boolean {
    const p = this.take(id);
    if (!p) return false;
    if ('error' in outcome) p.reject(outcome.error);
    else p.resolve(outcome.value);
    return true;
  }

  /** Posts pending requests again (all, or those given) and restarts their deadlines: the other side was replaced. */
  resend(ids?: Iterable<number>): void {
    for (const id of ids ?? [...this.pending.keys()]) {
      const p = this.pending.get(id);
      if (!p) continue;
      this.arm(id);
      this.options.post(p.envelope as Envelope<Out>);
    }
  }

  /** The ids of the requests still waiting, oldest first. */
  pendingIds(): number[] {
    return [...this.pending.keys()];
  }

  /** Feeds a message from the other side in: a reply settles its request, anything else goes to `handle`. */
  receive(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return this.drop(raw, 'not an envelope');
    const e = raw as Envelope<unknown>;
    if (e.messageId !== undefined && !isId(e.messageId)) return this.drop(raw, 'a malformed messageId');
    if (e.inReplyTo !== undefined) {
      if (!isId(e.inReplyTo)) return this.drop(raw, 'a malformed inReplyTo');
      const p = this.pending.get(e.inReplyTo);
      // a reply to a request that timed out, was settled here, or belongs to another load
      if (!p) return;
      this.take(e.inReplyTo);
      if (e.error !== undefined) p.reject(new RemoteError(String(e.error).slice(0, 1000)));
      else if (this.options.accept && !this.options.accept(e.body)) p.reject(new RemoteError('a malformed reply'));
      else p.resolve(e.body as In);
      return;
    }
    if (this.options.accept && !this.options.accept(e.body)) return this.drop(raw, 'a malformed message');
    const body = e.body as In;
    const id = e.messageId;
    if (id === undefined) {
      void Promise.resolve()
        .then(() => this.options.handle?.(body))
        .catch((err) => this.options.onDrop?.(raw, `its handler failed: ${messageOf(err)}`));
      return;
    }
    Promise.resolve()
      .then(() => this.options.handle?.(body))
      .then(
        (answer) => {
          if (!this.disposed) this.options.post(answer === undefined ? { inReplyTo: id } : { inReplyTo: id, body: answer });
        },
        (err) => {
          if (!this.disposed) this.options.post({ inReplyTo: id, error: messageOf(err) });
        },
      );
  }

  /** Rejects every pending request (RequestCancelled, or `err`) and sends nothing more. */
  dispose(err: Error = new RequestCancelled('the messenger was disposed')): void {
    this.disposed = err;
    for (const id of [...this.pending.keys()]) this.take(id)?.reject(err);
  }

  private arm(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    if (p.timer !== undefined) clearTimeout(p.timer);
    p.timer = undefined;
    if (!(p.timeoutMs < Infinity)) return;
    const ms = p.timeoutMs;
    p.timer = setTimeout(() => this.take(id)?.reject(new RequestTimeout(ms)), ms);
  }

  private take(id: number): Pending<In> | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    if (p.timer !== undefined) clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }

  private drop(raw: unknown, why: string): void {
    this.options.onDrop?.(raw, why);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
