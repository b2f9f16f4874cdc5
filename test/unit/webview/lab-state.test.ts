// The lab's state on both sides (applyLabEvent in src/shared/model/labState.ts, the host's LabStore
// and the webview's reducer), and the pure helpers of the lab's views: the sweep's status and
// best run, the heatmaps' pixels and summaries, the pictures' RGBA, the graph's vectors, the
// tabs a spec has.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LabStore } from '../../../src/host/lab/labStore';
import { parseSpec } from '../../../src/language';
import { documentOf } from '../harness/documents';
import { applyLabEvent, EMPTY_LAB, MAX_SWEEP_RUNS, sweepRunEnded, sweepRunRecord, sweepRunStatus, type LabEvent, type SweepRecord } from '../../../src/shared/model/labState';
import { lowestFinalCost, type SweepRunResult } from '../../../src/shared/model/results';
import { statText } from '../../../src/shared/model/numbers';
import type { StateMessage } from '../../../src/shared/wire/designer';
import { EMPTY_RUNS, MAX_COST_POINTS, type RunRecord } from '../../../src/shared/model/runs';
import { vectorText } from '../../../webview/graphPanel';
import { heatmapPixels, heatmapScale, heatmapSummary, pictureRgba } from '../../../webview/heatmap';
import { labTabs } from '../../../webview/labPanel';
import { metricText } from '../../../webview/metricsPanel';
import { mislabelledText } from '../../../webview/picturesPanel';
import { initialState, passTargetsOf as passTargets, reduce, type Action, type ViewState } from '../../../webview/state';
import { bestIndex, sweepStatus } from '../../../webview/sweepPanel';

const URI = 'file:///w/planar.nnspec';

