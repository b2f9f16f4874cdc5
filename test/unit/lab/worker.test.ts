// What the extension asks the workers for the lab, against the CLI (the same functions, so the
// same numbers): the training worker's `inspect` of a paused run (the step inspector's pass on
// the run's own network) equals `nnspec step --iteration N`, and does not disturb the run (its
// costs and parameters after a resume are those of a run never inspected); the lab worker
// (src/lab/labWorker.ts through LabClient) answers the step at iteration 0, the graph and the
// gradient check as `nnspec step`, `step --graph` and `gradcheck` print them, and the mislabelled
// images as src/lab/images.ts finds them; and the data cache the workers use.

import assert from 'node:assert/strict';
import { utimesSync, writeFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { after, describe, it } from 'node:test';
import { LabClient, LabError } from '../../../src/lab/labClient';
import { mislabelled } from '../../../src/lab/images';
import { parseSpec } from '../../../src/language';
import type { RunProgress } from '../../../src/shared/model/runs';
import type { SavedModel } from '../../../src/shared/model/results';
import { clearDataCache, loadSpecData } from '../../../src/trainer/datasets';
import { modelParameters } from '../../../src/trainer/savedModel';
import { TrainerClient } from '../../../src/trainer/trainerClient';
import { runCli, tempSpecs } from '../harness/cliHarness';
import { LAB, labSpec } from '../harness/labHarness';

const ROOT = path.join(__dirname, '..', '..', '..');
const TSX = require.resolve('tsx/cjs');
const tsWorker = (file: string): Worker => new Worker(`require(${JSON.stringify(TSX)}); require(${JSON.stringify(file)});`, { eval: true });
const TRAIN_WORKER = path.join(ROOT, 'src', 'trainer', 'trainWorker.ts');
const LAB_WORKER = path.join(ROOT, 'src', 'lab', 'labWorker.ts');

const clients: { dispose(): void }[] = [];
after(() => clients.forEach((c) => c.dispose()));
function trainer(): TrainerClient {
  const c = new TrainerClient(TRAIN_WORKER, { createWorker: tsWorker });
  clients.push(c);
  return c;
}
const lab = new LabClient(LAB_WORKER, { createWorker: (f) => tsWorker(f) });
clients.push(lab);

const specOf = (name: string) => parseSpec(readFileSync(labSpec(name), 'utf8')).spec;

/** The progress a run reports, and a wait for the first that matches. */
function progressLog() {
  const seen: RunProgress[] = [];
  const waiting: { match: (p: RunProgress) => boolean; resolve: (p: RunProgress) => void }[] = [];
  return {
    onProgress(p: RunProgress): void {
      seen.push(p);
      for (const w of waiting.splice(0)) {
        if (w.match(p)) w.resolve(p);
        else waiting.push(w);
      }
    },
    next(match: (p: RunProgress) => boolean): Promise<RunProgress> {
      const hit = seen.find(match);
      return hit ? Promise.resolve(hit) : new Promise((resolve) => waiting.push({ match, resolve }));
    },
  };
}

/** `nnspec step FILE --iteration N --json`, parsed. */
async function cliStep(file: string, iteration: number): Promise<any> {
  const { code, out, err } = await runCli('step', file, '--iteration', String(iteration), '--json');
  assert.equal(code, 0, err);
  return JSON.parse(out);
}

/** The detail's statistics in the CLI's JSON shape. */
function asStepJson(detail: any): any {
  return {
    iteration: detail.iteration,
    cost: detail.cost,
    m: detail.m,
    layers: detail.layers.map((l: any) => {
      const out: any = { layer: l.layer, activation: l.activation };
      for (const q of ['Z', 'A', 'dA', 'dZ', 'dW', 'db', 'W', 'b']) {
        const { shape, min, max, mean, norm } = l.quantities[q];
        out[q] = { shape, min, max, mean, norm };
      }
      return out;
    }),
  };
}

describe('the training worker inspects a paused run', () => {
  it('its pass at iteration N is `nnspec step --iteration N`, and the run goes on as if never inspected', async () => {
    const spec = specOf('deep');
    const options = { spec, specDir: LAB, recordEvery: 1 };
    // a run never inspected, recording every cost
    const plain = await trainer().run(options).done;

    const client = trainer();
    const log = progressLog();
    // recording every 10th cost: the cost of iteration 24 is computed only when asked for, from
    // the output of its step, which the inspector's pass overwrites
    const { done } = client.run({ ...options, recordEvery: 10, paused: true }, { onEvent: (e) => e.kind === 'progress' && log.onProgress(e.progress) });
    client.step(25);
    await log.next((p) => p.iteration === 25 && p.paused);
    const inspected = await client.inspect({ detail: true, parameters: true });
    assert.equal(inspected.iteration, 25);
    assert.deepEqual(asStepJson(inspected.detail), await cliStep(labSpec('deep'), 25), 'the CLI prints the same numbers');
    assert.equal(inspected.detail!.layers[0].quantities.Z.formula, 'Z[1] = W[1] A[0] + b[1]');
    assert.equal(inspected.parameters!.length, 3);

    // pausing again reports the last cost: iteration 24's, not one computed from the inspector's pass
    client.pause();
    const again = await log.next((p) => p.iteration === 25 && p.last?.[0] === 24);
    assert.deepEqual(again.last, plain.costs[24]);
    client.resume();
    const end = await done;
    assert.deepEqual(end.costs, plain.costs.filter(([i]) => i % 10 === 0 || i === 59), 'every cost as in the run never inspected');
    assert.deepEqual(end.model.parameters, plain.model.parameters, 'the same trained parameters');
    assert.deepEqual(end.trainMetrics, plain.model.trainMetrics, 'the run end carries the metrics');
    assert.ok(end.trainMetrics && end.testMetrics, 'train and test metrics');
  });

  it('refuses when no run is under way', async () => {
    await assert.rejects(trainer().inspect({ detail: true }), /No run is under way/);
  });
});

describe('the lab worker answers as the CLI prints', () => {
  it('the step inspector at iteration 0: `nnspec step --json`', async () => {
    const { detail } = await lab.ask({ type: 'step', spec: specOf('deep'), specDir: LAB, at: { kind: 'initial' } });
    assert.deepEqual(asStepJson(detail), await cliStep(labSpec('deep'), 0));
    assert.equal(detail.costFormula, 'J = −(1/m) Σ [Y log A[L] + (1 − Y) log(1 − A[L])]');
  });

  it('the step at a trained model’s parameters: `nnspec step --iteration N`', async () => {
    const done = await trainer().run({ spec: specOf('deep'), specDir: LAB, maxIterations: 7 }).done;
    const { detail } = await lab.ask({ type: 'step', spec: specOf('deep'), specDir: LAB, at: { kind: 'given', iteration: 7, parameters: done.model.parameters } });
    assert.deepEqual(asStepJson(detail), await cliStep(labSpec('deep'), 7));
  });

  it('the computation graph: `nnspec step --graph --example K --json`', async () => {
    const { graph } = await lab.ask({ type: 'graph', spec: specOf('image'), specDir: LAB, example: 3, at: { kind: 'initial' } });
    const { out } = await runCli('step', labSpec('image'), '--graph', '--example', '3', '--json');
    assert.deepEqual(graph, JSON.parse(out));
    await assert.rejects(lab.ask({ type: 'graph', spec: specOf('image'), specDir: LAB, example: 1000, at: { kind: 'initial' } }), (e: unknown) => {
      assert.ok(e instanceof LabError);
      assert.match(e.message, /There is no example 1000: the training set has examples 0 to \d+\./);
      return true;
    });
    await assert.rejects(lab.ask({ type: 'graph', spec: specOf('deep'), specDir: LAB, example: 0, at: { kind: 'initial' } }), /one `dense 1 sigmoid` layer/);
  });

  it('the gradient check: `nnspec gradcheck --json`', async () => {
    const { result } = await lab.ask({ type: 'gradcheck', spec: specOf('deep'), specDir: LAB, at: { kind: 'initial' } });
    const { out } = await runCli('gradcheck', labSpec('deep'), '--json');
    const cli = JSON.parse(out);
    assert.equal(result.difference, cli.difference);
    assert.equal(result.verdict, cli.verdict);
    assert.deepEqual(
      result.layers.map((l) => [l.layer, l.difference, l.checked]),
      cli.layers.map((l: any) => [l.layer, l.difference, l.checked]),
    );
  });

  it('too big a gradient check and missing data are clear errors', async () => {
    const wide = parseSpec('input 2x2x3\ndense 3000 relu\ndense 3000 relu\ndense 1 sigmoid\ndata train "pixels.csv" scale=1/255\n').spec;
    await assert.rejects(lab.ask({ type: 'gradcheck', spec: wide, specDir: LAB, at: { kind: 'initial' } }), /A gradient check of this network on \d+ examples would take about .* multiply-adds even for 10 parameters a layer/);
    const missing = parseSpec('input 3\ndense 1 sigmoid\ndata train "nowhere.csv"\n').spec;
    await assert.rejects(lab.ask({ type: 'gradcheck', spec: missing, specDir: LAB, at: { kind: 'initial' } }), /Data file 'nowhere\.csv' not found/);
    const none = parseSpec('input 3\ndense 1 sigmoid\n').spec;
    await assert.rejects(lab.ask({ type: 'gradcheck', spec: none, specDir: LAB, at: { kind: 'initial' } }), /no training data/);
  });

  it('the mislabelled test images of a trained model, as images.ts finds them', async () => {
    const spec = specOf('image');
    const done = await trainer().run({ spec, specDir: LAB }).done;
    const answer = await lab.ask({ type: 'mislabelled', spec, specDir: LAB, limit: 100, at: { kind: 'given', iteration: done.iterations, parameters: done.model.parameters } });
    const { test } = await loadSpecData(spec, LAB);
    const expected = mislabelled(spec, modelParameters(done.model as SavedModel), test!);
    assert.deepEqual(answer.examples, expected.examples);
    assert.equal(answer.total, expected.total);
    assert.ok(answer.total > 0, 'the fixture has mistakes to show');
    assert.deepEqual(answer.layout, { height: 2, width: 2, channels: 3, scale: 1 / 255 });
    await assert.rejects(lab.ask({ type: 'mislabelled', spec: specOf('deep'), specDir: LAB, limit: 10, at: { kind: 'initial' } }), /for image data/);
  });

  it('parameters that no longer fit the spec are refused', async () => {
    await assert.rejects(
      lab.ask({ type: 'step', spec: specOf('deep'), specDir: LAB, at: { kind: 'given', iteration: 1, parameters: [{ W: [[1, 2, 3]], b: [0] }] } }),
      /for 1 layers, but the spec has 3/,
    );
  });
});

describe('the data cache of the workers', () => {
  const { dir, spec: write } = tempSpecs('nnspec-data-cache-');
  it('gives the same data set again while the file is unchanged, and reads it again when it changes', async () => {
    clearDataCache();
    const csv = readFileSync(path.join(LAB, 'points.csv'), 'utf8');
    write('points.csv', csv);
    const spec = parseSpec('input 3\ndense 1 sigmoid\ndata train "points.csv"\n').spec;
    const a = await loadSpecData(spec, dir, { cache: true });
    const b = await loadSpecData(spec, dir, { cache: true });
    assert.equal(a.train, b.train, 'the cached data set');
    const c = await loadSpecData(spec, dir);
    assert.notEqual(c.train, a.train, 'not without cache: true');
    assert.deepEqual(c.train, a.train);
    // the file changes (same size, later mtime): read again
    writeFileSync(path.join(dir, 'points.csv'), csv);
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(dir, 'points.csv'), later, later);
    const d = await loadSpecData(spec, dir, { cache: true });
    assert.notEqual(d.train, a.train);
    assert.deepEqual(d.train, a.train);
  });
});
