// Shared by the webview tests (not a test file itself): the built designer (dist/webview.js) in
// headless Chromium, outside VS Code: a fake acquireVsCodeApi records what the webview posts and
// the test plays the host's part; the page gets the same strict CSP as in VS Code
// (src/host/designer/html.ts) and the theme variables of light, dark and high contrast.
// Messages travel in the messenger's envelopes (src/shared/wire/messenger.ts). Screenshots go to
// test-artifacts/webview/.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseSpec } from '../../src/language';
import { documentOf } from '../unit/harness/documents';
import type { DocumentState, StateMessage, ToWebview } from '../../src/shared/wire/designer';
import { THEMES, type ThemeName } from './themes';

export const ROOT = resolve(__dirname, '../..');
export const OUT = join(ROOT, 'test-artifacts/webview');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function docState(text: string, fileName: string, m?: number, version = 3): DocumentState {
  const parsed = parseSpec(text);
  return documentOf(parsed, { fileName, version, m });
}

export function stateMessage(document: DocumentState | null): StateMessage {
  return {
    type: 'state',
    document,
    files: document
      ? []
      : [
          { uri: 'file:///work/flower.nnspec', label: 'flower.nnspec' },
          { uri: 'file:///work/examples/cat-4layer.nnspec', label: 'cat-4layer.nnspec', description: 'examples' },
        ],
    live: false,
  };
}

// --- fake training data ------------------------------------------------------------------------

const pages = new Map<string, string>();

function serve(): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html', '.map': 'application/json' };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const page = pages.get(path);
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT) || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })));
}

/** The page VS Code would build (src/host/designer/html.ts): the same CSP, no inline state. */
function pageHtml(origin: string, theme: ThemeName): string {
  const { vars, bodyClass } = THEMES[theme];
  const nonce = 'testnonce123';
  const csp = `default-src 'none'; img-src ${origin} data:; style-src ${origin}; font-src ${origin}; script-src 'nonce-${nonce}'`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${origin}/node_modules/@vscode/codicons/dist/codicon.css">
<link rel="stylesheet" href="${origin}/media/designer.css">
<script nonce="${nonce}">
  // as VS Code does: theme variables on <html> through CSSOM
  for (const [k, v] of Object.entries(${JSON.stringify(vars)})) document.documentElement.style.setProperty(k, v);
  document.documentElement.style.setProperty('background', ${JSON.stringify(vars['--vscode-sideBar-background'])});
</script>
</head><body class="${bodyClass}"><main id="root" data-testid="designer"></main>
<script nonce="${nonce}" src="${origin}/dist/webview.js"></script></body></html>`;
}

export interface View {
  page: Page;
  /** everything the webview posted, in order: each message, with `id` (its messageId) when it is a request */
  posted(): Promise<Record<string, unknown>[]>;
  /** the last message it posted */
  last(): Promise<Record<string, unknown> | undefined>;
  /** a host -> webview message; with `inReplyTo`, the reply to the webview's request of that id */
  send(msg: ToWebview, inReplyTo?: number): Promise<void>;
  /** a host -> webview request of id `id` */
  request(id: number, msg: ToWebview): Promise<void>;
  /** the webview's replies to the host's requests */
  replies(): Promise<{ inReplyTo: number; body: Record<string, unknown> }[]>;
  /** CSP violations, console errors and page errors */
  problems: string[];
  /** before the host's first state, the page showed neither the empty state nor a document */
  blankBeforeState: boolean;
  close(): Promise<void>;
}

let browser: Browser;
let origin: string;
let server: Server;

/** Starts the page server and Chromium (a test file's before()). */
export async function startBrowser(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/webview.js'))) throw new Error('build first: npm run build');
  ({ url: origin, server } = await serve());
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'] });
}

/** Closes them (a test file's after()). */
export async function stopBrowser(): Promise<void> {
  await browser?.close();
  server?.close();
}

export async function openView(theme: ThemeName, state: StateMessage, options: { saved?: unknown; width?: number; height?: number } = {}): Promise<View> {
  const path = `/designer-${theme}-${pages.size}.html`;
  pages.set(path, pageHtml(origin, theme));
  const page = await browser.newPage({ viewport: { width: options.width ?? 340, height: options.height ?? 900 }, deviceScaleFactor: 2 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
  });
  // a string, not a function: the test runner's transpiler would add helpers the page lacks
  await page.addInitScript(`
    (() => {
      const posted = [];
      let state = ${JSON.stringify(options.saved ?? null)};
      window.__posted = posted;
      window.acquireVsCodeApi = () => ({
        postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => state,
        setState: (s) => { state = s; },
      });
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
      });
    })();
  `);
  type Envelope = { messageId?: number; inReplyTo?: number; body?: Record<string, unknown> };
  const envelopes = async (): Promise<Envelope[]> => page.evaluate(() => (window as unknown as { __posted: Envelope[] }).__posted.slice());
  const posted = async (): Promise<Record<string, unknown>[]> =>
    (await envelopes()).filter((e) => e.inReplyTo === undefined).map((e) => (e.messageId === undefined ? e.body! : { ...e.body, id: e.messageId }));
  const replies = async () => (await envelopes()).filter((e) => e.inReplyTo !== undefined).map((e) => ({ inReplyTo: e.inReplyTo!, body: e.body! }));
  const deliver = async (envelope: Envelope): Promise<void> => {
    await page.evaluate((m) => window.postMessage(m, '*'), envelope as unknown as Record<string, unknown>);
    // a frame for the webview to render what it got
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  };
  const send = (msg: ToWebview, inReplyTo?: number): Promise<void> =>
    deliver(inReplyTo === undefined ? { body: msg as unknown as Record<string, unknown> } : { inReplyTo, body: msg as unknown as Record<string, unknown> });
  const request = (id: number, msg: ToWebview): Promise<void> => deliver({ messageId: id, body: msg as unknown as Record<string, unknown> });
  await page.goto(origin + path);
  // the host answers `ready` with the state, as DesignerViewProvider does
  await waitFor('the ready message', async () => (await posted()).some((m) => m.type === 'ready'));
  const blankBeforeState = await page.evaluate(() =>
    ['[data-testid="empty-state"]', '.doc-view'].every((q) => {
      const el = document.querySelector(q) as HTMLElement | null;
      return !el || el.hidden;
    }),
  );
  await send(state);
  return { page, posted, last: async () => (await posted()).at(-1), send, request, replies, problems, blankBeforeState, close: () => page.close() };
}

export async function waitFor<T>(what: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function shot(view: View, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await view.page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}


/** A screenshot of one element (e.g. the lab section) rather than the whole page. */
export async function shotOf(view: View, testId: string, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await view.page.getByTestId(testId).screenshot({ path: join(OUT, `${name}.png`) });
}
