// Renders the built designer webview (dist/webview.js) in headless Chromium, outside VS Code:
// a fake acquireVsCodeApi records what the webview posts, the page gets the same strict CSP as
// in VS Code, theme variables for light, dark and high contrast. Takes screenshots, drives a
// few interactions and checks the messages, exports the diagram.
//
//   npm run build && node --import tsx test/webview-harness/run.ts [outDir]
//
// Exits non-zero when a check fails or the page reports a CSP violation or an error.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { checkSpec, parseSpec } from '../../src/language';
import { toDocumentState } from '../../src/host/designer/viewModel';
import type { BoundarySnapshot, DocumentState, Grid2D, StateMessage, ToWebview } from '../../src/shared/protocol';
import { THEMES, type ThemeName } from './themes';

const ROOT = resolve(__dirname, '../..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'test-artifacts/webview'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLOWER = `# Planar data classification with one hidden layer (course 1, week 3)
network "flower"
input 2
dense 4 tanh      # hidden layer
dense 1 sigmoid   # output
loss binary_cross_entropy

data train flower m=400
data test  flower m=200 seed=7

init random 0.01
seed 2
learning_rate 1.2
iterations 10000
`;

const CAT = `network "cat classifier"
input 64x64x3
dense 20 relu
dense 7 relu
dense 5 sigmoid
dense 2 sigmoid   # should be 1
loss binary_cross_entropy
init he
`;

function docState(text: string, fileName: string, m?: number): DocumentState {
  const parsed = parseSpec(text);
  return toDocumentState({
    uri: `file:///work/${fileName}`,
    fileName,
    version: 3,
    parsed,
    diagnostics: checkSpec(parsed, {}),
    facts: {},
    m,
  });
}

function stateMessage(document: DocumentState | null): StateMessage {
  return {
    type: 'state',
    document,
    files: document ? [] : [
      { uri: 'file:///work/flower.nnspec', label: 'flower.nnspec' },
      { uri: 'file:///work/examples/cat-4layer.nnspec', label: 'cat-4layer.nnspec', description: 'examples' },
    ],
    live: false,
    training: { running: false, paused: false },
  };
}

// --- fake training data ------------------------------------------------------------------------

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

function flowerPoints(m: number, seed: number) {
  const r = rng(seed);
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < m; i++) {
    const label = i < m / 2 ? 0 : 1;
    const t = (i % (m / 2)) / (m / 2) * 3.12 + (label ? 3.12 : 0) + (r() - 0.5) * 0.4;
    const radius = 4 * Math.sin(4 * t) + (r() - 0.5) * 0.4;
    x1.push(radius * Math.sin(t));
    x2.push(radius * Math.cos(t));
    y.push(label);
  }
  return { x1, x2, y };
}

function grid(f: (a: number, b: number) => number, size = 40): Grid2D {
  const values: number[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const a = -4.5 + (9 * c) / (size - 1);
      const b = -4.5 + (9 * r) / (size - 1);
      values.push(f(a, b));
    }
  }
  return { size, x1: [-4.5, 4.5], x2: [-4.5, 4.5], values };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function snapshot(iteration: number): BoundarySnapshot {
  const w = [
    [1.2, -0.8],
    [-0.4, 1.5],
    [0.9, 0.9],
    [-1.3, 0.2],
  ];
  const hidden = w.map(([a, b]) => grid((x, y) => Math.tanh(0.8 * (a * x + b * y))));
  return {
    iteration,
    output: grid((x, y) => sigmoid(2.2 * Math.sin(x * 0.9) * Math.cos(y * 0.7) + 0.4 * x * y * 0.3)),
    hidden: [hidden],
  };
}

function costCurve(from: number, to: number, start: number, rate: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = from; i <= to; i += 100) out.push([i, 0.18 + (start - 0.18) * Math.exp(-i / rate)]);
  return out;
}

// --- page ---------------------------------------------------------------------------------------

function serve(): Promise<{ url: string; close(): void }> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html', '.map': 'application/json' };
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (pages.has(path)) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(pages.get(path));
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
  return new Promise((resolveServer) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      const url = `http://127.0.0.1:${port}`;
      (globalThis as { __pages?: Map<string, string> }).__pages = pages;
      resolveServer({ url, close: () => server.close() });
    });
  });
}