function sweep(runs = 3): SweepRecord {
  return {
    id: 7,
    uri: URI,
    version: 2,
    axes: [{ key: 'layer1.units', values: Array.from({ length: runs }, (_, i) => String(i + 1)) }],
    workers: 2,
    startedAt: 0,
    finished: false,
    stopped: false,
    runs: Array.from({ length: runs }, (_, index) => {
      const settings = { 'layer1.units': index + 1 };
      return { index, settings, run: sweepRunRecord(URI, index, settings, { layers: [{ units: index + 1, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], iterations: 100, inputSize: 2 }, 0) };
    }),
  };
}

/** The events of sweep `sweepId`'s run `index`: its start, its progress, its end (from its result). */
const runStarted = (sweepId: number, index: number): LabEvent => ({ kind: 'sweepRun', sweepId, event: { kind: 'started', id: index, start: { m: 80, features: 2, testM: 0 } } });
const runProgress = (sweepId: number, index: number, iteration: number, costs: [number, number][]): LabEvent => ({
  kind: 'sweepRun',
  sweepId,
  event: { kind: 'progress', id: index, progress: { iteration, costs, paused: false, elapsedMs: 0 } },
});
const runDone = (sweepId: number, r: SweepRunResult): LabEvent => {
  const { costs: _costs, ...numbers } = r;
  return { kind: 'sweepRun', sweepId, event: sweepRunEnded(r), result: numbers };
};

function result(index: number, finalCost: number | null, error?: string): SweepRunResult {
  return {
    index,
    settings: { 'layer1.units': index + 1 },
    finalCost,
    trainAccuracy: finalCost === null ? null : 0.9,
    testAccuracy: null,
    trainMetrics: null,
    testMetrics: null,
    iterations: 100,
    seconds: 0.5,
    costs: finalCost === null ? [] : ([[0, 0.69], [99, finalCost]] as [number, number][]),
    ...(error ? { error: { message: error, kind: 'diverged' as const } } : {}),
  };
}

function stateOf(text: string, uri = URI): StateMessage {
  const parsed = parseSpec(text);
  return { type: 'state', document: documentOf(parsed, { uri }), files: [], live: false };
}

function apply(state: ViewState, ...actions: Action[]): ViewState {
  return actions.reduce(reduce, state);
}

describe('the lab state: one rule on both sides', () => {
  it('a sweep goes queued → running → done or failed, its costs thinned as the runs’ are, then finished', () => {
    let s = applyLabEvent(EMPTY_LAB, { kind: 'sweepStarted', sweep: sweep() });
    s = applyLabEvent(s, runStarted(7, 0));
    assert.equal(sweepRunStatus(s.sweep!.runs[0]), 'running');
    const many = Array.from({ length: MAX_COST_POINTS + 10 }, (_, i) => [i, 1 / (i + 1)] as [number, number]);
    s = applyLabEvent(s, runProgress(7, 0, 50, many));
    assert.ok(s.sweep!.runs[0].run.costs.length <= MAX_COST_POINTS + 1, 'thinned as every run is');
    assert.equal(s.sweep!.runs[0].run.iteration, 50);
    s = applyLabEvent(s, runDone(7, result(0, 0.3)));
    s = applyLabEvent(s, runDone(7, result(1, null, 'The cost became NaN')));
    assert.deepEqual(s.sweep!.runs.map(sweepRunStatus), ['done', 'failed', 'queued']);
    assert.equal(s.sweep!.runs[0].result!.finalCost, 0.3);
    assert.equal('costs' in s.sweep!.runs[0].result!, false, 'the costs are kept once, in the run');
    assert.deepEqual(s.sweep!.runs[0].run.costs, [[0, 0.69], [99, 0.3]]);
    assert.equal(s.sweep!.runs[1].run.error?.message, 'The cost became NaN');
    // events of another sweep change nothing
    const before = s;
    assert.equal(applyLabEvent(s, runStarted(8, 2)), before);
    assert.equal(applyLabEvent(s, runStarted(7, 9)), before);
    s = applyLabEvent(s, { kind: 'sweepFinished', sweepId: 7, stopped: true, seconds: 1.25 });
    assert.equal(sweepStatus(s.sweep!), 'Stopped: 2 of 3 runs ended, 1 failed');
    assert.equal(bestIndex(s.sweep!.runs), 0);
  });

  it('the host’s store tells its listeners each event that changes something, as it is', () => {
    const store = new LabStore();
    const heard: LabEvent[] = [];
    store.onEvent((uri, e) => {
      assert.equal(uri, URI);
      heard.push(e);
    });
    const event: LabEvent = { kind: 'slot', topic: 'gradcheck', slot: { status: 'pending' } };
    store.apply(URI, event);
    store.apply(URI, runStarted(1, 0));
    assert.deepEqual(heard, [event], 'an event of no sweep is dropped');
    assert.equal(store.state(URI).gradcheck?.status, 'pending');
    assert.equal(store.state('file:///other').gradcheck, undefined);
    assert.notEqual(store.sweepId(), store.sweepId());
  });

  it('the webview: its spec’s events apply, another spec’s do not; a question asked brings its tab; another document starts empty', () => {
    let s = apply(initialState(), stateOf('input 2\ndense 4 tanh\ndense 1 sigmoid\n'), { type: 'labState', uri: URI, lab: EMPTY_LAB });
    s = reduce(s, { type: 'lab', uri: 'file:///w/other.nnspec', event: { kind: 'slot', topic: 'step', slot: { status: 'pending' } } });
    assert.equal(s.lab.step, undefined);
    s = reduce(s, { type: 'lab', uri: URI, event: { kind: 'slot', topic: 'gradcheck', slot: { status: 'pending' } } });
    assert.equal(s.labTab, 'gradcheck');
    s = reduce(s, { type: 'lab', uri: URI, event: { kind: 'slot', topic: 'gradcheck', slot: { status: 'failed', error: 'no data' } } });
    s = reduce(s, { type: 'local.labTab', tab: 'metrics' });
    s = reduce(s, { type: 'lab', uri: URI, event: { kind: 'slot', topic: 'gradcheck', slot: { status: 'failed', error: 'again' } } });
    assert.equal(s.labTab, 'metrics', 'an answer does not move the tab');
    s = reduce(s, { type: 'lab', uri: URI, event: { kind: 'slot', topic: 'prediction', slot: { status: 'pending' } } });
    assert.equal(s.labTab, 'pictures');
    s = reduce(s, { type: 'lab', uri: URI, event: { kind: 'sweepStarted', sweep: sweep() } });
    assert.equal(s.labTab, 'sweep');
    assert.equal(s.lab.gradcheck?.error, 'again');
    s = reduce(s, stateOf('input 3\ndense 1 sigmoid\n', 'file:///w/other.nnspec'));
    assert.deepEqual(s.lab, EMPTY_LAB, 'another spec’s lab comes from the host');
    assert.equal(s.labUri, undefined);
  });

  it('the tabs of a spec: the graph for logistic regression, the pictures for images', () => {
    const tabs = (text: string) => labTabs(stateOf(text).document);
    assert.deepEqual(tabs('input 2\ndense 4 tanh\ndense 1 sigmoid\n'), ['sweep', 'step', 'gradcheck', 'metrics']);
    assert.deepEqual(tabs('input 64x64x3\ndense 1 sigmoid\n'), ['sweep', 'step', 'gradcheck', 'graph', 'pictures', 'metrics']);
    assert.deepEqual(tabs('input 12\ndense 1 sigmoid\nloss mse\n'), ['sweep', 'step', 'gradcheck', 'metrics'], 'no graph without the cross-entropy');
    assert.equal(MAX_SWEEP_RUNS, 1000);
  });

  it('a pass (step, gradient check) can be asked at iteration 0 of a spec without errors, and of a run unless it was stopped or failed', () => {
    const doc = (text: string) => stateOf(text).document;
    const run = (over: Partial<RunRecord>): RunRecord => ({ id: 4, uri: URI, mode: 'full', label: 'Run 4', startedAt: 0, total: 100, sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], iteration: 10, costs: [], paused: false, finished: false, ...over });
    const at = (text: string, record?: RunRecord) =>
      passTargets({ ...initialState(), document: doc(text), runs: record ? { records: [record], currentId: record.id } : EMPTY_RUNS });
    const good = 'input 2\ndense 4 tanh\ndense 1 sigmoid\n';
    assert.deepEqual(passTargets(initialState()), { initial: false, run: false }, 'no spec, no run');
    assert.deepEqual(at(good), { initial: true, run: false });
    assert.deepEqual(at('input 2\ndense x tanh\ndense 1 sigmoid\n'), { initial: false, run: false }, 'an error in the spec');
    assert.deepEqual(at(good, run({})), { initial: true, run: true }, 'running');
    assert.deepEqual(at(good, run({ paused: true })), { initial: true, run: true }, 'paused');
    assert.deepEqual(at(good, run({ finished: true, cancelled: false })), { initial: true, run: true }, 'finished');
    assert.deepEqual(at(good, run({ finished: true, cancelled: true })), { initial: true, run: false }, 'stopped');
    assert.deepEqual(at(good, run({ finished: true, error: { message: 'cost is NaN', kind: 'diverged' } })), { initial: true, run: false }, 'failed');
    assert.deepEqual(passTargets({ ...initialState(), document: doc(good), runs: { records: [run({})] } }), { initial: true, run: false }, 'a run that is not the current one');
  });
});

