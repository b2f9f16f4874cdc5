// The designer's view state (webview/state.ts) and the run record's one rule (src/shared/model/runs.ts)
// that the host's run history and the webview's view both follow.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layerAtLine, toDocumentState } from '../../../src/host/designer/viewModel';
import { analyzeSpec, parseSpec } from '../../../src/language';
import { documentOf } from '../harness/documents';
import type { DocumentState, StateMessage } from '../../../src/shared/wire/designer';
import {
  applyRunEvent,
  appendCosts,
  currentRun,
  EMPTY_RUNS,
  MAX_COST_POINTS,
  MAX_RUNS,
  trainingStatus,
  type CostPoint,
  type RunEvent,
  type RunList,
  type RunMode,
  type RunRecord,
} from '../../../src/shared/model/runs';
import { initialState, moveSelection, persisted, reduce, restore, trainingOf, type Action, type ViewState } from '../../../webview/state';

const URI = 'file:///w/a.nnspec';

function doc(layers: number, uri = URI): DocumentState {
  return {
    uri,
    fileName: uri.split('/').pop()!,
    version: 1,
    input: { size: 2, text: '2', line: 0 },
    layers: Array.from({ length: layers }, (_, i) => ({
      index: i + 1,
      line: i + 1,
      units: 4,
      activation: 'tanh' as const,
      unitsText: '4',
      activationText: 'tanh',
      W: [4, 2] as [number, number],
      b: [4, 1] as [number, 1],
      A: [4, 'm'] as [number, string],
      isOutput: i === layers - 1,
    })),
    diagnostics: [],
    facts: { errors: 0, trainable: true, input: 2, layers: [], complete: true, logistic: false },
    settings: {
      learningRate: 1,
      iterations: 100,
      init: { kind: 'he' },
      seed: 1,
      loss: 'binary_cross_entropy',
      written: { learningRate: true, iterations: true, init: true, seed: true, loss: true },
    },
    data: {},
    spec: { layers: [], loss: 'binary_cross_entropy', init: { kind: 'he' }, seed: 1, learningRate: 1, iterations: 100, printEvery: 100 },
  };
}

function stateMsg(layers: number, uri = URI): StateMessage {
  return { type: 'state', document: doc(layers, uri), files: [], live: false };
}

function record(id: number, mode: RunMode = 'interactive', label = `Run ${id}`): RunRecord {
  return { id, uri: URI, mode, label, startedAt: 0, total: 300, sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], iteration: 0, costs: [], paused: false, finished: false };
}

const created = (id: number, mode?: RunMode): RunEvent => ({ kind: 'created', record: record(id, mode) });
function progress(id: number, costs: CostPoint[], last = costs[costs.length - 1]): RunEvent {
  return { kind: 'progress', id, progress: { iteration: last ? last[0] + 1 : 0, last, costs, paused: false, elapsedMs: 10 } };
}
function ended(id: number, end: Partial<Extract<RunEvent, { kind: 'ended' }>['end']> = {}): RunEvent {
  return { kind: 'ended', id, end: { cancelled: false, iterations: 300, costs: [], trainAccuracy: 0.9, testAccuracy: null, seconds: 1, ...end } };
}

function runs(...events: RunEvent[]): RunList {
  return events.reduce(applyRunEvent, EMPTY_RUNS);
}

/** The webview's state after host messages about URI's runs. */
function apply(state: ViewState, ...actions: (Action | RunEvent)[]): ViewState {
  return actions.reduce((s, a) => reduce(s, 'kind' in a ? { type: 'run', uri: URI, event: a } : a), state);
}

