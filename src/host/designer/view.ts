// One designer webview: the sidebar's WebviewView or the WebviewPanel beside the spec. Speaks
// the designer protocol (src/shared/wire/designer.ts) through the messenger; what it receives goes
// to the Designer, which every view shares.

import type * as vscode from 'vscode';
import { Messenger } from '../../shared/wire/messenger';
import { isToHost, type ToHost, type ToWebview, type WebviewReplies } from '../../shared/wire/designer';
import { designerHtml, resourceRoots } from './html';

/** How long the webview may take to answer a request (render the diagram for an export). */
export const VIEW_REQUEST_TIMEOUT_MS = 15_000;

export interface ViewHost {
  /** a message from this view (checked with isToHost); a request's reply is what it returns */
  handle(view: DesignerView, msg: ToHost): ToWebview | void | Promise<ToWebview | void>;
  /** the view was shown or hidden */
  visibilityChanged(view: DesignerView): void;
  closed(view: DesignerView): void;
}

export class DesignerView implements vscode.Disposable {
  readonly messenger: Messenger<ToWebview, ToHost, WebviewReplies>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    /** `sidebar`: the activity bar's view; `panel`: the editor beside the spec */
    readonly kind: 'sidebar' | 'panel',
    private readonly surface: vscode.WebviewView | vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    host: ViewHost,
  ) {
    const { webview } = surface;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: resourceRoots(extensionUri) };
    webview.html = designerHtml(webview, extensionUri);
    this.messenger = new Messenger<ToWebview, ToHost, WebviewReplies>({
      post: (envelope) => void webview.postMessage(envelope),
      handle: (msg) => host.handle(this, msg),
      accept: isToHost,
      timeoutMs: VIEW_REQUEST_TIMEOUT_MS,
      onDrop: (raw, why) => console.warn(`nnspec designer: ignored ${why}`, raw),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((envelope: unknown) => this.messenger.receive(envelope)),
      // a hidden webview may be unloaded; when it loads again it says `ready`
      'onDidChangeVisibility' in surface
        ? surface.onDidChangeVisibility(() => host.visibilityChanged(this))
        : surface.onDidChangeViewState(() => host.visibilityChanged(this)),
      surface.onDidDispose(() => {
        this.dispose();
        host.closed(this);
      }),
    );
  }

  get visible(): boolean {
    return this.surface.visible;
  }

  post(message: ToWebview): void {
    this.messenger.notify(message);
  }

  /** Shows the view (its webview loads if it was unloaded). */
  reveal(): void {
    if ('reveal' in this.surface) this.surface.reveal(undefined, true);
    else this.surface.show(true);
  }

  dispose(): void {
    this.messenger.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }
}
