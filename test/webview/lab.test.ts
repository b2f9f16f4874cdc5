// The designer's lab in headless Chromium (./harness.ts), with the test playing the host: the
// sweep's curves and results table (a row writes its settings), the step inspector's cards and
// heatmaps, the gradient check's verdict, logistic regression's graph with its example stepper,
// the mislabelled images and Predict an Image (the picture decoded by the browser's own decoder
// under the strict CSP), the metrics. The numbers drawn are computed by the lab worker's code
// (src/lab/labJobs.ts) on the NumPy fixtures, and the text shown is compared with what the CLI
// prints for them. Screenshots of each, narrow (the sidebar) and wide (the panel to the side).
//
// Needs `npm run build` (dist/webview.js) and Debian's chromium.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { runLabJob } from '../../src/lab/labJobs';
import { parseSpec } from '../../src/language';
import type { GradientCheckResult, LogisticGraph, StepDetail, SweepRunResult } from '../../src/shared/model/results';
import { sweepRunEnded, sweepRunRecord, type LabEvent, type LabState, type MislabelledSet, type SweepRecord } from '../../src/shared/model/labState';
import { statText } from '../../src/shared/model/numbers';
import type { ToWebview } from '../../src/shared/wire/designer';
import type { RunRecord } from '../../src/shared/model/runs';
import type { SavedModel } from '../../src/shared/model/results';
import { loadSpecData } from '../../src/trainer/datasets';
import { TrainingRun } from '../../src/trainer/run';
import { runCli } from '../unit/harness/cliHarness';
import { LAB, labSpec } from '../unit/harness/labHarness';
import { docState, openView, shot, shotOf, startBrowser, stateMessage, stopBrowser, waitFor, type View } from './harness';

const PLANAR = readFileSync(labSpec('planar'), 'utf8');
const DEEP = readFileSync(labSpec('deep'), 'utf8');
const IMAGE = readFileSync(labSpec('image'), 'utf8');
const URI = (name: string) => `file:///work/${name}.nnspec`;

function labState(name: string, lab: LabState): ToWebview {
  return { type: 'labState', uri: URI(name), lab };
}
function labEvent(name: string, event: LabEvent): ToWebview {
  return { type: 'lab', uri: URI(name), event };
}

/** A document as the host sends it, with the same URI as the lab messages. */
function doc(name: string, text: string, m: number) {
  const d = docState(text, `${name}.nnspec`, m);
  return stateMessage({ ...d, uri: URI(name) });
}

const specOf = (text: string) => parseSpec(text).spec;

/** A trained model of a fixture spec (in process, as the worker trains). */
async function trained(text: string): Promise<SavedModel> {
  const spec = specOf(text);
  const { train, test } = await loadSpecData(spec, LAB);
  const run = new TrainingRun(spec, train!, test);
  while (!run.done) run.step();
  return run.toModel();
}

/** A finished run record carrying a model's numbers. */
function finishedRun(name: string, model: SavedModel, id = 1): ToWebview[] {
  const record: RunRecord = {
    id,
    uri: URI(name),
    mode: 'interactive',
    label: `Run ${id}`,
    startedAt: 0,
    total: model.iterations,
    sizes: [model.spec.inputSize!, ...model.spec.layers.map((l) => l.units)],
    activations: model.spec.layers.map((l) => l.activation),
    iteration: 0,
    costs: [],
    paused: false,
    finished: false,
  };
  return [
    { type: 'runs', uri: URI(name), list: { records: [] } },
    { type: 'run', uri: URI(name), event: { kind: 'created', record } },
    {
      type: 'run',
      uri: URI(name),
      event: {
        kind: 'ended',
        id,
        end: {
          cancelled: false,
          iterations: model.iterations,
          costs: model.costs,
          trainAccuracy: model.trainAccuracy,
          testAccuracy: model.testAccuracy,
          trainMetrics: model.trainMetrics,
          testMetrics: model.testMetrics,
          seconds: model.seconds,
        },
      },
    },
  ];
}

