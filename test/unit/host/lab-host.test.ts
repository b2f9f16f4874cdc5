// The lab's host side through the real Designer, its messenger and a webview played by the test,
// against the vscode stand-in: the lab buttons' messages become lab events (pending, then the
// answer) relayed to the view, with the numbers the CLI prints for the same spec (the lab worker
// and the training workers run the TypeScript sources); the parameters are the initial ones, a
// finished run's model or a run under way's own (asked of its worker); a sweep's runs are the CLI's
// and a row's settings go into the spec as one WorkspaceEdit; Restricted Mode and malformed
// messages do nothing; a fresh run's report has the metrics.

import { fakeWebview as pageWebview } from '../harness/fakeWebview';
import { EventEmitter, stub, type FakeDocument } from '../harness/vscodeStub';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { AnalysisService } from '../../../src/host/analysis';
import { Designer } from '../../../src/host/designer/designer';
import { DesignerView } from '../../../src/host/designer/view';
import { gradcheckSummary, pictureMime, sweepKeyItems, valuesProblem } from '../../../src/host/lab/commands';
import { LabService } from '../../../src/host/lab/labService';
import { LabStore } from '../../../src/host/lab/labStore';
import { SweepController } from '../../../src/host/lab/sweeps';
import { reportFromModel, reportMarkdown } from '../../../src/host/training/report';
import { RunHistory } from '../../../src/host/training/runHistory';
import { mislabelled, predictImage } from '../../../src/lab/images';
import { LabClient } from '../../../src/lab/labClient';
import { parseSpec } from '../../../src/language';
import { sweepRunStatus, type LabEvent, type LabSlot, type LabState } from '../../../src/shared/model/labState';
import type { SavedModel } from '../../../src/shared/model/results';
import { loadSpecData } from '../../../src/trainer/datasets';
import { modelParameters } from '../../../src/trainer/savedModel';
import { TrainerClient } from '../../../src/trainer/trainerClient';
import { runCli } from '../harness/cliHarness';
import { labSpec } from '../harness/labHarness';

const ROOT = path.join(__dirname, '..', '..', '..');
const TSX = require.resolve('tsx/cjs');
const tsWorker = (file: string): Worker => new Worker(`require(${JSON.stringify(TSX)}); require(${JSON.stringify(file)});`, { eval: true });
const TRAIN_WORKER = path.join(ROOT, 'src', 'trainer', 'trainWorker.ts');
const labClient = new LabClient(path.join(ROOT, 'src', 'lab', 'labWorker.ts'), { createWorker: (f) => tsWorker(f) });
const trainer = new TrainerClient(TRAIN_WORKER, { createWorker: tsWorker });
after(() => {
  labClient.dispose();
  trainer.dispose();
});

/** A sidebar webview whose page is the test. */
function fakeWebview() {
  const web = pageWebview();
  return {
    ...web,
    send: (body: Record<string, unknown>) => web.deliver({ body }),
    /** the lab events posted so far */
    events: () => web.bodies<{ event: LabEvent }>('lab').map((b) => b.event),
  };
}

/** A training controller: its run history, the run under way (if any), the models of finished runs. */
function fakeController() {
  const history = new RunHistory();
  const models = new Map<number, SavedModel>();
  const inspected: unknown[] = [];
  return {
    history,
    models,
    inspected,
    onDidChangeState: new EventEmitter<void>().event,
    current: undefined as undefined | { id: number; uri: unknown; mode: 'interactive'; spec: unknown },
    paused: false,
    start: async () => undefined,
    stop() {},
    pause() {},
    resume() {},
    step() {},
    loadSavedRun: async () => undefined,
    trainedModel: (id: number) => models.get(id),
    inspect: async (what: { detail?: boolean; parameters?: boolean }) => {
      inspected.push(what);
      return trainer.inspect(what);
    },
  };
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick(25);
  }
}

/** The slot of `topic` once answered (done or failed), from the events the view got. */
function answered(web: ReturnType<typeof fakeWebview>, topic: string, from = 0): Promise<{ slot: LabSlot<any> }> {
  return until(`the ${topic} answer`, () =>
    web
      .events()
      .slice(from)
      .find((e): e is Extract<LabEvent, { kind: 'slot' }> => e.kind === 'slot' && e.topic === topic && e.slot.status !== 'pending'),
  );
}

