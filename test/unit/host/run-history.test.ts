// Every spec's runs in one place (src/host/training/runHistory.ts), relayed to the designer
// unchanged (src/host/designer/runRelay.ts); the host's words for a run's progress
// (src/host/training/feedback.ts) never say NaN; New Spec from Template proposes a free name.

import { stub, Uri } from '../harness/vscodeStub';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { RunRelay } from '../../../src/host/designer/runRelay';
import { freeFileName } from '../../../src/host/training/commands';
import { progressText, RunFeedback } from '../../../src/host/training/feedback';
import { RunHistory } from '../../../src/host/training/runHistory';
import { parseSpec } from '../../../src/language';
import type { ToWebview } from '../../../src/shared/wire/designer';
import type { RunEvent, RunProgress } from '../../../src/shared/model/runs';

const SPEC = parseSpec('input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train flower\n').spec;
const A = 'file:///w/a.nnspec';
const B = 'file:///w/b.nnspec';

describe('run history', () => {
  it('numbers and labels runs per spec; runs belong to their spec', () => {
    const h = new RunHistory();
    const a1 = h.create(A, 'full', SPEC, 100);
    h.create(A, 'preview', SPEC, 10);
    const b1 = h.create(B, 'interactive', SPEC, 100);
    const a2 = h.create(A, 'interactive', SPEC, 100);
    const a3 = h.create(A, 'loaded', SPEC, 100);
    assert.deepEqual(h.list(A).records.map((r) => r.label), ['Run 1', 'Preview', 'Run 2', 'Saved model 3']);
    assert.deepEqual(h.list(B).records.map((r) => r.label), ['Run 1']);
    assert.equal(h.list(A).currentId, a3.id);
    assert.equal(new Set([a1.id, a2.id, a3.id, b1.id]).size, 4, 'ids are unique across specs');
    assert.deepEqual(a1.sizes, [2, 4, 1]);
    assert.deepEqual(a1.activations, ['tanh', 'sigmoid']);
  });

  it('tells each event to its listeners as it was applied: the worker’s progress goes through unchanged', () => {
    const h = new RunHistory();
    const heard: [string, RunEvent][] = [];
    h.onEvent((uri, e) => heard.push([uri, e]));
    const { id } = h.create(A, 'full', SPEC, 100);
    const progress: RunProgress = { iteration: 20, last: [19, 0.6891], costs: [[0, 0.6931]], paused: false, elapsedMs: 5 };
    const event: RunEvent = { kind: 'progress', id, progress };
    h.apply(A, event);
    assert.equal(heard[1][1], event);
    assert.equal((heard[1][1] as Extract<RunEvent, { kind: 'progress' }>).progress, progress, 'the same object, no field copies');
    assert.deepEqual(h.list(A).records[0].last, [19, 0.6891]);
    // an event of a run no longer kept changes nothing and is not told
    h.remove(A, [id]);
    h.apply(A, { kind: 'progress', id, progress });
    assert.equal(heard.length, 3);
  });

  it('the relay passes the followed spec’s events to the designer as they are, and sends a spec’s runs whole', () => {
    stub.reset();
    const h = new RunHistory();
    const posted: ToWebview[] = [];
    const followed = { uri: Uri.parse(A) };
    const changed: (() => void)[] = [];
    const controller = {
      history: h,
      current: undefined as { uri: Uri } | undefined,
      paused: false,
      loadSavedRun: async () => undefined,
      onDidChangeState: (listener: () => void) => (changed.push(listener), { dispose() {} }),
    };
    const relay = new RunRelay(
      {
        document: () => followed as never,
        spec: () => SPEC,
        broadcast: (m) => posted.push(m),
        notice: () => undefined,
      },
      controller as never,
    );
    const a = h.create(A, 'full', SPEC, 100);
    h.create(B, 'full', SPEC, 100);
    const event: RunEvent = { kind: 'ended', id: a.id, end: { cancelled: true, iterations: 21, costs: [[14, 0.69]], last: [20, 0.6891], trainAccuracy: NaN, testAccuracy: null, seconds: 1 } };
    h.apply(A, event);
    assert.deepEqual(posted.map((m) => m.type === 'run' && m.event.kind), ['created', 'ended'], "B's run is not this view's");
    assert.equal((posted[1] as Extract<ToWebview, { type: 'run' }>).event, event);
    assert.deepEqual(relay.runsMessage(), { type: 'runs', uri: A, list: { ...h.list(A), elsewhere: false } });
    // a run of B starts and ends: the followed spec's views are told, once each way
    posted.length = 0;
    controller.current = { uri: Uri.parse(B) };
    changed.forEach((l) => l());
    changed.forEach((l) => l());
    controller.current = undefined;
    changed.forEach((l) => l());
    assert.deepEqual(posted, [
      { type: 'run', uri: A, event: { kind: 'elsewhere', running: true } },
      { type: 'run', uri: A, event: { kind: 'elsewhere', running: false } },
    ]);
    relay.reset();
    assert.deepEqual(h.list(A).records, [], 'reset forgets the current run');
    relay.dispose();
  });
});

