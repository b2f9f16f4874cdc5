import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costPoints, drawKey, type CostDataset } from '../../../webview/costLines';
import { appendCosts, type CostPoint } from '../../../src/shared/model/runs';

function dataset(costs: CostPoint[], extra: Partial<CostDataset> = {}): CostDataset {
  return { label: 'run 1', data: costPoints(costs, false), borderColor: '#3794ff', borderWidth: 2, borderDash: [], ...extra };
}

test('drawKey: progress without a new cost keeps the key, so the chart is not drawn again', () => {
  let costs = appendCosts([], [[0, 0.69], [100, 0.52]]);
  const before = drawKey([dataset(costs)], false, true);
  // the webview gets a new array with the same points on every progress message
  costs = appendCosts(costs, []);
  assert.equal(drawKey([dataset(costs)], false, true), before);
});

test('drawKey: a new cost, a replaced last cost, thinning, a style or axis change each change the key', () => {
  const costs = appendCosts([], [[0, 0.69], [100, 0.52]]);
  const key = drawKey([dataset(costs)], false, true);
  const keys = [
    drawKey([dataset(appendCosts(costs, [[200, 0.4]]))], false, true),
    drawKey([dataset(appendCosts(costs, [[100, 0.5]]))], false, true),
    drawKey([dataset(costs, { borderWidth: 1.25, borderDash: [5, 3] })], false, true),
    drawKey([dataset(costs, { label: 'run 1 (stopped)' })], false, true),
    drawKey([dataset(costs)], true, true),
    drawKey([dataset(costs)], false, true, '#ffffff'),
    drawKey([dataset(costs), dataset([], { label: 'run 2' })], false, true),
  ];
  for (const k of keys) assert.notEqual(k, key);
  assert.equal(new Set(keys).size, keys.length);
  // thinning (over MAX_COST_POINTS) changes the count
  const many: CostPoint[] = Array.from({ length: 2000 }, (_, i) => [i, 1 / (i + 1)]);
  const full = appendCosts([], many);
  assert.notEqual(drawKey([dataset(appendCosts(full, [[2000, 0.0004]]))], false, true), drawKey([dataset(full)], false, true));
});
