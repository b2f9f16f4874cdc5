// The designer webview (dist/webview.js) in headless Chromium, outside VS Code (./harness.ts: a
// fake acquireVsCodeApi records what the webview posts and the test plays the host's part,
// under the same strict CSP as in VS Code, in light, dark and high contrast). Checks what
// each action posts, the edit queue, the layout down to VS Code's narrowest sidebar (170 px),
// the chart brought into view when a run starts, the export, what is kept when the view is
// hidden; screenshots go to test-artifacts/webview/.
//
// Needs `npm run build` (dist/webview.js) and Debian's chromium.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { parseSpec } from '../../src/language';
import { documentOf } from '../unit/harness/documents';
import type { ToWebview } from '../../src/shared/wire/designer';
import type { BoundarySnapshot, CostPoint, Grid2D, RunEvent, RunRecord } from '../../src/shared/model/runs';
import { docState, openView, OUT, shot, startBrowser, stateMessage, stopBrowser, waitFor, type View } from './harness';
import type { ThemeName } from './themes';

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
dense 5 relu
dense 1 sigmoid
loss binary_cross_entropy
init xavier
`;

const DEEP = `input 2
dense 3 relu
dense 4 relu
dense 5 tanh
dense 1 sigmoid
data train moons
`;

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
    const t = ((i % (m / 2)) / (m / 2)) * 3.12 + (label ? 3.12 : 0) + (r() - 0.5) * 0.4;
    const radius = 4 * Math.sin(4 * t) + (r() - 0.5) * 0.4;
    x1.push(radius * Math.sin(t));
    x2.push(radius * Math.cos(t));
    y.push(label);
  }
  return { x1, x2, y };
}

/** A grid laid out as the worker sends it: row 0 at the top (highest x2). */
function grid(f: (a: number, b: number) => number, size = 40): Grid2D {
  const values: number[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) values.push(f(-4.5 + (9 * c) / (size - 1), 4.5 - (9 * r) / (size - 1)));
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
  return {
    iteration,
    output: grid((x, y) => sigmoid(2.2 * Math.sin(x * 0.9) * Math.cos(y * 0.7) + 0.12 * x * y)),
    hidden: [w.map(([a, b]) => grid((x, y) => Math.tanh(0.8 * (a * x + b * y))))],
  };
}

function costCurve(to: number, start: number, rate: number): CostPoint[] {
  const out: CostPoint[] = [];
  for (let i = 0; i <= to; i += 100) out.push([i, 0.18 + (start - 0.18) * Math.exp(-i / rate)]);
  return out;
}

// --- the page ------------------------------------------------------------------------------------
const FLOWER_URI = 'file:///work/flower.nnspec';

function runRecord(id: number, label: string, uri = FLOWER_URI): RunRecord {
  return { id, uri, mode: 'interactive', label, startedAt: id, total: 10000, sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], iteration: 0, costs: [], paused: false, finished: false };
}

/** A run event of the flower spec, as the host relays it. */
function runEvent(event: RunEvent, uri = FLOWER_URI): ToWebview {
  return { type: 'run', uri, event };
}

/** The host's messages of two runs of the flower spec: one finished, one paused at 4200. */
async function trainingScenario(view: View): Promise<void> {
  const start = { m: 400, features: 2, testM: 200, points: { train: flowerPoints(400, 1), test: flowerPoints(200, 7) } };
  await view.send({ type: 'runs', uri: FLOWER_URI, list: { records: [] } });
  await view.send(runEvent({ kind: 'created', record: runRecord(1, 'Run 1') }));
  await view.send(runEvent({ kind: 'started', id: 1, start }));
  await view.send(runEvent({ kind: 'ended', id: 1, end: { cancelled: false, iterations: 10000, costs: costCurve(10000, 0.693, 900), trainAccuracy: 0.905, testAccuracy: 0.88, seconds: 2.4 } }));
  await view.send(runEvent({ kind: 'created', record: runRecord(2, 'Run 2') }));
  await view.send(runEvent({ kind: 'started', id: 2, start }));
  await view.send(runEvent({ kind: 'paused', id: 2, paused: true }));
  const costs = costCurve(4200, 0.693, 1800);
  await view.send(runEvent({ kind: 'progress', id: 2, progress: { iteration: 4200, last: [4199, 0.2612], costs, paused: true, elapsedMs: 900, snapshot: snapshot(4200) } }));
}

/** Types into a vscode-textfield (its input is in the shadow root) and presses Enter. */
async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  const input = page.getByTestId(testId).locator('input');
  await input.fill(text);
  await input.press('Enter');
}

function edits(posted: Record<string, unknown>[]): Record<string, unknown>[] {
  return posted.filter((m) => m.type === 'applyEdit');
}

/** An applyEdit message without its id (random per page load), and the id. */
function withoutId(m: Record<string, unknown> | undefined): { message: Record<string, unknown>; id: number } {
  assert.ok(m && m.type === 'applyEdit', `an applyEdit message, not ${JSON.stringify(m)}`);
  const { id, ...message } = m;
  assert.equal(typeof id, 'number');
  return { message, id: id as number };
}

describe('designer webview', { timeout: 120_000 }, () => {
  before(startBrowser);
  after(stopBrowser);

  for (const theme of ['light', 'dark', 'hc'] as ThemeName[]) {
    it(`renders in the ${theme} theme under the strict CSP, without errors`, async () => {
      const flower = await openView(theme, stateMessage(docState(FLOWER, 'flower.nnspec', 400)));
      assert.equal(flower.blankBeforeState, true, 'no empty state flashes before the host has said what is open');
      await flower.send({ type: 'selectLayer', layer: 1 });
      await trainingScenario(flower);
      assert.equal(await flower.page.getByTestId('layer-2').isVisible(), true);
      assert.equal(await flower.page.locator('svg.diagram .column').count(), 3, 'X, layer 1, layer 2');
      assert.equal(await flower.page.getByTestId('iteration-value').textContent(), '4,200');
      assert.equal(await flower.page.locator('canvas.neuron').count(), 4, 'one heatmap per hidden unit');
      await shot(flower, `flower-${theme}`);
      const cat = await openView(theme, stateMessage(docState(CAT, 'cat.nnspec', 209)));
      await cat.send({ type: 'selectLayer', layer: 4 });
      await shot(cat, `cat-${theme}`);
      const empty = await openView(theme, stateMessage(null));
      assert.equal(await empty.page.getByTestId('empty-state').isVisible(), true);
      assert.equal(await empty.page.getByTestId('new-spec').isVisible(), true);
      await shot(empty, `empty-${theme}`);
      for (const v of [flower, cat, empty]) {
        assert.deepEqual(v.problems, []);
        await v.close();
      }
    });
  }

  it('fits the 4-layer cat net down to VS Code’s narrowest sidebar (170 px): no column cut off, the rows keep their buttons, no shape wraps inside', async () => {
    for (const width of [170, 245, 260, 340, 600]) {
      const view = await openView('dark', stateMessage(docState(CAT, 'cat.nnspec', 209)), { width });
      const fit = await view.page.evaluate(() => {
        const wrap = document.querySelector('.diagram-wrap') as HTMLElement;
        const svg = wrap.querySelector('svg') as SVGSVGElement;
        const remove = document.querySelector('[data-testid="remove-layer-4"]') as HTMLElement;
        return {
          scroll: wrap.scrollWidth - wrap.clientWidth,
          svgRight: svg.getBoundingClientRect().right,
          wrapRight: wrap.getBoundingClientRect().right,
          removeRight: remove.getBoundingClientRect().right,
          bodyWidth: document.body.clientWidth,
          pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          // what sticks out, if anything
          wide: Array.from(document.querySelectorAll('body *'))
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}.${(e as HTMLElement).className}`),
          titles: Array.from(svg.querySelectorAll('.title')).map((t) => t.textContent),
          // a shape such as W (20, 12288) on more than one line
          broken: Array.from(document.querySelectorAll('.tuple')).filter((t) => t.getClientRects().length > 1).map((t) => t.textContent),
          tuples: document.querySelectorAll('.tuple').length,
        };
      });
      assert.equal(fit.pageOverflow, 0, `${width}px: nothing scrolls the page sideways (${fit.wide.join(', ')})`);
      assert.ok(fit.tuples >= 13, `${fit.tuples} shapes`);
      assert.deepEqual(fit.broken, [], `${width}px: no shape wraps inside its parentheses`);
      assert.equal(fit.scroll, 0, `${width}px: the diagram does not scroll`);
      assert.ok(fit.svgRight <= fit.wrapRight + 0.5, `${width}px: the output column is inside the frame`);
      assert.ok(fit.removeRight <= fit.bodyWidth + 0.5, `${width}px: the remove button of layer 4 is visible`);
      assert.equal(fit.titles.length, 5);
      if (width === 170 || width === 245) await shot(view, `cat-${width}px-dark`);
      assert.deepEqual(view.problems, []);
      await view.close();
    }
  });

  it('cuts a long data path with an ellipsis and keeps the problems list in the view', async () => {
    const long = 'data/some/deeply/nested/folder/of/exports/from/the/lab/2024-11-29/flower_with_a_rather_long_name_v3.csv';
    const text = FLOWER.replace('data train flower m=400', `data train "${long}"`);
    const parsed = parseSpec(text);
    const state = documentOf(parsed, { fileName: 'flower.nnspec', version: 3, dataFacts: { train: { error: `Data file '${long}' not found (looked for /work/${long}).` } } });
    for (const width of [170, 245]) {
      const view = await openView('light', stateMessage(state), { width });
      const fit = await view.page.evaluate(() => {
        const label = document.querySelector('[data-testid="data-train"]') as HTMLElement;
        const list = document.querySelector('[data-testid="problems"]') as HTMLElement;
        return {
          pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          labelCut: label.scrollWidth > label.clientWidth,
          title: label.title,
          listRight: list.getBoundingClientRect().right,
          bodyRight: document.body.getBoundingClientRect().right,
        };
      });
      assert.equal(fit.pageOverflow, 0, `${width}px: the page does not scroll sideways`);
      assert.equal(fit.title, long, 'the whole path on hover');
      assert.ok(fit.listRight <= fit.bodyRight + 0.5, `${width}px: the problems list ends at ${fit.listRight}, the page at ${fit.bodyRight}`);
      await view.page.getByTestId('data-train').scrollIntoViewIfNeeded();
      await shot(view, `long-path-${width}px-light`);
      assert.deepEqual(view.problems, []);
      await view.close();
    }
  });

  it('brings the chart into view when a run starts (the sidebar is long and narrow)', async () => {
    const view = await openView('dark', stateMessage(docState(FLOWER, 'flower.nnspec', 400)), { width: 245, height: 600 });
    const chartTop = () => view.page.evaluate(() => (document.querySelector('[data-testid="cost-chart"]') as HTMLElement).getBoundingClientRect().top);
    assert.ok((await chartTop()) > 600, 'below the fold before');
    await view.send({ type: 'runs', uri: FLOWER_URI, list: { records: [] } });
    await view.send(runEvent({ kind: 'created', record: runRecord(1, 'Run 1') }));
    const top = await waitFor('the chart in view', async () => {
      const t = await chartTop();
      return t >= 0 && t < 600 ? t : undefined;
    });
    assert.ok(top < 600);
    await shot(view, 'run-started-245px-dark');
    await view.close();
  });

  it('scrolls a network too deep for the width instead of squeezing it', async () => {
    const deep = DEEP.replace('dense 1 sigmoid', 'dense 6 relu\ndense 6 relu\ndense 6 relu\ndense 1 sigmoid');
    const view = await openView('light', stateMessage(docState(deep, 'deep.nnspec', 400)), { width: 170 });
    const { scrollWidth, clientWidth, columnWidth } = await view.page.evaluate(() => {
      const wrap = document.querySelector('.diagram-wrap') as HTMLElement;
      const hit = wrap.querySelector('.hit') as SVGRectElement;
      return { scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, columnWidth: Number(hit.getAttribute('width')) };
    });
    assert.ok(scrollWidth > clientWidth, 'the diagram scrolls');
    assert.ok(columnWidth >= 26, `columns stay ${columnWidth} px wide`);
    await view.close();
  });

  it('posts one edit per action, and the next only after the host has answered with the new state', async () => {
    const flower = docState(FLOWER, 'flower.nnspec', 400);
    const view = await openView('light', stateMessage(flower));
    const { page } = view;
    await typeInto(page, 'units-1', '7');
    const first = withoutId(await view.last());
    assert.deepEqual(first.message, { type: 'applyEdit', edit: { op: 'setUnits', layer: 1, units: 7 }, uri: 'file:///work/flower.nnspec', version: 3 });
    const count = (await view.posted()).length;
    await page.getByTestId('units-1').locator('input').blur();
    assert.equal((await view.posted()).length, count, 'blur after Enter does not post the edit twice');

    // a second action while the first is in flight waits
    await page.getByTestId('activation-2').evaluate((el: HTMLElement & { value: string }) => {
      el.value = 'tanh';
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    assert.equal(edits(await view.posted()).length, 1, 'not sent before the host answered');
    const edited = docState(FLOWER.replace('dense 4 tanh', 'dense 7 tanh'), 'flower.nnspec', 400, 4);
    await view.send(stateMessage(edited));
    // an answer to an edit of another load of the page is not taken for this one's
    await view.send({ type: 'editResult', applied: true }, first.id + 1000);
    assert.equal(edits(await view.posted()).length, 1);
    await view.send({ type: 'editResult', applied: true }, first.id);
    const second = withoutId(await view.last());
    assert.deepEqual(second.message, { type: 'applyEdit', edit: { op: 'setActivation', layer: 2, activation: 'tanh' }, uri: 'file:///work/flower.nnspec', version: 4 });
    assert.equal(second.id, first.id + 1);

    // refused as stale (typed in the editor meanwhile): what was queued behind it is dropped
    await typeInto(page, 'setting-iterations', '500');
    await typeInto(page, 'setting-seed', '3');
    assert.equal(edits(await view.posted()).length, 2, 'both wait behind the second edit');
    await view.send({ type: 'editResult', applied: false, reason: 'stale' }, second.id);
    assert.equal(edits(await view.posted()).length, 2, 'nothing more is sent');
    assert.deepEqual(view.problems, []);
    await view.close();
  });

  it('two quick Alt+Down presses move a layer down twice, each against the edited document', async () => {
    const view = await openView('light', stateMessage(docState(DEEP, 'deep.nnspec', 400)));
    const { page } = view;
    await page.getByTestId('layer-1').click({ position: { x: 10, y: 10 } });
    assert.deepEqual(await view.last(), { type: 'selectLayer', layer: 1 });
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Alt+ArrowDown');
    let sent = edits(await view.posted());
    assert.equal(sent.length, 1);
    const first = withoutId(sent[0]);
    assert.deepEqual(first.message, { type: 'applyEdit', edit: { op: 'moveLayer', from: 1, to: 2 }, uri: 'file:///work/deep.nnspec', version: 3 });
    assert.equal(await page.getByTestId('layer-3').getAttribute('aria-current'), 'true', 'the selection moved with the layer at once');
    // the host applies the first move and answers
    const moved = docState(DEEP.replace('dense 3 relu\ndense 4 relu', 'dense 4 relu\ndense 3 relu'), 'deep.nnspec', 400, 4);
    await view.send(stateMessage(moved));
    await view.send({ type: 'editResult', applied: true }, first.id);
    sent = edits(await view.posted());
    assert.deepEqual(withoutId(sent[1]).message, { type: 'applyEdit', edit: { op: 'moveLayer', from: 2, to: 3 }, uri: 'file:///work/deep.nnspec', version: 4 });
    await view.close();
  });

  it('refuses invalid values in the fields, with the field marked', async () => {
    const view = await openView('light', stateMessage(docState(FLOWER, 'flower.nnspec', 400)));
    const { page } = view;
    for (const [testId, text] of [['units-1', '0'], ['units-1', '2000000'], ['units-1', '2.5'], ['setting-learning-rate', '-1'], ['setting-iterations', 'many'], ['input-size', '64x0x3']]) {
      await typeInto(page, testId, text);
      assert.equal(edits(await view.posted()).length, 0, `${testId} = ${text} posts nothing`);
      assert.equal(await page.getByTestId(testId).getAttribute('aria-invalid'), 'true', `${testId} = ${text} is marked`);
      await page.getByTestId(testId).locator('input').press('Escape');
      assert.equal(await page.getByTestId(testId).getAttribute('aria-invalid'), null, 'Escape restores the value');
    }
    await typeInto(page, 'input-size', '64x64x3');
    assert.deepEqual((await view.last())?.edit, { op: 'setInput', size: 12288, dims: [64, 64, 3] });
    await view.close();
  });

  it('training controls post play, pause, step and reset; reset empties the counters', async () => {
    const view = await openView('light', stateMessage(docState(FLOWER, 'flower.nnspec', 400)));
    const { page } = view;
    await page.getByTestId('play').click();
    assert.deepEqual(await view.last(), { type: 'play' });
    await page.getByTestId('step').click();
    assert.deepEqual(await view.last(), { type: 'step', count: 1 });
    await trainingScenario(view);
    assert.equal(await page.getByTestId('cost-value').textContent(), '0.2612');
    assert.equal(await page.getByTestId('pause').evaluate((el: HTMLElement & { disabled: boolean }) => el.disabled), true, 'pause is off while paused');
    await view.send(runEvent({ kind: 'paused', id: 2, paused: false }));
    await page.getByTestId('pause').click();
    assert.deepEqual(await view.last(), { type: 'pause' });
    await page.getByTestId('reset').click();
    assert.deepEqual(await view.last(), { type: 'reset' });
    assert.equal(await page.getByTestId('iteration-value').textContent(), '–', 'back to no run, as TensorFlow Playground resets to iteration 0');
    assert.equal(await page.getByTestId('cost-value').textContent(), '–');
    await view.close();
  });

  it('exports the full-size diagram as standalone SVG and as PNG, even from a narrow view', async () => {
    const view = await openView('dark', stateMessage(docState(CAT, 'cat.nnspec', 209)), { width: 260 });
    await view.request(1, { type: 'exportRequest', format: 'svg' });
    await view.request(2, { type: 'exportRequest', format: 'png' });
    type Result = { inReplyTo: number; body: { type: string; data?: string; error?: string } };
    const results: Result[] = await waitFor('both exports', async () => {
      const r = (await view.replies()) as Result[];
      return r.length === 2 ? r : undefined;
    });
    assert.ok(results.every((r) => r.body.type === 'exportResult'));
    const svg = results.find((r) => r.inReplyTo === 1)?.body.data ?? '';
    assert.ok(svg.startsWith('<?xml') && svg.includes('<svg'), 'an SVG document');
    assert.ok(!svg.includes('var(--'), 'every theme colour resolved');
    assert.ok(svg.includes('W (20, 12288)') && svg.includes('n[1] = 20'), 'the full labels, not the narrow view');
    assert.ok(!svg.includes('class='), 'no classes left that need the stylesheet');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'diagram.svg'), svg);
    const png = results.find((r) => r.inReplyTo === 2)?.body.data ?? '';
    assert.ok(png.startsWith('data:image/png;base64,'));
    const bytes = Buffer.from(png.split(',')[1], 'base64');
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(bytes.readUInt32BE(16), 5 * 88 * 2, 'width: 5 columns of 88 px at 2x');
    writeFileSync(join(OUT, 'diagram.png'), bytes);
    assert.deepEqual(view.problems, []);
    await view.close();
  });

  it('keeps runs, selection and log scale when hidden and shown again, and takes the document from the host', async () => {
    const flower = docState(FLOWER, 'flower.nnspec', 400);
    const view = await openView('light', stateMessage(flower));
    await view.send({ type: 'selectLayer', layer: 1 });
    await trainingScenario(view);
    await view.page.getByTestId('log-scale').click();
    const saved = await waitFor('the saved state', () =>
      view.page.evaluate(() => {
        const s = (window as unknown as { acquireVsCodeApi(): { getState(): { logScale?: boolean } | null } }).acquireVsCodeApi().getState();
        return s?.logScale ? s : undefined;
      }),
    );
    await view.close();
    // shown again: the page loads anew with the saved state, and the host sends the current text
    const edited = docState(FLOWER.replace('dense 4 tanh', 'dense 5 tanh'), 'flower.nnspec', 400, 9);
    const again = await openView('light', stateMessage(edited), { saved });
    // the host sends the spec's runs from its history, as on every `ready`
    await trainingScenario(again);
    assert.equal(await again.page.getByTestId('iteration-value').textContent(), '4,200');
    assert.equal(await again.page.getByTestId('log-scale').evaluate((el: HTMLElement & { checked: boolean }) => el.checked), true);
    assert.equal(await again.page.getByTestId('layer-1').getAttribute('aria-current'), 'true');
    assert.equal(await again.page.getByTestId('units-1').evaluate((el: HTMLElement & { value: string }) => el.value), '5', 'the document as the host has it now');
    await shot(again, 'restored-light');
    assert.deepEqual(again.problems, []);
    await again.close();
  });
});