function pageHtml(origin: string, initial: unknown, vars: Record<string, string>, bodyClass: string): string {
  const nonce = 'harnessnonce123';
  const csp = `default-src 'none'; img-src ${origin} data: blob:; style-src ${origin}; font-src ${origin}; script-src 'nonce-${nonce}'`;
  const attr = JSON.stringify(initial).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${origin}/node_modules/@vscode/codicons/dist/codicon.css">
<link rel="stylesheet" href="${origin}/media/designer.css">
<script nonce="${nonce}">
  // as VS Code does: theme variables on <html> through CSSOM
  for (const [k, v] of Object.entries(${JSON.stringify(vars)})) document.documentElement.style.setProperty(k, v);
  document.documentElement.style.setProperty('background', ${JSON.stringify(vars['--vscode-sideBar-background'])});
</script>
</head><body class="${bodyClass}"><main id="root" data-testid="designer" data-initial="${attr}"></main>
<script nonce="${nonce}" src="${origin}/dist/webview.js"></script></body></html>`;
}

interface Harness {
  page: Page;
  posted(): Promise<unknown[]>;
  send(msg: ToWebview): Promise<void>;
  problems: string[];
}

async function open(browser: import('playwright-core').Browser, origin: string, theme: ThemeName, initial: StateMessage, saved?: unknown): Promise<Harness> {
  const pages = (globalThis as { __pages?: Map<string, string> }).__pages!;
  const path = `/__harness_${theme}_${Math.random().toString(36).slice(2)}.html`;
  const { vars, bodyClass } = THEMES[theme];
  pages.set(path, pageHtml(origin, initial, vars, bodyClass));
  const page = await browser.newPage({ viewport: { width: 340, height: 900 }, deviceScaleFactor: 2 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // a string, not a function: the test runner's transpiler would add helpers the page lacks
  await page.addInitScript(`
    (() => {
      const posted = [];
      let state = ${JSON.stringify(saved ?? null)};
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
  await page.goto(origin + path);
  await page.waitForSelector('[data-testid="designer"]', { state: 'attached' });
  await page.waitForTimeout(100);
  if (problems.length) console.error(problems.join('\n'));
  await page.waitForTimeout(150);
  return {
    page,
    problems,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted.slice()),
    send: async (msg) => {
      await page.evaluate((m) => window.postMessage(m, '*'), msg as unknown as Record<string, unknown>);
      await page.waitForTimeout(60);
    },
  };
}

async function trainingScenario(h: Harness): Promise<void> {
  const points = { train: flowerPoints(400, 1), test: flowerPoints(200, 7) };
  await h.send({ type: 'trainingStarted', runId: 1, mode: 'interactive', startedAt: Date.now(), m: 400, features: 2, testM: 200, points, sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'] });
  await h.send({ type: 'trainingFinished', runId: 1, cancelled: false, iterations: 10000, costs: costCurve(0, 10000, 0.693, 900), trainAccuracy: 0.905, testAccuracy: 0.88, seconds: 2.4 });
  await h.send({ type: 'trainingStarted', runId: 2, mode: 'interactive', startedAt: Date.now(), m: 400, features: 2, testM: 200, points, sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'] });
  await h.send({ type: 'trainingState', live: false, training: { running: true, paused: true, runId: 2, mode: 'interactive' } });
  await h.send({ type: 'trainingProgress', runId: 2, iteration: 4200, cost: 0.2612, costs: costCurve(0, 4200, 0.693, 1800), paused: true, elapsedMs: 900, snapshot: snapshot(4200) });
  await h.page.waitForTimeout(250);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(join(ROOT, 'dist/webview.js'))) throw new Error('build first: npm run build');
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const failures: string[] = [];
  try {
    const flower = docState(FLOWER, 'flower.nnspec', 400);
    for (const theme of ['light', 'dark', 'hc'] as ThemeName[]) {
      const h = await open(browser, server.url, theme, stateMessage(flower));
      await h.send({ type: 'selectLayer', layer: 1 });
      await trainingScenario(h);
      await h.page.screenshot({ path: join(OUT, `flower-${theme}.png`), fullPage: true });

      const cat = await open(browser, server.url, theme, stateMessage(docState(CAT, 'cat.nnspec', 209)));
      await cat.send({ type: 'selectLayer', layer: 4 });
      await cat.page.screenshot({ path: join(OUT, `cat-${theme}.png`), fullPage: true });

      const empty = await open(browser, server.url, theme, stateMessage(null));
      await empty.page.screenshot({ path: join(OUT, `empty-${theme}.png`), fullPage: true });
      for (const x of [h, cat, empty]) {
        failures.push(...x.problems.map((p) => `${theme}: ${p}`));
        await x.page.close();
      }
    }

    // --- interactions: each posts the expected message ----------------------------------------
    const h = await open(browser, server.url, 'light', stateMessage(flower));
    const { page } = h;
    const last = async (): Promise<unknown> => (await h.posted()).at(-1);
    assert.deepEqual((await h.posted())[0], { type: 'ready' });

    await page.getByTestId('units-1').fill('7');
    await page.getByTestId('units-1').press('Enter');
    assert.deepEqual(await last(), { type: 'applyEdit', edit: { op: 'setUnits', layer: 1, units: 7 }, version: 3 });
    const count = (await h.posted()).length;
    await page.getByTestId('units-1').blur();
    assert.equal((await h.posted()).length, count, 'blur after Enter does not post the edit twice');

    await page.getByTestId('units-1').fill('0');
    await page.getByTestId('units-1').press('Enter');
    assert.equal((await h.posted()).length, count, 'an invalid value posts nothing');
    assert.equal(await page.getByTestId('units-1').getAttribute('aria-invalid'), 'true');

    await page.getByTestId('activation-2').evaluate((el: HTMLElement & { value: string }) => {
      el.value = 'tanh';
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    assert.deepEqual(await last(), { type: 'applyEdit', edit: { op: 'setActivation', layer: 2, activation: 'tanh' }, version: 3 });

    await page.getByTestId('layer-1').click({ position: { x: 10, y: 10 } });
    assert.deepEqual(await last(), { type: 'selectLayer', layer: 1 });
    await page.getByTestId('add-layer').click();
    assert.deepEqual(await last(), { type: 'applyEdit', edit: { op: 'addLayer', at: 2, units: 4, activation: 'tanh' }, version: 3 });

    await page.getByTestId('remove-layer-2').click();
    assert.deepEqual(await last(), { type: 'applyEdit', edit: { op: 'removeLayer', layer: 2 }, version: 3 });

    await page.getByTestId('layer-1').focus();
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await last(), { type: 'selectLayer', layer: 2 });
    await page.keyboard.press('Alt+ArrowUp');
    assert.deepEqual(await last(), { type: 'applyEdit', edit: { op: 'moveLayer', from: 2, to: 1 }, version: 3 });
    await page.keyboard.press('Delete');
    assert.deepEqual(await last(), { type: 'applyEdit', edit: { op: 'removeLayer', layer: 2 }, version: 3 });

    // the edited document comes back: the field shows the new value, the new layer gets selected
    await page.getByTestId('add-layer').click();
    const edited = docState(FLOWER.replace('dense 4 tanh      # hidden layer', 'dense 4 tanh      # hidden layer\ndense 4 tanh'), 'flower.nnspec', 400);
    await h.send({ ...stateMessage({ ...edited, version: 4 }) });
    assert.equal(await page.getByTestId('layer-3').isVisible(), true);
    assert.equal(await page.getByTestId('layer-2').getAttribute('aria-current'), 'true', 'the added layer (before the output layer) is selected');

    await page.getByTestId('setting-learning-rate').fill('0.5');
    await page.getByTestId('setting-learning-rate').press('Enter');
    assert.deepEqual(await last(), { type: 'applyEdit', edit: { op: 'setLearningRate', learningRate: 0.5 }, version: 4 });

    await page.getByTestId('play').click();
    assert.deepEqual(await last(), { type: 'play' });
    await page.getByTestId('step').click();
    assert.deepEqual(await last(), { type: 'step', count: 1 });

    await trainingScenario(h);
    assert.equal(await page.getByTestId('iteration-value').textContent(), '4,200');
    assert.equal(await page.getByTestId('cost-value').textContent(), '0.2612');
    assert.equal(await page.getByTestId('pause').evaluate((el: HTMLElement & { disabled: boolean }) => el.disabled), true, 'pause is off while paused');
    await h.send({ type: 'trainingState', live: false, training: { running: true, paused: false, runId: 2, mode: 'interactive' } });
    await page.getByTestId('pause').click();
    assert.deepEqual(await last(), { type: 'pause' });
    await page.getByTestId('reset').click();
    assert.deepEqual(await last(), { type: 'reset' });
    assert.equal(await page.getByTestId('iteration-value').textContent(), '10,000', 'after reset the finished run 1 is shown');

    // export
    await h.send({ type: 'exportRequest', requestId: 1, format: 'svg' });
    await h.send({ type: 'exportRequest', requestId: 2, format: 'png' });
    await page.waitForTimeout(400);
    const results = (await h.posted()).filter((m) => (m as { type: string }).type === 'exportResult') as { requestId: number; data?: string; error?: string }[];
    assert.equal(results.length, 2, JSON.stringify(results.map((r) => r.error)));
    const svg = results.find((r) => r.requestId === 1)!.data!;
    assert.ok(svg.includes('<svg') && !svg.includes('var(--'), 'standalone SVG with concrete colours');
    writeFileSync(join(OUT, 'diagram.svg'), svg);
    const png = results.find((r) => r.requestId === 2)!.data!;
    assert.ok(png.startsWith('data:image/png;base64,'));
    writeFileSync(join(OUT, 'diagram.png'), Buffer.from(png.split(',')[1], 'base64'));

    // hidden and shown again: a new page with the saved state keeps runs, selection, log scale
    await page.getByTestId('log-scale').click();
    await page.waitForTimeout(300);
    const saved = await page.evaluate(() => (window as unknown as { acquireVsCodeApi(): { getState(): unknown } }).acquireVsCodeApi().getState());
    failures.push(...h.problems.map((p) => `interactions: ${p}`));
    await page.close();
    const again = await open(browser, server.url, 'light', stateMessage(edited), saved);
    assert.equal(await again.page.getByTestId('iteration-value').textContent(), '10,000');
    assert.equal(await again.page.getByTestId('log-scale').evaluate((el: HTMLElement & { checked: boolean }) => el.checked), true);
    await again.page.screenshot({ path: join(OUT, 'restored-light.png'), fullPage: true });
    failures.push(...again.problems.map((p) => `restored: ${p}`));
    await again.page.close();
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
  console.log(`screenshots in ${OUT}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
