// A designer webview whose page is the test, for the host's tests against the vscode stand-in:
// the surface to hand a DesignerView, what the host posted, and a way to post to the host.

import type { Envelope } from '../../../src/shared/wire/messenger';
import { EventEmitter } from './vscodeStub';

export function fakeWebview() {
  const posted: Envelope<Record<string, unknown>>[] = [];
  const receive = new EventEmitter<unknown>();
  const surface = {
    visible: true,
    webview: {
      options: {},
      html: '',
      cspSource: 'vscode-resource:',
      asWebviewUri: (u: unknown) => u,
      postMessage: async (m: Envelope<Record<string, unknown>>) => void posted.push(m),
      onDidReceiveMessage: receive.event,
    },
    onDidChangeVisibility: new EventEmitter<void>().event,
    onDidDispose: new EventEmitter<void>().event,
    show() {},
  };
  return {
    surface,
    posted,
    /** posts an envelope to the host, as the page's messenger does */
    deliver: (envelope: Envelope) => receive.fire(envelope),
    /** the bodies of the given type posted so far */
    bodies: <T>(type: string): T[] => posted.filter((e) => e.body?.type === type).map((e) => e.body as unknown as T),
  };
}