describe('the run record (src/shared/model/runs.ts)', () => {
  it('progress appends the recorded costs and carries the last cost computed', () => {
    const r = currentRun(runs(created(1), progress(1, [[0, 0.69], [100, 0.5]]), progress(1, [[200, 0.3]], [250, 0.28])))!;
    assert.deepEqual(r.costs, [[0, 0.69], [100, 0.5], [200, 0.3]]);
    assert.equal(r.iteration, 251);
    assert.deepEqual(r.last, [250, 0.28]);
  });

  it('before the first cost there is none: no NaN', () => {
    const r = currentRun(runs(created(1), { kind: 'progress', id: 1, progress: { iteration: 0, costs: [], paused: false, elapsedMs: 0 } }))!;
    assert.equal(r.last, undefined);
  });

  it('a stopped run keeps the last cost computed, not the last recorded one', () => {
    // iteration 20 showed 0.6891 while running; the last recorded cost is iteration 14's
    const r = currentRun(runs(created(1), progress(1, [[14, 0.6902]], [20, 0.6891]), ended(1, { cancelled: true, iterations: 21, costs: [[14, 0.6902]], last: [20, 0.6891], trainAccuracy: NaN, testAccuracy: NaN })))!;
    assert.deepEqual(r.last, [20, 0.6891]);
    assert.equal(r.cancelled, true);
    assert.equal(r.trainAccuracy, undefined, 'a stopped run has no accuracy (never NaN)');
    assert.equal(r.testAccuracy, undefined);
  });

  it('the end carries the authoritative costs and the accuracies', () => {
    const r = currentRun(runs(created(1), progress(1, [[0, 0.7]]), ended(1, { costs: [[0, 0.7], [100, 0.4], [299, 0.2]], trainAccuracy: 0.9, testAccuracy: 0.85 })))!;
    assert.equal(r.finished, true);
    assert.deepEqual(r.last, [299, 0.2]);
    assert.equal(r.costs.length, 3);
    assert.equal(r.testAccuracy, 0.85);
  });

  it('keeps MAX_RUNS runs; a new preview replaces the previous preview', () => {
    let list = EMPTY_RUNS;
    for (let id = 1; id <= MAX_RUNS + 3; id++) list = runs(...[...list.records.map((r) => ({ kind: 'created', record: r }) as RunEvent), created(id)]);
    assert.deepEqual(list.records.map((r) => r.id), [4, 5, 6, 7, 8]);
    assert.deepEqual(runs(created(1, 'full'), created(2, 'preview'), created(3, 'preview')).records.map((r) => r.id), [1, 3]);
  });

  it('removing the current run leaves no current run; events of removed runs change nothing', () => {
    let list = runs(created(1), ended(1), created(2), progress(2, [[0, 0.7]]));
    list = applyRunEvent(list, { kind: 'removed', ids: [2] });
    assert.deepEqual(list.records.map((r) => r.id), [1]);
    assert.equal(list.currentId, undefined);
    assert.equal(applyRunEvent(list, progress(2, [[100, 0.5]])), list);
  });

  it('the training status follows the runs: the current run until it ends, its pause, and a run of another spec', () => {
    let list = applyRunEvent(EMPTY_RUNS, created(1));
    assert.deepEqual(trainingStatus(list), { running: true, paused: false, runId: 1, mode: 'interactive' });
    list = applyRunEvent(list, { kind: 'paused', id: 1, paused: true });
    assert.equal(trainingStatus(list).paused, true);
    list = applyRunEvent(list, ended(1));
    assert.deepEqual(trainingStatus(list), { running: false, paused: false });
    assert.equal(applyRunEvent(list, { kind: 'paused', id: 1, paused: true }).records[0].paused, false, 'an ended run is not paused again');
    list = applyRunEvent(list, { kind: 'elsewhere', running: true });
    assert.deepEqual(trainingStatus(list), { running: false, paused: false, busyElsewhere: true });
    assert.equal(applyRunEvent(list, { kind: 'elsewhere', running: true }), list, 'nothing new');
    list = applyRunEvent(list, created(2, 'loaded'));
    assert.equal(trainingStatus(list).running, false, "a saved model's run is not under way");
    assert.equal(applyRunEvent(list, { kind: 'elsewhere', running: false }).elsewhere, false);
  });

  it('one thinning rule: beyond MAX_COST_POINTS every other point goes, the first and the last stay', () => {
    const many: CostPoint[] = Array.from({ length: MAX_COST_POINTS + 1 }, (_, i) => [i, 1 / (i + 1)]);
    const out = appendCosts([], many);
    assert.ok(out.length <= MAX_COST_POINTS + 1 && out.length < many.length);
    assert.deepEqual(out[0], [0, 1]);
    assert.deepEqual(out[out.length - 1], many[many.length - 1]);
    // a repeated iteration replaces the earlier point
    assert.deepEqual(appendCosts([[0, 1], [1, 0.5]], [[1, 0.4]]), [[0, 1], [1, 0.4]]);
  });
});