/** `nnspec step FILE --iteration N --json`, as the detail's statistics. */
function statsOf(detail: any) {
  return detail.layers.map((l: any) => Object.fromEntries(['Z', 'A', 'dA', 'dZ', 'dW', 'db'].map((q) => [q, { shape: l.quantities[q].shape, min: l.quantities[q].min, max: l.quantities[q].max, mean: l.quantities[q].mean, norm: l.quantities[q].norm }])));
}
async function cliStats(file: string, iteration: number) {
  const out = JSON.parse((await runCli('step', file, '--iteration', String(iteration), '--json')).out);
  return out.layers.map((l: any) => Object.fromEntries(['Z', 'A', 'dA', 'dZ', 'dW', 'db'].map((q) => [q, l[q]])));
}

describe('the lab through the designer', { timeout: 180_000 }, () => {
  let analysis: AnalysisService;
  let designer: Designer;
  let web: ReturnType<typeof fakeWebview>;
  let controller: ReturnType<typeof fakeController>;
  let store: LabStore;
  let refused: string | undefined;
  let sweeps: SweepController;

  function open(name: string, text = readFileSync(labSpec(name), 'utf8')): FakeDocument {
    const doc = stub.openDocument(labSpec(name), text);
    stub.show(doc);
    return doc;
  }

  beforeEach(async () => {
    refused = undefined;
    analysis = new AnalysisService(undefined, 5);
    controller = fakeController();
    store = new LabStore();
    const service = new LabService({ store, controller: controller as never, analysis, client: labClient, limits: () => ({}), refused: () => refused });
    sweeps = new SweepController({ store, analysis, workerPath: TRAIN_WORKER, createWorker: tsWorker, limits: () => ({}), output: { appendLine() {} }, refused: () => refused, workers: 2 });
    designer = new Designer(analysis, controller as never, async () => undefined, { store, service, sweeps });
    web = fakeWebview();
  });
  afterEach(() => {
    designer.dispose();
    analysis.dispose();
    sweeps.dispose();
    stub.reset();
  });

  async function attach(): Promise<void> {
    designer.attach(new DesignerView('sidebar', web.surface as never, { scheme: 'file', path: '/ext', fsPath: '/ext' } as never, designer));
    web.send({ type: 'ready' });
    await tick();
  }

  it('a view that loads gets the spec’s lab state whole, after its state and runs', async () => {
    const doc = open('deep');
    store.apply(doc.uri.toString(), { kind: 'slot', topic: 'gradcheck', slot: { status: 'failed', error: 'earlier' } });
    await attach();
    const types = web.posted.map((e) => e.body?.type);
    assert.deepEqual(types.slice(0, 3), ['state', 'runs', 'labState']);
    const lab = web.posted[2].body as { uri: string; lab: LabState };
    assert.equal(lab.uri, doc.uri.toString());
    assert.equal(lab.lab.gradcheck?.error, 'earlier');
  });

  it('the step inspector at iteration 0: pending, then the pass `nnspec step` prints', async () => {
    open('deep');
    await attach();
    web.send({ type: 'inspectStep', at: 'initial' });
    const slot = await answered(web, 'step');
    const first = web.events()[0];
    assert.equal(first.kind === 'slot' && first.slot.status, 'pending', 'pending first');
    assert.equal(slot.slot.status, 'done', slot.slot.error);
    assert.equal(slot.slot.source, 'the initial parameters (iteration 0)');
    assert.deepEqual(statsOf(slot.slot.value), await cliStats(labSpec('deep'), 0));
  });

  it('at the current run: a finished run’s model, or the run under way asked through its worker (not disturbed)', async () => {
    const doc = open('deep');
    await attach();
    const uri = doc.uri.toString();
    const spec = parseSpec(doc.getText()).spec;
    // no run yet
    web.send({ type: 'inspectStep', at: 'run' });
    const none = await answered(web, 'step');
    assert.equal(none.slot.status, 'failed');
    assert.match(none.slot.error!, /deep\.nnspec has no run yet: train it first/);
    // a finished run of 7 iterations
    const done = await trainer.run({ spec, specDir: path.dirname(labSpec('deep')), maxIterations: 7 }).done;
    const { id } = controller.history.create(uri, 'interactive', spec, 7);
    controller.history.apply(uri, { kind: 'ended', id, end: { cancelled: false, iterations: 7, costs: done.costs, trainAccuracy: done.trainAccuracy, testAccuracy: done.testAccuracy, seconds: 0 } });
    controller.models.set(id, done.model);
    let from = web.events().length;
    web.send({ type: 'inspectStep', at: 'run' });
    const finished = await answered(web, 'step', from);
    assert.equal(finished.slot.source, 'Run 1 (trained, 7 iterations)');
    assert.deepEqual(statsOf(finished.slot.value), await cliStats(labSpec('deep'), 7));
    // a run under way, paused at 12: its own worker answers, on its own network
    const live = controller.history.create(uri, 'interactive', spec, 60);
    const progress: number[] = [];
    const run = trainer.run({ spec, specDir: path.dirname(labSpec('deep')), paused: true }, { onEvent: (e) => e.kind === 'progress' && progress.push(e.progress.iteration) });
    controller.current = { id: live.id, uri: doc.uri, mode: 'interactive', spec };
    controller.paused = true;
    trainer.step(12);
    await until('iteration 12', () => progress.includes(12));
    from = web.events().length;
    web.send({ type: 'inspectStep', at: 'run' });
    const paused = await answered(web, 'step', from);
    assert.equal(paused.slot.source, 'Run 2 at iteration 12 (paused)');
    assert.deepEqual(controller.inspected, [{ parameters: true }, { detail: true }], 'the parameters to know the iteration, then the pass from the worker');
    assert.deepEqual(statsOf(paused.slot.value), await cliStats(labSpec('deep'), 12));
    trainer.resume();
    const end = await run.done;
    const plain = await trainer.run({ spec, specDir: path.dirname(labSpec('deep')) }).done;
    assert.deepEqual(end.costs, plain.costs, 'the run went on as if never inspected');
  });

  it('the graph and the gradient check: what `nnspec step --graph` and `nnspec gradcheck` print; the gradient check has its progress notification', async () => {
    const image = open('image');
    await attach();
    web.send({ type: 'showLogisticGraph', example: 5, at: 'initial' });
    const graph = await answered(web, 'graph');
    assert.deepEqual(graph.slot.value, JSON.parse((await runCli('step', labSpec('image'), '--graph', '--example', '5', '--json')).out));
    // the designer's button runs the command (progress notification, verdict notification)
    web.send({ type: 'checkGradients', at: 'initial' });
    await tick();
    assert.ok(stub.executed.includes('nnspec.checkGradients'));
    const service = (designer as any).lab.lab.service as LabService;
    const slot = await service.gradcheck(image as never, 'initial');
    const cli = JSON.parse((await runCli('gradcheck', labSpec('image'), '--json')).out);
    assert.equal(slot.value?.difference, cli.difference);
    assert.equal(slot.value?.verdict, cli.verdict);
  });

  it('the mislabelled test images of the current run, as images.ts finds them', async () => {
    const doc = open('image');
    await attach();
    const uri = doc.uri.toString();
    const spec = parseSpec(doc.getText()).spec;
    web.send({ type: 'requestMislabelled' });
    assert.match((await answered(web, 'mislabelled')).slot.error!, /has no run yet/);
    const done = await trainer.run({ spec, specDir: path.dirname(labSpec('image')) }).done;
    const { id } = controller.history.create(uri, 'interactive', spec, done.iterations);
    controller.history.apply(uri, { kind: 'started', id, start: { m: 60, features: 12, testM: 20 } });
    controller.history.apply(uri, { kind: 'ended', id, end: { cancelled: false, iterations: done.iterations, costs: done.costs, trainAccuracy: done.trainAccuracy, testAccuracy: done.testAccuracy, seconds: 0 } });
    controller.models.set(id, done.model);
    const from = web.events().length;
    web.send({ type: 'requestMislabelled' });
    const slot = await answered(web, 'mislabelled', from);
    const { test } = await loadSpecData(spec, path.dirname(labSpec('image')));
    const expected = mislabelled(spec, modelParameters(done.model), test!, 60);
    assert.deepEqual(slot.slot.value?.examples, expected.examples);
    assert.equal(slot.slot.value?.total, expected.total);
    assert.equal(slot.slot.value?.testM, 20);
  });

  it('a sweep from the designer: the runs and numbers of `nnspec sweep`, then a row’s settings written as one edit (one undo step)', async () => {
    const doc = open('deep');
    await attach();
    const axes = [{ key: 'layer1.units', values: ['2', '5'] }, { key: 'learning_rate', values: ['0.3', '1/10'] }];
    web.send({ type: 'runSweep', axes });
    const finished = await until('the sweep to finish', () => web.events().find((e) => e.kind === 'sweepFinished'));
    assert.equal(finished.kind === 'sweepFinished' && finished.stopped, false);
    const kinds = web.events().map((e) => (e.kind === 'sweepRun' ? `sweepRun ${e.event.kind}` : e.kind));
    assert.equal(kinds[0], 'sweepStarted');
    assert.equal(kinds.filter((k) => k === 'sweepRun ended').length, 4);
    assert.ok(kinds.includes('sweepRun progress'));
    assert.deepEqual(stub.progress, ['nnspec: sweep of deep.nnspec']);
    const sweep = store.state(doc.uri.toString()).sweep!;
    assert.deepEqual(sweep.runs.map((r) => r.settings), [
      { 'layer1.units': 2, learning_rate: 0.3 },
      { 'layer1.units': 2, learning_rate: 0.1 },
      { 'layer1.units': 5, learning_rate: 0.3 },
      { 'layer1.units': 5, learning_rate: 0.1 },
    ]);
    const cli = JSON.parse((await runCli('sweep', labSpec('deep'), '--vary', 'layer1.units=2,5', '--vary', 'learning_rate=0.3,1/10', '--json', '--workers', '1')).out);
    sweep.runs.forEach((r, i) => {
      assert.equal(sweepRunStatus(r), 'done');
      assert.equal(r.result!.finalCost, cli.runs[i].final_cost, `run ${i}: the CLI's final cost`);
      assert.equal(r.result!.trainAccuracy, cli.runs[i].train_accuracy);
      assert.equal(r.result!.testAccuracy, cli.runs[i].test_accuracy);
      assert.deepEqual(r.result!.trainMetrics, cli.runs[i].train_metrics);
      // the designer records more costs for its curves; where both recorded, the same cost
      const mine = new Map(r.run.costs);
      for (const [it, c] of cli.runs[i].costs) if (mine.has(it)) assert.equal(mine.get(it), c);
    });
    // choose a row: its settings in one edit
    const version = doc.version;
    web.send({ type: 'applySweepSettings', settings: { 'layer1.units': 5, learning_rate: 0.1 }, uri: doc.uri.toString(), version: sweep.version });
    await until('the edit', () => doc.version > version || undefined);
    await tick(30);
    assert.equal(doc.version, version + 1, 'one change: one undo step');
    assert.match(doc.getText(), /^dense 5 relu$/m);
    assert.match(doc.getText(), /^learning_rate 0\.1$/m);
    // another spec's sweep is not written into this one
    web.send({ type: 'applySweepSettings', settings: { 'layer1.units': 9 }, uri: 'file:///elsewhere.nnspec' });
    await tick();
    assert.equal(doc.version, version + 1);
    assert.ok(web.posted.some((e) => e.body?.type === 'notice' && /another spec/.test(String(e.body.message))));
  });

  it('a sweep is cancelled as a whole from its progress notification', async () => {
    const doc = open('deep', readFileSync(labSpec('deep'), 'utf8').replace('iterations 60', 'iterations 100000'));
    await attach();
    web.send({ type: 'runSweep', axes: [{ key: 'seed', values: ['1', '2', '3', '4'] }] });
    await until('a run under way', () => web.events().find((e) => e.kind === 'sweepRun' && e.event.kind === 'progress'));
    stub.cancelProgress!();
    const finished = await until('the sweep to stop', () => web.events().find((e) => e.kind === 'sweepFinished'), 20_000);
    assert.equal(finished.kind === 'sweepFinished' && finished.stopped, true);
    assert.ok(store.state(doc.uri.toString()).sweep!.runs.every((r) => sweepRunStatus(r) !== 'done'), 'no run of 100,000 iterations ended');
  });

  it('Restricted Mode refuses, malformed lab messages are dropped, and a spec with errors is not swept', async () => {
    const doc = open('deep');
    await attach();
    refused = 'nnspec: The lab reads data files, so it is off in Restricted Mode.';
    web.send({ type: 'inspectStep', at: 'initial' });
    const slot = await answered(web, 'step');
    assert.equal(slot.slot.error, refused);
    refused = undefined;
    const before = web.posted.length;
    for (const body of [{ type: 'inspectStep', at: 'yesterday' }, { type: 'runSweep', axes: [{ key: 'momentum', values: ['1'] }] }, { type: 'decodedImage', pixels: [999] }, { type: 'pickImage', path: '/etc/passwd' }]) web.send(body);
    await tick(50);
    assert.equal(web.posted.length, before, 'nothing happens');
    stub.type(doc, doc.getText().replace('dense 5 relu', 'dense 5 relux'));
    web.send({ type: 'runSweep', axes: [{ key: 'seed', values: ['1', '2'] }] });
    await until('the refusal', () => stub.shown.find((m) => /fix the 1 error in deep\.nnspec before a sweep/.test(m)));
    assert.equal(store.state(doc.uri.toString()).sweep, undefined);
  });
});