async function sendAll(view: View, messages: ToWebview[]): Promise<void> {
  for (const m of messages) await view.send(m);
}

async function openTab(view: View, tab: string): Promise<void> {
  await view.page.getByTestId(`lab-tab-${tab}`).click();
  await view.page.getByTestId('lab').scrollIntoViewIfNeeded();
}

/** The planar notebook's sweep over hidden units, with one run that failed. */
function planarSweep(): { record: SweepRecord; results: SweepRunResult[] } {
  const units = [1, 2, 3, 4, 5, 20, 50];
  const finals = [0.632764, 0.575354, 0.259092, 0.222648, 0.250759, 0.171587, 0.173502];
  const train = [0.675, 0.6725, 0.9075, 0.905, 0.9125, 0.9, 0.9025];
  const record: SweepRecord = {
    id: 1,
    uri: URI('planar'),
    version: 3,
    axes: [{ key: 'layer1.units', values: units.map(String) }],
    workers: 2,
    startedAt: Date.now() - 4000,
    finished: false,
    stopped: false,
    runs: units.map((u, index) => {
      const settings = { 'layer1.units': u };
      return { index, settings, run: sweepRunRecord('file:///work/planar.nnspec', index, settings, { layers: [{ units: u, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], iterations: 5000, inputSize: 2 }, Date.now() - 4000) };
    }),
  };
  const curve = (final: number): [number, number][] => Array.from({ length: 51 }, (_, k) => [k * 100 - (k === 50 ? 1 : 0), final + (0.6931 - final) * Math.exp(-k / (3 + final * 10))] as [number, number]);
  const results: SweepRunResult[] = units.map((u, index) =>
    index === 6
      ? { index, settings: { 'layer1.units': u }, finalCost: null, trainAccuracy: null, testAccuracy: null, trainMetrics: null, testMetrics: null, iterations: 812, seconds: 0.4, costs: curve(0.6).slice(0, 9), error: { message: 'The cost became NaN at iteration 812: lower the learning rate.', kind: 'diverged' } }
      : { index, settings: { 'layer1.units': u }, finalCost: finals[index], trainAccuracy: train[index], testAccuracy: null, trainMetrics: null, testMetrics: null, iterations: 5000, seconds: 0.6 + index * 0.1, costs: curve(finals[index]) },
  );
  return { record, results };
}

describe('the lab in the designer webview', { timeout: 180_000 }, () => {
  before(startBrowser);
  after(stopBrowser);

  it('sweep: the curves overlaid with a legend of the settings, the results table with errors, a row writes its settings', async () => {
    const { record, results } = planarSweep();
    for (const [theme, width] of [['light', 340], ['dark', 900]] as const) {
      const view = await openView(theme, doc('planar', PLANAR, 400), { width });
      await view.send(labState('planar', {}));
      await openTab(view, 'sweep');
      await view.page.getByTestId('sweep-run').click();
      assert.deepEqual(await view.last(), { type: 'runSweep' }, 'Run Sweep… asks the host, which asks for the key and values');
      await view.send(labEvent('planar', { kind: 'sweepStarted', sweep: record }));
      await view.send(labEvent('planar', { kind: 'sweepRun', sweepId: 1, event: { kind: 'started', id: 0, start: { m: 400, features: 2, testM: 0 } } }));
      await view.send(labEvent('planar', { kind: 'sweepRun', sweepId: 1, event: { kind: 'progress', id: 0, progress: { iteration: 1200, costs: results[0].costs.slice(0, 13), paused: false, elapsedMs: 300 } } }));
      assert.match(await view.page.getByTestId('sweep-row-0').innerText(), /iteration 1,200 of 5,000/);
      assert.match(await view.page.getByTestId('sweep-status').innerText(), /7 runs, 2 at a time: 0 ended, 1 running/);
      await view.page.getByTestId('sweep-cancel').click();
      assert.deepEqual(await view.last(), { type: 'cancelSweep' });
      for (const r of results) {
        const { costs: _costs, ...numbers } = r;
        await view.send(labEvent('planar', { kind: 'sweepRun', sweepId: 1, event: sweepRunEnded(r), result: numbers }));
      }
      await view.send(labEvent('planar', { kind: 'sweepFinished', sweepId: 1, stopped: false, seconds: 4.2 }));
      assert.equal(await view.page.getByTestId('sweep-status').innerText(), '7 runs done, 1 failed in 4.2 s, 2 at a time');
      const rows = await view.page.locator('[data-testid="sweep-table"] tbody tr').allInnerTexts();
      assert.equal(rows.length, 7);
      // as `nnspec sweep` prints the planar notebook's table
      assert.match(rows[2], /^\s*3\s+0\.259092\s+90\.75 %\s+–\s+0\.80/);
      assert.match(rows[6], /50\s+The cost became NaN at iteration 812/, 'a failed run shows its error');
      assert.equal(await view.page.getByTestId('sweep-row-5').getAttribute('class'), 'best', 'the lowest final cost is marked');
      assert.equal(await view.page.getByTestId('sweep-cancel').isHidden(), true);
      assert.match(await view.page.getByTestId('sweep-chart').getAttribute('aria-label') ?? '', /layer1\.units=20: final cost 0\.1716/);
      // the legend names each run's settings
      const legend = await view.page.evaluate(() => {
        const chart = (window as any).Chart?.getChart?.(document.querySelector('[data-testid="sweep-chart"]'));
        return chart ? chart.data.datasets.map((d: { label: string }) => d.label) : null;
      });
      if (legend) assert.deepEqual(legend.slice(0, 2), ['layer1.units=1', 'layer1.units=2']);
      await view.page.getByTestId('sweep-use-3').click();
      assert.deepEqual(await view.last(), { type: 'applySweepSettings', settings: { 'layer1.units': 4 }, uri: URI('planar'), version: 3 });
      await view.page.getByTestId('sweep-table').scrollIntoViewIfNeeded();
      await shotOf(view, 'lab', `lab-sweep-${theme}-${width}px`);
      assert.deepEqual(view.problems, []);
      await view.close();
    }
  });

  it('step inspector: forward then backward, each quantity with shape, formula, statistics as `nnspec step` prints them, and a heatmap', async () => {
    const spec = specOf(DEEP);
    const { detail } = (await runLabJob({ type: 'step', spec, specDir: LAB, at: { kind: 'initial' } })) as { detail: StepDetail };
    const cli = await runCli('step', labSpec('deep'));
    for (const [theme, width] of [['dark', 340], ['light', 1100]] as const) {
      const view = await openView(theme, doc('deep', DEEP, detail.m), { width, height: 1100 });
      await view.send(labState('deep', {}));
      await view.page.getByTestId('lab-tab-step').click();
      await view.page.getByTestId('step-initial').click();
      assert.deepEqual(await view.last(), { type: 'inspectStep', at: 'initial' });
      await view.send(labEvent('deep', { kind: 'slot', topic: 'step', slot: { status: 'pending', source: 'the initial parameters (iteration 0)' } }));
      assert.match(await view.page.getByTestId('step-status').innerText(), /Computing the pass at the initial parameters/);
      await view.send(labEvent('deep', { kind: 'slot', topic: 'step', slot: { status: 'done', value: detail, source: 'the initial parameters (iteration 0)' } }));
      const cards = view.page.locator('.q-card');
      assert.equal(await cards.count(), 3 * 6, 'Z, A, dA, dZ, dW, db of each of the 3 layers');
      const order = await cards.evaluateAll((els) => els.map((e) => e.querySelector('.q-name')!.textContent));
      assert.deepEqual(order, ['Z[1]', 'A[1]', 'Z[2]', 'A[2]', 'Z[3]', 'A[3]', 'dA[3]', 'dZ[3]', 'dW[3]', 'db[3]', 'dA[2]', 'dZ[2]', 'dW[2]', 'db[2]', 'dA[1]', 'dZ[1]', 'dW[1]', 'db[1]']);
      // each card's numbers are the line `nnspec step` prints for it
      for (const q of ['Z[1]', 'dZ[3]', 'dW[2]', 'db[1]']) {
        const line = cli.out.split('\n').find((l) => l.trimStart().startsWith(`${q} `))!;
        const [, shape, min, mean, max, norm] = /^\s*\S+\s+(\(\d+, \d+\))\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+/.exec(line)!;
        const [name, quantity] = [q.replace(/\[.*/, ''), q.replace(/.*\[(\d+)\]/, '$1')];
        const card = view.page.getByTestId(`step-${name}-${quantity}`);
        const text = await card.innerText();
        assert.ok(text.includes(shape), `${q}: ${shape} in ${text}`);
        assert.match(text, new RegExp(`min\\s+${min.replace(/[.+-]/g, '\\$&')}\\s+mean\\s+${mean.replace(/[.+-]/g, '\\$&')}\\s+max\\s+${max.replace(/[.+-]/g, '\\$&')}\\s+norm\\s+${norm.replace(/[.+-]/g, '\\$&')}`), `${q} as the CLI prints it: ${line}`);
      }
      assert.match(await view.page.getByTestId('step-dW-2').innerText(), /dW\[2\] = \(1\/m\) dZ\[2\] A\[1\]ᵀ/);
      assert.match(await view.page.getByTestId('step-dZ-1').innerText(), /dZ\[1\] = dA\[1\] \* \(Z\[1\] > 0\)/);
      assert.equal(await view.page.getByTestId('step-cost').innerText(), statText(detail.cost));
      // a small matrix drawn whole, a wide one as block means; each summarised for screen readers
      const heat = view.page.getByTestId('heatmap-dW-1');
      assert.deepEqual(await heat.evaluate((c: HTMLCanvasElement) => [c.width, c.height]), [3, 5], 'dW[1] (5, 3): every value');
      const z = view.page.getByTestId('heatmap-Z-1');
      const zh = detail.layers[0].quantities.Z.heatmap;
      assert.deepEqual(await z.evaluate((c: HTMLCanvasElement) => [c.width, c.height]), [zh.cols, zh.rows]);
      assert.match((await z.getAttribute('aria-label')) ?? '', /^Z\[1\], shape \(5, \d+\): min .*; (every value drawn, 5 × \d+|drawn as \d+ × \d+ means of blocks of \d+ × \d+ values); blue above 0, orange below/);
      // keyboard: the heatmaps are reached with Tab
      await view.page.getByTestId('heatmap-Z-1').focus();
      await view.page.keyboard.press('Tab');
      assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'heatmap-A-1');
      await view.page.getByTestId('step-body').scrollIntoViewIfNeeded();
      await shotOf(view, 'lab', `lab-step-${theme}-${width}px`);
      assert.deepEqual(view.problems, []);
      await view.close();
    }
  });

  it('gradient check: the verdict and the difference over the network and per layer, as `nnspec gradcheck` prints them', async () => {
    const spec = specOf(DEEP);
    const { result } = (await runLabJob({ type: 'gradcheck', spec, specDir: LAB, at: { kind: 'initial' } })) as { result: GradientCheckResult };
    const cli = await runCli('gradcheck', labSpec('deep'));
    const view = await openView('light', doc('deep', DEEP, result.m));
    await view.send(labState('deep', {}));
    await openTab(view, 'gradcheck');
    await view.page.getByTestId('gradcheck-initial').click();
    assert.deepEqual(await view.last(), { type: 'checkGradients', at: 'initial' });
    await view.send(labEvent('deep', { kind: 'slot', topic: 'gradcheck', slot: { status: 'done', value: result, source: 'the initial parameters (iteration 0)' } }));
    assert.match(await view.page.getByTestId('gradcheck-verdict').innerText(), new RegExp(`^\\s*${result.verdict === 'passed' ? 'Passed' : result.verdict === 'warning' ? 'Warning' : 'Failed'}`));
    const difference = await view.page.getByTestId('gradcheck-difference').innerText();
    assert.ok(cli.out.includes(`network: difference ${difference}`), `${difference} as the CLI prints it`);
    const rows = await view.page.locator('[data-testid="gradcheck-table"] tbody tr').allInnerTexts();
    result.layers.forEach((l, i) => assert.ok(cli.out.includes(`layer ${l.layer}: difference ${rows[i].split(/\s+/)[1]}`), rows[i]));
    await shotOf(view, 'lab', 'lab-gradcheck-light');
    // an error is said where the result would be
    await view.send(labEvent('deep', { kind: 'slot', topic: 'gradcheck', slot: { status: 'failed', error: "Data file 'points.csv' not found (looked for /work/points.csv)." } }));
    assert.match(await view.page.getByTestId('gradcheck-status').innerText(), /Data file 'points\.csv' not found/);
    assert.deepEqual(view.problems, []);
    await view.close();
  });

  it('computation graph (logistic regression): the example stepper and field ask for the graph; its values are `step --graph`’s', async () => {
    const spec = specOf(IMAGE);
    const { graph } = (await runLabJob({ type: 'graph', spec, specDir: LAB, example: 2, at: { kind: 'initial' } })) as { graph: LogisticGraph };
    const cli = JSON.parse((await runCli('step', labSpec('image'), '--graph', '--example', '2', '--json')).out);
    assert.deepEqual(graph, cli);
    const view = await openView('dark', doc('image', IMAGE, 60), { width: 420 });
    await view.send(labState('image', {}));
    assert.equal(await view.page.getByTestId('lab-tab-graph').isVisible(), true, 'a graph tab for logistic regression');
    await openTab(view, 'graph');
    await view.page.getByTestId('graph-next').click();
    assert.deepEqual(await view.last(), { type: 'showLogisticGraph', example: 1, at: 'initial' });
    const input = view.page.getByTestId('graph-example').locator('input');
    await input.fill('2');
    await input.press('Enter');
    assert.deepEqual(await view.last(), { type: 'showLogisticGraph', example: 2, at: 'initial' });
    await view.send(labEvent('image', { kind: 'slot', topic: 'graph', slot: { status: 'done', value: graph, source: 'the initial parameters (iteration 0)' } }));
    assert.match((await view.page.getByTestId('graph-node-loss').textContent()) ?? '', new RegExp(`^L\\(a, y\\), y = ${cli.y}${String(Number(cli.loss.toPrecision(4))).replace('.', '\\.')}$`));
    assert.match(await view.page.getByTestId('graph-loss').innerText(), new RegExp(`L\\(a, y\\) = .*\\s+${statText(cli.loss).replace(/[.+-]/g, '\\$&')}`));
    assert.match(await view.page.getByTestId('graph-dz').innerText(), new RegExp(`dz = dL/dz = a − y\\s+${statText(cli.dz).replace(/[.+-]/g, '\\$&')}`));
    assert.match(await view.page.getByTestId('graph-w').innerText(), /… 12 values\]/);
    assert.match(await view.page.getByTestId('graph-status').innerText(), /Example 2, y = [01], at the initial parameters/);
    await view.page.getByTestId('graph-body').scrollIntoViewIfNeeded();
    await shotOf(view, 'lab', 'lab-graph-dark');
    // another network has no graph tab
    await view.send(doc('deep', DEEP, 40));
    assert.equal(await view.page.getByTestId('lab-tab-graph').isHidden(), true);
    assert.deepEqual(view.problems, []);
    await view.close();
  });

  it('pictures: the mislabelled test images drawn from their pixels; a picture decoded and resized by the browser under the strict CSP', async () => {
    const model = await trained(IMAGE);
    const spec = specOf(IMAGE);
    const { examples, total, layout } = (await runLabJob({ type: 'mislabelled', spec, specDir: LAB, limit: 60, at: { kind: 'given', iteration: model.iterations, parameters: model.parameters } })) as MislabelledSet & { type: string };
    const view = await openView('light', doc('image', IMAGE, 60));
    await view.send(labState('image', {}));
    await sendAll(view, finishedRun('image', model));
    await openTab(view, 'pictures');
    // the tab asks for a finished run's mistakes once
    await waitFor('the request for the mislabelled images', async () => (await view.last())?.type === 'requestMislabelled');
    await view.send(labEvent('image', { kind: 'slot', topic: 'mislabelled', slot: { status: 'done', value: { layout, examples, total, testM: 20 }, source: 'Run 1 (trained, 150 iterations)' } }));
    assert.equal(await view.page.locator('.picture-card').count(), examples.length);
    const first = examples[0];
    assert.match((await view.page.getByTestId(`mislabelled-${first.index}`).getAttribute('aria-label')) ?? '', new RegExp(`Test example ${first.index}: label ${first.label}, the network gives ${first.probability.toFixed(4)} for label 1`));
    // the first image's top-left pixel, as its bytes say
    const rgb = await view.page.getByTestId(`mislabelled-${first.index}`).locator('canvas').evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, 1, 1).data));
    assert.deepEqual(rgb, [first.pixels[0], first.pixels[1], first.pixels[2], 255]);

    await view.page.getByTestId('predict-image').click();
    assert.deepEqual(await view.last(), { type: 'pickImage' });
    // the host sends the picked file's bytes; the browser decodes them
    const exact = png(2, 2, [10, 20, 30, 40, 50, 60, 70, 80, 90, 200, 210, 220]);
    await view.request(41, { type: 'decodeImage', name: 'tiny.png', mime: 'image/png', data: exact.toString('base64'), width: 2, height: 2, channels: 3 });
    const uniform = png(40, 30, Array.from({ length: 40 * 30 }, () => [200, 100, 50]).flat());
    await view.request(42, { type: 'decodeImage', name: 'flat.png', mime: 'image/png', data: uniform.toString('base64'), width: 2, height: 2, channels: 1 });
    await view.request(43, { type: 'decodeImage', name: 'broken.png', mime: 'image/png', data: Buffer.from('not a png').toString('base64'), width: 2, height: 2, channels: 3 });
    const replies = await waitFor('three decoded pictures', async () => {
      const r = await view.replies();
      return r.length >= 3 ? r : undefined;
    });
    const reply = (id: number) => replies.find((r) => r.inReplyTo === id)!.body as any;
    assert.deepEqual(reply(41), { type: 'decodedImage', width: 2, height: 2, channels: 3, pixels: [10, 20, 30, 40, 50, 60, 70, 80, 90, 200, 210, 220] }, 'no resize: the bytes exactly');
    const grey = 0.299 * 200 + 0.587 * 100 + 0.114 * 50;
    assert.deepEqual(reply(42).pixels.map((v: number) => Math.round(v * 1000) / 1000), [grey, grey, grey, grey].map((v) => Math.round(v * 1000) / 1000), 'resized from 40×30, one channel: the luma');
    assert.match(reply(43).error, /not a picture the browser can decode/);
    await view.send(labEvent('image', { kind: 'slot', topic: 'prediction', slot: { status: 'done', source: 'Run 1 (trained, 150 iterations)', value: { name: 'tiny.png', width: 2, height: 2, channels: 3, pixels: reply(41).pixels, probability: 0.73127, label: 1 } } }));
    assert.equal(await view.page.getByTestId('prediction-probability').innerText(), '0.7313');
    assert.equal(await view.page.getByTestId('prediction-label').innerText(), 'says 1');
    await view.page.getByTestId('prediction').scrollIntoViewIfNeeded();
    await shotOf(view, 'lab', 'lab-pictures-light');
    assert.deepEqual(view.problems, [], 'no CSP violation: the picture is decoded from a Blob, nothing is loaded');
    await view.close();
  });

  it('metrics: the confusion matrices and precision / recall / F1 of the current run, as `nnspec train --json` gives them', async () => {
    const model = await trained(DEEP);
    const cli = JSON.parse((await runCli('train', labSpec('deep'), '--json')).out);
    assert.deepEqual(model.trainMetrics, cli.train_metrics, 'the worker’s numbers are the CLI’s');
    const view = await openView('dark', doc('deep', DEEP, 40));
    await view.send(labState('deep', {}));
    await openTab(view, 'metrics');
    assert.match(await view.page.getByTestId('metrics-status').innerText(), /Train to see the confusion matrix/);
    await sendAll(view, finishedRun('deep', model));
    for (const [set, m] of [['train', cli.train_metrics], ['test', cli.test_metrics]] as const) {
      for (const k of ['tp', 'fp', 'tn', 'fn'] as const) assert.equal(await view.page.getByTestId(`${set}-${k}`).innerText(), String(m[k]), `${set} ${k}`);
      for (const k of ['precision', 'recall', 'f1'] as const) assert.equal(await view.page.getByTestId(`${set}-${k}`).innerText(), m[k] === null ? '–' : m[k].toFixed(4), `${set} ${k}`);
    }
    await view.page.getByTestId('lab').scrollIntoViewIfNeeded();
    await shotOf(view, 'lab', 'lab-metrics-dark');
    assert.deepEqual(view.problems, []);
    await view.close();
  });

  it('the tabs: arrow keys move between them, a question asked from the palette brings its tab into view, the tab is kept when the view reloads', async () => {
    const view = await openView('hc', doc('planar', PLANAR, 400), { width: 245, height: 600 });
    await view.send(labState('planar', {}));
    await view.page.getByTestId('lab-tab-sweep').focus();
    await view.page.keyboard.press('ArrowRight');
    assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'lab-tab-step');
    assert.equal(await view.page.getByTestId('lab-tab-step').getAttribute('aria-selected'), 'true');
    await view.page.keyboard.press('End');
    assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'lab-tab-metrics', 'no graph or pictures tab for the planar net');
    await view.page.evaluate(() => window.scrollTo(0, 0));
    // Check Gradients from the palette: its tab comes up, in view
    await view.send(labEvent('planar', { kind: 'slot', topic: 'gradcheck', slot: { status: 'pending' } }));
    assert.equal(await view.page.getByTestId('lab-tab-gradcheck').getAttribute('aria-selected'), 'true');
    const top = await view.page.getByTestId('lab').evaluate((e) => e.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 600, `the lab in view (${top})`);
    const pageOverflow = await view.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(pageOverflow, 0, 'nothing scrolls the page sideways at 245 px');
    await shot(view, 'lab-tabs-hc-245px');
    const saved = await waitFor('the saved tab', () =>
      view.page.evaluate(() => {
        const s = (window as any).acquireVsCodeApi().getState();
        return s?.labTab === 'gradcheck' ? s : undefined;
      }),
    );
    await view.close();
    const again = await openView('hc', doc('planar', PLANAR, 400), { saved });
    await again.send(labState('planar', {}));
    assert.equal(await again.page.getByTestId('lab-tab-gradcheck').getAttribute('aria-selected'), 'true');
    await again.close();
  });
});

/** A PNG of RGB bytes (row by row), for the browser to decode. */
function png(width: number, height: number, rgb: number[]): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 3)] = 0; // no filter
    for (let i = 0; i < width * 3; i++) raw[y * (1 + width * 3) + 1 + i] = rgb[y * width * 3 + i];
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