describe('designer view state', () => {
  it('holds the followed spec’s runs: a whole list, then the events of that spec only', () => {
    let s = apply(initialState(), stateMsg(2), { type: 'runs', uri: URI, list: runs(created(1), ended(1)) });
    s = apply(s, created(2), progress(2, [[0, 0.7]]));
    assert.deepEqual(s.runs.records.map((r) => r.id), [1, 2]);
    assert.equal(s.runs.currentId, 2);
    s = reduce(s, { type: 'run', uri: 'file:///w/other.nnspec', event: progress(2, [[100, 0.1]]) });
    assert.deepEqual(currentRun(s.runs)!.costs, [[0, 0.7]], "another spec's events do not reach this view");
  });

  it('another spec: its state starts a clean view until its runs come; runs sent first are kept', () => {
    let s = apply(initialState(), stateMsg(2), { type: 'runs', uri: URI, list: runs(created(1)) });
    s = reduce(s, stateMsg(2, 'file:///w/b.nnspec'));
    assert.deepEqual(s.runs, EMPTY_RUNS);
    s = reduce(s, { type: 'runs', uri: 'file:///w/c.nnspec', list: runs(created(5)) });
    s = reduce(s, stateMsg(2, 'file:///w/c.nnspec'));
    assert.deepEqual(s.runs.records.map((r) => r.id), [5]);
  });

  it('an error ends the run and shows a notice; a new run clears it', () => {
    let s = apply(initialState(), stateMsg(2), { type: 'runs', uri: URI, list: EMPTY_RUNS }, created(1), { kind: 'ended', id: 1, error: { message: 'cost is NaN', kind: 'diverged' } });
    assert.equal(currentRun(s.runs)!.error?.message, 'cost is NaN');
    assert.deepEqual(s.notice, { severity: 'error', message: 'cost is NaN' });
    s = apply(s, created(2));
    assert.equal(s.notice, undefined);
  });

  it('reset forgets the current run at once (the host forgets it too); clear forgets the finished runs', () => {
    let s = apply(initialState(), stateMsg(2), { type: 'runs', uri: URI, list: EMPTY_RUNS }, created(1), ended(1), created(2), progress(2, [[0, 0.7]]));
    assert.deepEqual(trainingOf(s), { running: true, paused: false, runId: 2, mode: 'interactive' }, 'the run under way, from its record');
    s = apply(s, { type: 'local.reset' });
    assert.deepEqual(s.runs.records.map((r) => r.id), [1]);
    assert.equal(currentRun(s.runs), undefined);
    assert.equal(trainingOf(s).running, false);
    // the host's own removal, and late progress of the reset run, change nothing more
    assert.deepEqual(apply(s, { kind: 'removed', ids: [2] }, progress(2, [[100, 0.5]])).runs, s.runs);
    s = apply(s, created(3), { type: 'local.clearRuns' });
    assert.deepEqual(s.runs.records.map((r) => r.id), [3], 'the run under way stays');
  });

  it('selection: from the host, locally, clamped to the layers, moved with the keyboard', () => {
    let s = apply(initialState(), stateMsg(3), { type: 'selectLayer', layer: 2 });
    assert.equal(s.selected, 2);
    s = reduce(s, { type: 'local.select', layer: 9 });
    assert.equal(s.selected, 3);
    s = reduce(s, stateMsg(1)); // layers removed in the editor
    assert.equal(s.selected, 1);
    assert.equal(moveSelection(s, -1), 0);
    assert.equal(moveSelection(s, -1 - 5), 0);
    assert.equal(moveSelection(s, +1), 1);
    assert.equal(moveSelection({ ...s, selected: null }, +1), 0);
  });

  it('only the view’s own choices are saved: the selection, the log scale, the lab’s tab and example (runs and the lab come from the host)', () => {
    let s = apply(initialState(), stateMsg(2), { type: 'runs', uri: URI, list: runs(created(1)) }, { type: 'local.toggleLogScale' }, { type: 'local.select', layer: 2 }, { type: 'local.labTab', tab: 'graph' }, { type: 'local.graphExample', example: 7 });
    const saved = JSON.parse(JSON.stringify(persisted(s)));
    assert.deepEqual(saved, { selected: 2, logScale: true, labTab: 'graph', graphExample: 7 });
    assert.equal(restore({ ...saved, labTab: 'nonsense', graphExample: -3 }).labTab, 'sweep', 'junk is not restored');
    assert.equal(restore({ ...saved, graphExample: 1.5 }).graphExample, 0);
    const back = restore(saved);
    assert.equal(back.logScale, true);
    assert.equal(back.selected, 2);
    assert.equal(back.document, null, 'the document comes from the host again');
    assert.deepEqual(back.runs, EMPTY_RUNS, 'and so do the runs');
    s = reduce(back, { type: 'local.toggleLogScale' });
    assert.equal(s.logScale, false);
    assert.deepEqual(restore('junk'), initialState());
  });
});

