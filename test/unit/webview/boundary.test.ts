// The decision boundary's orientation: the worker's snapshot grid and the webview's pixels
// agree that row 0 is the top of the picture (the highest x2), column 0 the left (lowest x1).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../../../src/trainer/kernels';
import { TrainingRun } from '../../../src/trainer/run';
import { parseSpec } from '../../../src/language';
import { gridPixels, type Palette } from '../../../webview/boundary';

const palette: Palette = {
  negative: [255, 0, 0],
  positive: [0, 0, 255],
  background: [255, 255, 255],
  foreground: [0, 0, 0],
};

/** A logistic unit a = sigmoid(wx1·x1 + wx2·x2) over points spread on [-1, 1]². */
function snapshotOf(wx1: number, wx2: number) {
  const spec = parseSpec('input 2\ndense 1 sigmoid\n').spec;
  const X = matrix(2, 4, Float64Array.from([-1, 1, -1, 1, -1, -1, 1, 1]));
  const Y = matrix(1, 4, Float64Array.from([0, 0, 1, 1]));
  const run = new TrainingRun(spec, { X, Y });
  run.params[0].W.data.set([wx1, wx2]);
  run.params[0].b.data.fill(0);
  const snap = run.snapshot(8);
  assert.ok(snap);
  return snap;
}

/** The colour of pixel (row, col) of the output picture. */
function pixel(wx1: number, wx2: number, row: number, col: number): number[] {
  const { output } = snapshotOf(wx1, wx2);
  const data = gridPixels(output, (v) => 2 * v - 1, palette);
  const o = (row * output.size + col) * 4;
  return Array.from(data.subarray(o, o + 3));
}

describe('decision boundary orientation', () => {
  it('draws high x2 at the top: an output that grows with x2 is positive at the top, negative at the bottom', () => {
    const top = pixel(0, 8, 0, 3);
    const bottom = pixel(0, 8, 7, 3);
    assert.ok(top[2] > 200 && top[0] < 60, `top pixel ${top} is the positive colour`);
    assert.ok(bottom[0] > 200 && bottom[2] < 60, `bottom pixel ${bottom} is the negative colour`);
  });

  it('draws high x1 on the right', () => {
    const left = pixel(8, 0, 3, 0);
    const right = pixel(8, 0, 3, 7);
    assert.ok(right[2] > 200 && right[0] < 60, `right pixel ${right} is the positive colour`);
    assert.ok(left[0] > 200 && left[2] < 60, `left pixel ${left} is the negative colour`);
  });

  it('covers the data with a margin and puts values at cell centres', () => {
    const { output } = snapshotOf(0, 8);
    assert.ok(output.x1[0] < -1 && output.x1[1] > 1);
    assert.ok(output.x2[0] < -1 && output.x2[1] > 1);
    assert.equal(output.values.length, 64);
  });
});
