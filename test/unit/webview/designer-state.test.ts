import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layerAtLine, toDocumentState } from '../../../src/host/designer/viewModel';
import { checkSpec, parseSpec } from '../../../src/language';
import type { DocumentState, StateMessage, ToWebview } from '../../../src/shared/protocol';
import {
  MAX_POINTS_PER_RUN,
  MAX_RUNS,
  appendCosts,
  currentRun,
  initialState,
  moveSelection,
  persisted,
  reduce,
  restore,
  type Action,
  type ViewState,
} from '../../../webview/state';

function doc(layers: number): DocumentState {
  return {
    uri: 'file:///w/a.nnspec',
    fileName: 'a.nnspec',
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

function stateMsg(layers: number): StateMessage {
  return { type: 'state', document: doc(layers), files: [], live: false, training: { running: false, paused: false } };
}

function started(runId: number, mode: 'full' | 'preview' | 'interactive' | 'loaded' = 'interactive'): ToWebview {
  return { type: 'trainingStarted', runId, mode, startedAt: 0, m: 400, features: 2, testM: 0, sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'] };
}

function progress(runId: number, costs: [number, number][]): ToWebview {
  const [iteration, cost] = costs[costs.length - 1];
  return { type: 'trainingProgress', runId, iteration, cost, costs, paused: false, elapsedMs: 10 };
}

function apply(state: ViewState, ...actions: Action[]): ViewState {
  return actions.reduce(reduce, state);
}

describe('designer view state', () => {
  it('appends progress costs to the run and tracks iteration and cost', () => {
    const s = apply(initialState(), started(1), progress(1, [[0, 0.69], [100, 0.5]]), progress(1, [[200, 0.3]]));
    const run = currentRun(s)!;
    assert.deepEqual(run.costs, [[0, 0.69], [100, 0.5], [200, 0.3]]);
    assert.equal(run.iteration, 200);
    assert.equal(run.cost, 0.3);
    assert.equal(run.label, 'Run 1');
  });

  it('keeps only the last MAX_RUNS runs', () => {
    let s = initialState();
    for (let id = 1; id <= MAX_RUNS + 3; id++) s = apply(s, started(id), { type: 'trainingFinished', runId: id, cancelled: false });
    assert.equal(s.runs.length, MAX_RUNS);
    assert.deepEqual(s.runs.map((r) => r.runId), [4, 5, 6, 7, 8]);
    assert.equal(s.runs[s.runs.length - 1].label, `Run ${MAX_RUNS + 3}`);
  });

  it('a new preview run replaces the previous preview', () => {
    const s = apply(initialState(), started(1, 'full'), started(2, 'preview'), started(3, 'preview'));
    assert.deepEqual(s.runs.map((r) => [r.runId, r.label]), [[1, 'Run 1'], [3, 'Preview']]);
  });

  it('finishing records accuracies and the authoritative costs', () => {
    const s = apply(initialState(), started(1), progress(1, [[0, 0.7]]), {
      type: 'trainingFinished',
      runId: 1,
      cancelled: false,
      iterations: 300,
      costs: [[0, 0.7], [100, 0.4], [300, 0.2]],
      trainAccuracy: 0.9,
      testAccuracy: 0.85,
    });
    const run = currentRun(s)!;
    assert.equal(run.finished, true);
    assert.equal(run.trainAccuracy, 0.9);
    assert.equal(run.testAccuracy, 0.85);
    assert.equal(run.cost, 0.2);
    assert.equal(run.costs.length, 3);
  });

  it('an error finishes the run and shows a notice', () => {
    const s = apply(initialState(), started(1), { type: 'trainingFinished', runId: 1, cancelled: false, error: { message: 'cost is NaN', kind: 'diverged' } });
    assert.equal(currentRun(s)!.error, 'cost is NaN');
    assert.deepEqual(s.notice, { severity: 'error', message: 'cost is NaN' });
  });

  it('reset clears the current run and ignores its late messages', () => {
    let s = apply(initialState(), started(1), { type: 'trainingFinished', runId: 1, cancelled: false }, started(2), progress(2, [[0, 0.7]]));
    s = apply(s, { type: 'trainingState', live: false, training: { running: true, paused: false, runId: 2 } });
    s = reduce(s, { type: 'local.reset' });
    assert.deepEqual(s.runs.map((r) => r.runId), [1]);
    assert.equal(s.currentRunId, undefined);
    assert.equal(s.snapshot, undefined);
    assert.equal(s.training.running, false);
    s = apply(s, progress(2, [[100, 0.5]]), { type: 'trainingFinished', runId: 2, cancelled: true });
    assert.deepEqual(s.runs.map((r) => r.runId), [1], 'late messages of the reset run are ignored');
    // after a host reload, run ids begin again: a start with that id is a new run
    s = apply(s, started(2), progress(2, [[0, 0.6]]));
    assert.deepEqual(s.runs.map((r) => r.runId), [1, 2]);
  });

  it('reset after a finished run goes back to no current run: counters empty, earlier runs kept', () => {
    let s = apply(initialState(), started(1), { type: 'trainingFinished', runId: 1, cancelled: false, iterations: 300, costs: [[0, 0.7], [299, 0.2]] });
    s = apply(s, started(2), { type: 'trainingFinished', runId: 2, cancelled: false, iterations: 300, costs: [[0, 0.7], [299, 0.1]] });
    assert.equal(currentRun(s)?.runId, 2);
    s = reduce(s, { type: 'local.reset' });
    assert.equal(currentRun(s), undefined, 'the counters show nothing');
    assert.deepEqual(s.runs.map((r) => r.runId), [1], 'the reset run leaves the chart, the earlier one stays');
  });

  it('clear removes finished runs', () => {
    const s = apply(initialState(), started(1), { type: 'trainingFinished', runId: 1, cancelled: false }, { type: 'local.clearRuns' });
    assert.deepEqual(s.runs, []);
  });

  it('progress for an unknown run (view re-created mid-run) starts following it', () => {
    const s = apply(initialState(), stateMsg(2), progress(9, [[500, 0.2]]));
    assert.equal(s.currentRunId, 9);
    assert.deepEqual(currentRun(s)!.costs, [[500, 0.2]]);
    assert.deepEqual(currentRun(s)!.sizes, [2, 4, 4]);
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

  it('log scale toggles and survives persist/restore together with runs and selection', () => {
    let s = apply(initialState(), stateMsg(2), started(1), progress(1, [[0, 0.7]]), { type: 'local.toggleLogScale' }, { type: 'local.select', layer: 2 });
    assert.equal(s.logScale, true);
    const back = restore(JSON.parse(JSON.stringify(persisted(s))));
    assert.equal(back.logScale, true);
    assert.equal(back.selected, 2);
    assert.deepEqual(back.runs, s.runs);
    assert.equal(back.document, null, 'the document comes from the host again');
    s = reduce(back, { type: 'local.toggleLogScale' });
    assert.equal(s.logScale, false);
    assert.deepEqual(restore('junk'), initialState());
  });

  it('cost series are thinned beyond the cap but keep first and last points', () => {
    const many: [number, number][] = Array.from({ length: MAX_POINTS_PER_RUN + 1 }, (_, i) => [i, 1 / (i + 1)]);
    const out = appendCosts([], many);
    assert.ok(out.length <= MAX_POINTS_PER_RUN + 1 && out.length < many.length);
    assert.deepEqual(out[0], [0, 1]);
    assert.deepEqual(out[out.length - 1], many[many.length - 1]);
    // a repeated iteration replaces the earlier point
    assert.deepEqual(appendCosts([[0, 1], [1, 0.5]], [[1, 0.4]]), [[0, 1], [1, 0.4]]);
  });
});

describe('designer view model (host side, pure)', () => {
  const text = 'input 64x64x3\ndense 20 relu\ndense x relu\ndense 2 sigmoid\n';
  const parsed = parseSpec(text);
  const doc = toDocumentState({ uri: 'file:///a.nnspec', fileName: 'a.nnspec', version: 1, parsed, diagnostics: checkSpec(parsed), facts: {}, m: 209 });

  it('gives each layer its shapes with m, unknown dimensions as ?', () => {
    assert.deepEqual(doc.input, { line: 0, size: 12288, dims: [64, 64, 3], text: '64x64x3' });
    assert.deepEqual(doc.layers[0].W, [20, 12288]);
    assert.deepEqual(doc.layers[0].A, [20, 209]);
    assert.deepEqual(doc.layers[1].W, ['?', 20]);
    assert.deepEqual(doc.layers[2].W, [2, '?']);
    assert.equal(doc.totalParams, undefined, 'unknown while a layer is invalid');
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
});

describe('designer view state: documents and replays', () => {
  it("a run's start names its document: it may arrive before that document's state without losing its curve", () => {
    const a = stateMsg(2);
    const b: StateMessage = { ...stateMsg(2), document: { ...doc(2), uri: 'file:///w/b.nnspec', fileName: 'b.nnspec' } };
    let s = apply(initialState(), a, started(1), { type: 'trainingFinished', runId: 1, cancelled: false });
    // a saved model of b is opened: its run starts while the view still shows a
    s = apply(s, { ...(started(7, 'loaded') as Extract<ToWebview, { type: 'trainingStarted' }>), uri: 'file:///w/b.nnspec' });
    assert.deepEqual(s.runs.map((r) => r.runId), [7], "a's runs leave the chart");
    assert.equal(s.runs[0].label, 'Saved model 2');
    s = apply(s, { type: 'trainingFinished', runId: 7, cancelled: false, iterations: 50, costs: [[0, 0.7], [49, 0.3]], trainAccuracy: 0.9, testAccuracy: null });
    s = apply(s, b);
    assert.deepEqual(s.runs.map((r) => r.runId), [7], "b's state keeps b's run");
    assert.equal(currentRun(s)?.trainAccuracy, 0.9);
  });

  it('runs of another document are cleared when the designer follows a new spec', () => {
    let s = apply(initialState(), stateMsg(2), started(1), progress(1, [[0, 0.7]]));
    assert.equal(s.runs.length, 1);
    s = reduce(s, stateMsg(2)); // same document, new version
    assert.equal(s.runs.length, 1);
    const other = stateMsg(2);
    other.document = { ...other.document!, uri: 'file:///w/b.nnspec' };
    s = reduce(s, other);
    assert.deepEqual(s.runs, []);
    assert.equal(s.snapshot, undefined);
  });

  it('a replayed start of a run the view already has keeps its curve and label', () => {
    let s = apply(initialState(), stateMsg(2), started(1), progress(1, [[0, 0.7], [100, 0.5]]));
    s = apply(restore(JSON.parse(JSON.stringify(persisted(s)))), stateMsg(2), started(1));
    assert.equal(s.runs.length, 1);
    assert.equal(s.runs[0].label, 'Run 1');
    assert.equal(s.runs[0].costs.length, 2);
    // the replayed progress carries every cost so far: the curve is the same, then grows
    s = reduce(s, progress(1, [[0, 0.7], [100, 0.5], [200, 0.4]]));
    assert.deepEqual(s.runs[0].costs, [[0, 0.7], [100, 0.5], [200, 0.4]]);
  });
});