describe('designer view model (host side, pure)', () => {
  const text = 'input 64x64x3\ndense 20 relu\ndense x relu\ndense 2 sigmoid\n';
  const parsed = parseSpec(text);
  const doc = documentOf(parsed, { uri: 'file:///a.nnspec', m: 209 });

  it('gives each layer its shapes with m, unknown dimensions as ?', () => {
    assert.deepEqual(doc.input, { line: 0, size: 12288, dims: [64, 64, 3], text: '64x64x3' });
    assert.deepEqual(doc.layers[0].W, [20, 12288]);
    assert.deepEqual(doc.layers[0].A, [20, 209]);
    assert.deepEqual(doc.layers[1].W, ['?', 20]);
    assert.deepEqual(doc.layers[2].W, [2, '?']);
    assert.equal(doc.facts.totalParams, undefined, 'unknown while a layer is invalid');
  });

  it('marks the output layer and puts each diagnostic on its layer', () => {
    assert.deepEqual(doc.layers.map((l) => l.isOutput), [false, false, true]);
    const units = doc.diagnostics.find((d) => d.code === 'nnspec-invalid-units');
    assert.equal(units?.layer, 2);
    const output = doc.diagnostics.find((d) => d.code === 'nnspec-output-units');
    assert.equal(output?.layer, 3);
    assert.equal(layerAtLine(parsed, 0), 0);
    assert.equal(layerAtLine(parsed, 3), 3);
    assert.equal(layerAtLine(parsed, 4), undefined);
  });

  it('places diagnostics on layers in time linear in the layers (a huge paste of bad lines)', () => {
    // every layer line bad: one diagnostic per line, each placed on its layer. The peer is
    // parsing and checking the same text, which is linear: a lookup that scanned the layers
    // for each diagnostic would take 40,000 x 40,000 steps, many times the parse.
    const text = 'input 2\n' + 'dense x relu\n'.repeat(40000) + 'dense 1 sigmoid\n';
    const parse: number[] = [];
    const place: number[] = [];
    for (let r = 0; r < 5; r++) {
      let start = performance.now();
      const big = parseSpec(text); // a fresh parse each time: the line index is cached per parsed spec
      const { diagnostics, shapes, facts } = analyzeSpec(big);
      parse.push(performance.now() - start);
      start = performance.now();
      const state = toDocumentState({ uri: 'file:///big.nnspec', fileName: 'big.nnspec', version: 1, parsed: big, diagnostics, dataFacts: {}, shapes, facts });
      place.push(performance.now() - start);
      const onBadLines = state.diagnostics.filter((d) => d.line >= 1 && d.line <= 40000);
      assert.equal(onBadLines.length, 40000);
      assert.ok(onBadLines.every((d) => d.layer === d.line)); // layer l is on line l here
    }
    // the fastest of five each: a collection or a busy neighbour only ever adds time
    const [p, v] = [Math.min(...parse), Math.min(...place)];
    assert.ok(v < 2 * p, `the view model took ${v.toFixed(1)} ms, parsing and checking ${p.toFixed(1)} ms`);
  });
});