describe('the training report of a fresh run', () => {
  it('shows the confusion matrices and precision / recall / F1, as `nnspec train --json` has them', async () => {
    const spec = parseSpec(readFileSync(labSpec('deep'), 'utf8')).spec;
    const done = await trainer.run({ spec, specDir: path.dirname(labSpec('deep')) }).done;
    // as ModelStore.save builds it after a run
    const md = reportMarkdown(reportFromModel(done.model, '/w/deep.model.json', labSpec('deep')));
    const cli = JSON.parse((await runCli('train', labSpec('deep'), '--json')).out);
    assert.match(md, /## Metrics/);
    assert.match(md, new RegExp(`\\| True positives \\(TP\\) \\| ${cli.train_metrics.tp} \\| ${cli.test_metrics.tp} \\|`));
    assert.match(md, new RegExp(`\\| Precision TP / \\(TP \\+ FP\\) \\| ${cli.train_metrics.precision.toFixed(4)} \\| ${cli.test_metrics.precision.toFixed(4)} \\|`));
    assert.match(md, new RegExp(`\\| F1 2TP / \\(2TP \\+ FP \\+ FN\\) \\| ${cli.train_metrics.f1.toFixed(4)} \\|`));
  });
});

describe('the lab’s commands', () => {
  it('Run Sweep’s quick pick: every setting this spec has, with its value now; the input box checks the values as --vary does', () => {
    const items = sweepKeyItems(parseSpec('input 2\ndense 4 tanh\ndense 1 sigmoid\ninit random 0.01\nlearning_rate 1.2\n'));
    assert.deepEqual(
      items.map((i) => [i.key, i.current]),
      [
        ['layer1.units', '4'],
        ['layer1.activation', 'tanh'],
        ['layer2.units', '1'],
        ['layer2.activation', 'sigmoid'],
        ['learning_rate', '1.2'],
        ['iterations', '2500'],
        ['init', 'random 0.01'],
        ['seed', '1'],
      ],
    );
    assert.equal(items[0].description, '4 now');
    assert.equal(valuesProblem('layer1.units', '1,2,3,4,5,20,50'), undefined);
    assert.equal(valuesProblem('init', 'random 0.01,he'), undefined);
    assert.match(valuesProblem('layer1.units', '1,,3')!, /a value is empty/);
    assert.match(valuesProblem('layer1.activation', 'tanh,softmax')!, /'softmax' is not an activation/);
    assert.match(valuesProblem('seed', Array.from({ length: 101 }, (_, i) => i).join(','), 10)!, /1010 runs: a sweep may have at most 1000/);
  });

  it('Predict an Image takes PNG and JPEG by their first bytes; the gradient check’s verdict in one line', () => {
    assert.equal(pictureMime(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'image/png');
    assert.equal(pictureMime(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
    assert.equal(pictureMime(Buffer.from('GIF89a')), undefined);
    assert.equal(pictureMime(Buffer.from('<svg')), undefined);
    const r = { difference: 1.234e-9, passed: true, verdict: 'passed' as const, epsilon: 1e-7, iteration: 0, examples: 48, m: 48, parameters: 42, checked: 42, layers: [{ layer: 1, difference: 2e-9, parameters: 20, checked: 20, gradientNorm: 1, approxNorm: 1 }] };
    assert.equal(gradcheckSummary(r), 'passed: difference 1.23e-9 (layer 1 2.00e-9) at iteration 0, 42 of 42 parameters on 48 examples');
  });

  it('Predict an Image: the picture the webview decoded, scaled as the data, through the current run’s network', async () => {
    stub.reset();
    const text = readFileSync(labSpec('image'), 'utf8');
    const doc = stub.openDocument(labSpec('image'), text);
    const spec = parseSpec(text).spec;
    const controller = fakeController();
    const store = new LabStore();
    const analysis = new AnalysisService(undefined, 5);
    const service = new LabService({ store, controller: controller as never, analysis, client: labClient, limits: () => ({}), refused: () => undefined });
    const done = await trainer.run({ spec, specDir: path.dirname(labSpec('image')) }).done;
    const { id } = controller.history.create(doc.uri.toString(), 'interactive', spec, done.iterations);
    controller.history.apply(doc.uri.toString(), { kind: 'ended', id, end: { cancelled: false, iterations: done.iterations, costs: done.costs, trainAccuracy: done.trainAccuracy, testAccuracy: done.testAccuracy, seconds: 0 } });
    controller.models.set(id, done.model);
    // test example 6 of the fixture, as bytes (the CSV's first 12 values a row)
    const row = readFileSync(path.join(path.dirname(labSpec('image')), 'pixels-test.csv'), 'utf8').trim().split('\n')[6].split(',').slice(0, 12).map(Number);
    const asked: unknown[] = [];
    const slot = await service.predict(doc as never, 'six.png', async (size) => {
      asked.push(size);
      return { ...size, pixels: row };
    });
    assert.deepEqual(asked, [{ height: 2, width: 2, channels: 3 }], 'the input’s size');
    assert.equal(slot.status, 'done', slot.error);
    assert.deepEqual({ probability: slot.value!.probability, label: slot.value!.label }, predictImage(done.model, row));
    assert.equal(slot.source, 'Run 1 (trained, 150 iterations)');
    // a picture that came back the wrong size is refused, not predicted
    const wrong = await service.predict(doc as never, 'x.png', async () => ({ width: 1, height: 1, channels: 3, pixels: [1, 2, 3] }));
    assert.match(wrong.error!, /came back 1×1×3, not 2×2×3/);
    // a spec that is not about pictures
    const deep = stub.openDocument(labSpec('deep'), readFileSync(labSpec('deep'), 'utf8'));
    const deepSpec = parseSpec(deep.getText()).spec;
    const d = controller.history.create(deep.uri.toString(), 'interactive', deepSpec, 1);
    controller.history.apply(deep.uri.toString(), { kind: 'ended', id: d.id, end: { cancelled: false, iterations: 1, costs: [], trainAccuracy: 0, testAccuracy: null, seconds: 0 } });
    controller.models.set(d.id, { ...done.model, spec: deepSpec });
    const notImage = await service.predict(deep as never, 'x.png', async () => assert.fail('not asked'));
    assert.match(notImage.error!, /for image data: an `input HxWxC` spec/);
    analysis.dispose();
    stub.reset();
  });
});