describe('what the host says of a run’s progress', () => {
  it('no cost before the first one is computed: never "cost NaN"', () => {
    assert.equal(progressText(0, 10000, undefined), 'iteration 0/10000');
    assert.equal(progressText(21, 10000, [20, 0.68912]), 'iteration 21/10000, cost 0.6891');
    assert.equal(progressText(21, 10000, [20, NaN]), 'iteration 21/10000');
  });
});

describe('a full run’s feedback while it trains', () => {
  afterEach(() => stub.reset());
  const at = (iteration: number, paused = false): RunProgress => ({ iteration, costs: [], elapsedMs: 0, paused, last: [iteration - 1, 0.5] });
  const feedbackFor = (mode: 'full' | 'interactive') => {
    const texts: string[] = [];
    const statusBar = { show() {}, set text(t: string) { texts.push(t); } };
    const doc = stub.openDocument('/w/cat.nnspec', 'input 2\n');
    return { texts, feedback: new RunFeedback({ output: { appendLine() {} }, statusBar, analysis: {} } as never, doc as never, mode, 2500, SPEC) };
  };
  /** five progress messages a second for three seconds, a pause, and a resume */
  const play = (feedback: RunFeedback) => {
    for (let i = 0; i < 15; i++) feedback.progress(at(100 * (i + 1)), 1000 + i * 200);
    feedback.progress(at(1600, true), 4000);
    feedback.progress(at(1600), 4100);
  };

  it('from the palette: the notification at most once a second, and when the run pauses or resumes; not the status bar', async () => {
    const { texts, feedback } = feedbackFor('full');
    let end!: () => void;
    feedback.notify(new Promise<void>((resolve) => (end = resolve)), () => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    play(feedback);
    assert.deepEqual(texts, []);
    // its first words, then the progress with the percent it gained since the last report
    assert.deepEqual(stub.reports, [
      { message: 'iteration 0/2500' },
      { message: 'iteration 100/2500, cost 0.5000', increment: 4 },
      { message: 'iteration 600/2500, cost 0.5000', increment: 20 },
      { message: 'iteration 1100/2500, cost 0.5000', increment: 20 },
      { message: 'iteration 1600/2500, cost 0.5000', increment: 20 },
      { message: 'iteration 1600/2500, cost 0.5000', increment: 0 },
    ]);
    end();
  });

  it('from the designer: the status bar at most once a second, and when the run pauses or resumes', () => {
    const { texts, feedback } = feedbackFor('interactive');
    play(feedback);
    assert.deepEqual(texts, [
      '$(sync~spin) nnspec: iteration 100/2500, cost 0.5000',
      '$(sync~spin) nnspec: iteration 600/2500, cost 0.5000',
      '$(sync~spin) nnspec: iteration 1100/2500, cost 0.5000',
      '$(debug-pause) nnspec: iteration 1600/2500, cost 0.5000 (paused)',
      '$(sync~spin) nnspec: iteration 1600/2500, cost 0.5000',
    ]);
    assert.equal(stub.reports.length, 0, 'no notification');
  });
});

describe('New Spec from Template', () => {
  afterEach(() => stub.reset());
  it('proposes a file name that does not exist yet', async () => {
    const taken = new Set(['/w/planar.nnspec', '/w/planar-2.nnspec']);
    const exists = async (u: Uri) => taken.has(u.fsPath);
    assert.equal(await freeFileName(Uri.file('/w') as never, 'planar.nnspec', exists as never), 'planar-3.nnspec');
    assert.equal(await freeFileName(Uri.file('/w') as never, 'spiral.nnspec', exists as never), 'spiral.nnspec');
  });
});

describe('runs after a window reload', () => {
  afterEach(() => stub.reset());

  it('the designer shows the model saved beside the spec as its run, once, and only in a trusted workspace', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { TrainingController } = await import('../../../src/host/training/controller');
    const dir = mkdtempSync(path.join(tmpdir(), 'nnspec-reload-'));
    const spec = path.join(dir, 'planar.nnspec');
    writeFileSync(spec, 'input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train flower\n');
    writeFileSync(path.join(dir, 'planar.model.json'), '{}');
    const model = { spec: SPEC, iterations: 300, costs: [[0, 0.69], [299, 0.3]], trainAccuracy: 0.9, testAccuracy: null, seconds: 1.5 };
    let reads = 0;
    const data = {
      trusted: true,
      limits: () => ({}),
      client: {
        openModel: async () => {
          reads++;
          return { model, m: 400, features: 2, testM: 0 };
        },
      },
    };
    const controller = new TrainingController({ extensionPath: dir } as never, {} as never, { appendLine() {} } as never, data as never);
    const uri = Uri.file(spec);
    await controller.loadSavedRun(uri as never);
    const list = controller.history.list(uri.toString());
    assert.deepEqual(list.records.map((r) => [r.mode, r.label, r.iteration, r.trainAccuracy]), [['loaded', 'Saved model 1', 300, 0.9]]);
    assert.deepEqual(list.records[0].last, [299, 0.3]);
    assert.equal(list.records[0].start?.m, 400);
    await controller.loadSavedRun(uri as never);
    assert.equal(reads, 1, 'looked for once');
    // Restricted Mode: no model is read
    data.trusted = false;
    await controller.loadSavedRun(Uri.file(path.join(dir, 'other.nnspec')) as never);
    assert.equal(reads, 1);
    controller.dispose();
  });
});
