// The pictures, data side (src/lab/images.ts): the mislabelled test images against NumPy
// (scripts/lab_fixtures.py), predictImage on pixels in the data set's layout, the browser's RGBA
// to that layout (rgbaToPixels), and the lab's webview messages as the host validates them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { imageLayout, mislabelled, predictImage } from '../../../src/lab/images';
import { parseSpec } from '../../../src/language';
import { isLabToHost } from '../../../src/shared/wire/labMessages';
import { MAX_SWEEP_RUNS } from '../../../src/shared/model/labState';
import { rgbaToPixels } from '../../../src/shared/model/images';
import { matrix } from '../../../src/trainer/kernels';
import { loadModelData, modelParameters, parseSavedModel } from '../../../src/trainer/savedModel';
import { runCli as run, tempSpecs } from '../harness/cliHarness';
import { assertClose, fixtures, LAB, labSpec } from '../harness/labHarness';

const { dir } = tempSpecs('nnspec-lab-images-');
const c = fixtures.cases.image;

/** The test set's pixel rows as written in the CSV (before scale=1/255). */
const testRows = readFileSync(path.join(LAB, 'pixels-test.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',').map(Number));

async function trainedModel() {
  const out = path.join(dir, 'image.model.json');
  const r = await run('train', labSpec('image'), '--out', out);
  assert.equal(r.code, 0, r.err);
  const model = parseSavedModel(readFileSync(out, 'utf8'));
  const { test } = await loadModelData(model);
  return { model, test: test! };
}

describe('the mislabelled test images, against NumPy', () => {
  it('the same examples, labels and probabilities; the pixels as they were before scaling', async () => {
    const { model, test } = await trainedModel();
    const got = mislabelled(model.spec, modelParameters(model), test);
    assert.deepEqual(got.layout, { height: 2, width: 2, channels: 3, scale: 1 / 255 });
    assert.equal(got.total, c.mislabelled.length);
    assert.deepEqual(
      got.examples.map((e) => [e.index, e.label]),
      c.mislabelled.map((e: { index: number; label: number }) => [e.index, e.label]),
    );
    got.examples.forEach((e, k) => {
      assertClose(e.probability, c.mislabelled[k].probability, `probability of example ${e.index}`);
      assert.deepEqual(e.pixels, testRows[e.index].slice(0, 12));
      assert.ok(e.pixels.every(Number.isInteger));
    });
    // the test accuracy is what the rest are
    assert.equal(1 - got.total / test.X.cols, model.testAccuracy);
  });

  it('unscaling gives whole pixels back where the scale leaves a last-bit error (3 · 0.1 / 0.1)', () => {
    const { spec } = parseSpec('input 1x1x1\ndense 1 sigmoid\ndata train "p.csv" scale=0.1\n');
    const X = matrix(1, 2, Float64Array.from([3 * 0.1, 0.25 * 0.1]));
    const Y = matrix(1, 2, Float64Array.from([0, 0]));
    // W = 1, b = 0: both predict above 0.5, so both are wrong
    const params = [{ W: matrix(1, 1, Float64Array.from([1])), b: matrix(1, 1) }];
    const got = mislabelled(spec, params, { X, Y });
    assert.notEqual((3 * 0.1) / 0.1, 3);
    assert.deepEqual(
      got.examples.map((e) => e.pixels),
      [[3], [0.25 * 0.1 / 0.1]],
    );
  });

  it('at most `limit` examples, with the total', async () => {
    const { model, test } = await trainedModel();
    const got = mislabelled(model.spec, modelParameters(model), test, 3);
    assert.equal(got.examples.length, 3);
    assert.equal(got.total, c.mislabelled.length);
  });
});

describe('predictImage', () => {
  it('pixels in the data set\'s layout, scaled as the loader scales them: the network\'s probability for that example', async () => {
    const { model, test } = await trainedModel();
    const wrong = new Map(mislabelled(model.spec, modelParameters(model), test).examples.map((e) => [e.index, e.probability]));
    testRows.forEach((row, j) => {
      const p = predictImage(model, row.slice(0, 12));
      assertClose(p.probability, c.test_probabilities[j], `example ${j}`);
      assert.equal(p.label, p.probability > 0.5 ? 1 : 0);
      if (wrong.has(j)) assert.equal(p.probability, wrong.get(j));
    });
  });

  it('a picture the browser decoded (RGBA, already 2×2): the same prediction as its pixels', async () => {
    const { model } = await trainedModel();
    const row = testRows[6].slice(0, 12);
    const rgba: number[] = [];
    for (let p = 0; p < 4; p++) rgba.push(row[3 * p], row[3 * p + 1], row[3 * p + 2], 255);
    assert.deepEqual(rgbaToPixels(rgba, 2, 2, 3), row);
    assert.deepEqual(predictImage(model, rgbaToPixels(rgba, 2, 2, 3)), predictImage(model, row));
  });

  it('a picture of the wrong size says what the input is', async () => {
    const { model } = await trainedModel();
    assert.throws(() => predictImage(model, new Array(11).fill(0)), /The network's input is 2×2×3 = 12 values, but the picture has 11\./);
    assert.throws(() => predictImage(model, [...new Array(11).fill(0), NaN]), /Pixel 11 is NaN/);
  });
});

describe('image layouts and RGBA', () => {
  it('input HxWxC is an image; HxW has one channel; a plain n is not', () => {
    const layout = (text: string) => imageLayout(parseSpec(text).spec);
    assert.deepEqual(layout('input 64x64x3\ndata train "a.h5" x=x y=y scale=1/255\n'), { height: 64, width: 64, channels: 3, scale: 1 / 255 });
    assert.deepEqual(layout('input 28x28\n'), { height: 28, width: 28, channels: 1, scale: 1 });
    assert.equal(layout('input 12\n'), undefined);
  });

  it('rgbaToPixels: RGB drops alpha, RGBA keeps it, grey is the BT.601 luma; rows first, channels last', () => {
    const rgba = [10, 20, 30, 255, 40, 50, 60, 128];
    assert.deepEqual(rgbaToPixels(rgba, 2, 1, 3), [10, 20, 30, 40, 50, 60]);
    assert.deepEqual(rgbaToPixels(rgba, 2, 1, 4), rgba);
    assert.deepEqual(rgbaToPixels(rgba, 2, 1, 1), [0.299 * 10 + 0.587 * 20 + 0.114 * 30, 0.299 * 40 + 0.587 * 50 + 0.114 * 60]);
    assert.throws(() => rgbaToPixels(rgba, 3, 1, 3), /8 bytes are not a 3×1 RGBA image/);
    assert.throws(() => rgbaToPixels(rgba, 2, 1, 2), /2 channels/);
  });
});

describe('lab messages from the webview (isLabToHost)', () => {
  it('accepts the well-formed ones', () => {
    for (const msg of [
      { type: 'runSweep', axes: [{ key: 'layer1.units', values: ['1', '2'] }, { key: 'init', values: ['random 0.01', 'he'] }] },
      { type: 'cancelSweep' },
      { type: 'applySweepSettings', settings: { 'layer1.units': 4, init: 'he' }, uri: 'file:///a.nnspec', version: 3 },
      { type: 'runSweep' },
      { type: 'inspectStep', at: 'initial' },
      { type: 'inspectStep', at: 'run' },
      { type: 'checkGradients' },
      { type: 'checkGradients', at: 'run' },
      { type: 'showLogisticGraph', example: 4, at: 'initial' },
      { type: 'requestMislabelled' },
      { type: 'pickImage' },
      { type: 'openToSide' },
      { type: 'decodedImage', width: 2, height: 1, channels: 3, pixels: [0, 1, 2, 255, 254, 3] },
      { type: 'decodedImage', error: 'it is not a picture the browser can decode' },
    ]) {
      assert.ok(isLabToHost(msg), JSON.stringify(msg));
    }
  });

  it('rejects unknown types, extra keys, bad keys and values, oversized grids and pictures', () => {
    const many = Array.from({ length: 40 }, (_, i) => String(i));
    for (const msg of [
      null,
      'runSweep',
      { type: 'runSweep', axes: [] },
      { type: 'runSweep', axes: [{ key: 'momentum', values: ['1'] }] },
      { type: 'runSweep', axes: [{ key: 'layer0.units', values: ['1'] }] },
      { type: 'runSweep', axes: [{ key: 'seed', values: [] }] },
      { type: 'runSweep', axes: [{ key: 'seed', values: [1] }] },
      { type: 'runSweep', axes: [{ key: 'seed', values: ['1'] }, { key: 'seed', values: ['2'] }] },
      { type: 'runSweep', axes: [{ key: 'seed', values: many }, { key: 'iterations', values: many }] },
      { type: 'runSweep', axes: [{ key: 'seed', values: ['1'], extra: 1 }] },
      { type: 'cancelSweep', now: true },
      { type: 'applySweepSettings', settings: {} },
      { type: 'applySweepSettings', settings: JSON.parse('{"__proto__": {"x": 1}, "seed": 1}') },
      { type: 'applySweepSettings', settings: { seed: Infinity } },
      { type: 'inspectStep', iteration: -1 },
      { type: 'inspectStep', iteration: 1 },
      { type: 'inspectStep', at: 'later' },
      { type: 'checkGradients', at: 3 },
      { type: 'showLogisticGraph', example: 4 },
      { type: 'showLogisticGraph', example: -1, at: 'initial' },
      { type: 'pickImage', path: '/etc/passwd' },
      { type: 'decodedImage', width: 2, height: 1, channels: 3, pixels: [0, 1, 2] },
      { type: 'decodedImage', width: 1, height: 1, channels: 3, pixels: [0, 1, 256] },
      { type: 'decodedImage', width: 1, height: 1, channels: 5, pixels: [0, 1, 2, 3, 4] },
      { type: 'decodedImage', width: 5000, height: 1, channels: 1, pixels: [] },
      { type: 'decodedImage', error: 'x', pixels: [1] },
      { type: 'train' },
    ]) {
      assert.equal(isLabToHost(msg), false, JSON.stringify(msg));
    }
    assert.equal(MAX_SWEEP_RUNS, 1000);
  });
});