describe('the lab views’ pure helpers', () => {
  const palette = { negative: [200, 100, 0] as [number, number, number], positive: [0, 100, 200] as [number, number, number], background: [255, 255, 255] as [number, number, number], foreground: [0, 0, 0] as [number, number, number] };

  it('a heatmap: its largest |value| in full colour (0.85 of the way), 0 the background; a summary in words', () => {
    const m = { rows: 1, cols: 3, values: [-2, 0, 1], downsampled: false, block: [1, 1] as [number, number] };
    assert.equal(heatmapScale(m), 2);
    const px = heatmapPixels(m, palette);
    assert.deepEqual(Array.from(px.slice(0, 4)), [Math.round(255 + (200 - 255) * 0.85), Math.round(255 + (100 - 255) * 0.85), Math.round(255 * 0.15), 255]);
    assert.deepEqual(Array.from(px.slice(4, 8)), [255, 255, 255, 255]);
    const summary = heatmapSummary('dW[2]', { shape: [1, 3], min: -2, mean: -1 / 3, max: 1, heatmap: m });
    assert.equal(summary, `dW[2], shape (1, 3): min -2, mean ${statText(-1 / 3)}, max 1; every value drawn, 1 × 3; blue above 0, orange below, strongest at ±2.`);
    const big = heatmapSummary('Z[1]', { shape: [20, 209], min: 0, mean: 0, max: 0, heatmap: { rows: 20, cols: 53, values: new Array(1060).fill(0), downsampled: true, block: [1, 4] } });
    assert.match(big, /drawn as 20 × 53 means of blocks of 1 × 4 values/);
  });

  it('pictures: RGB, grey and fractions of 255', () => {
    assert.deepEqual(Array.from(pictureRgba([10, 20, 30, 40, 50, 60], 2, 1, 3)), [10, 20, 30, 255, 40, 50, 60, 255]);
    assert.deepEqual(Array.from(pictureRgba([7, 9], 2, 1, 1)), [7, 7, 7, 255, 9, 9, 9, 255]);
    assert.deepEqual(Array.from(pictureRgba([0.5, 1], 2, 1, 1)), [128, 128, 128, 255, 255, 255, 255, 255]);
    assert.equal(mislabelledText({ index: 12, label: 1, probability: 0.31234 }), 'Test example 12: label 1, the network gives 0.3123 for label 1, so it says 0.');
  });

  it('numbers as the CLI prints them: statistics, metrics, vectors; the best of a sweep', () => {
    assert.equal(statText(0.000123456), '1.235e-4');
    assert.equal(statText(2.654230001), '2.65423');
    assert.equal(metricText(null), '–');
    assert.equal(metricText(8 / 9), '0.8889');
    assert.equal(vectorText([1, 2, 3, 4, 5]), '[1, 2, 3, … 5 values]');
    assert.equal(vectorText([0.5]), '[0.5]');
    assert.deepEqual(lowestFinalCost([result(0, 0.4), result(1, null, 'x'), result(2, 0.2), result(3, 0.2)])?.settings, { 'layer1.units': 3 });
    assert.equal(lowestFinalCost([result(0, null, 'x')]), undefined);
  });
});
