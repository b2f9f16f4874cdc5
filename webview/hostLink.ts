// The webview's side of the messenger to the extension host, and the edit queue: one designer
// edit in flight at a time, the next sent once the host has answered with the new state, so
// that it names layers as the edited document has them (two quick Alt+Down presses move a
// layer down twice, not down and back).

import type { NetworkEdit } from '../src/shared/model/edits';
import { Messenger } from '../src/shared/wire/messenger';
import type { DocumentState, HostReplies, ToHost, ToWebview } from '../src/shared/wire/designer';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** How long an edit may wait for the host's answer before the next one goes anyway. */
const EDIT_TIMEOUT_MS = 10_000;

export interface LinkEvents {
  /** a message from the host; a request (exportRequest) is answered with what this returns */
  handle(msg: ToWebview): ToHost | void | Promise<ToHost | void>;
  /** the document edits are made against */
  document(): DocumentState | null;
  /** an edit was applied (its state came just before) */
  applied(selectAfter: number | undefined): void;
}

export class HostLink {
  private readonly messenger: Messenger<ToHost, ToWebview, HostReplies>;
  /** designer edits not yet sent */
  private readonly queue: { edit: NetworkEdit; selectAfter?: number }[] = [];
  private inFlight = false;

  constructor(
    api: VsCodeApi,
    private readonly events: LinkEvents,
  ) {
    this.messenger = new Messenger<ToHost, ToWebview, HostReplies>({
      post: (envelope) => api.postMessage(envelope),
      handle: (msg) => events.handle(msg),
      accept: (body): body is ToWebview => typeof body === 'object' && body !== null && typeof (body as { type?: unknown }).type === 'string',
      // ids start at random, so that a reply meant for a previous load of the page (the view was
      // hidden and shown meanwhile) is not taken for one of this load's
      firstId: crypto.getRandomValues(new Uint32Array(1))[0],
    });
    window.addEventListener('message', (e: MessageEvent) => this.messenger.receive(e.data));
  }

  post(message: ToHost): void {
    this.messenger.notify(message);
  }

  /** Queues a designer edit; `selectAfter` is selected once it is applied. */
  edit(edit: NetworkEdit, selectAfter?: number): void {
    this.queue.push({ edit, selectAfter });
    this.sendNext();
  }

  /** Drops the edits not sent yet (they were made for a document that is no longer shown). */
  clearEdits(): void {
    this.queue.length = 0;
  }

  private sendNext(): void {
    const doc = this.events.document();
    if (this.inFlight || !doc) return;
    const next = this.queue.shift();
    if (!next) return;
    this.inFlight = true;
    this.messenger
      .request({ type: 'applyEdit', edit: next.edit, uri: doc.uri, version: doc.version }, { timeoutMs: EDIT_TIMEOUT_MS })
      .then(
        (result) => {
          // the state showing the result came just before: reveal the layer the action was about
          if (result.applied) this.events.applied(next.selectAfter);
          // refused (stale, failed): what was queued behind it was made for the old text
          else if (result.reason !== 'unchanged') this.queue.length = 0;
        },
        // a host that never answers (reloaded meanwhile) does not hold the queue for ever
        () => undefined,
      )
      .finally(() => {
        this.inFlight = false;
        this.sendNext();
      });
  }
}
