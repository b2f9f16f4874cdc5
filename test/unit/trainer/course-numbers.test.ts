// The course's published results, reproduced by training the examples in full on the course's
// data (examples/data), on the kernels a run uses (WebAssembly SIMD on two threads): the costs
// the notebooks print (to the digits they print, or to 1e-9 where they print full precision) and
// the accuracies. About half a minute on a quiet 2-core machine.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseSpec } from '../../../src/language';
import { loadDataset } from '../../../src/trainer/datasets';
import { TrainingRun } from '../../../src/trainer/run';

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');

async function train(name: string): Promise<{ costs: Map<number, number>; train: number; test: number | null; kernels: string }> {
  const file = path.join(EXAMPLES, `${name}.nnspec`);
  const { spec } = parseSpec(readFileSync(file, 'utf8'));
  const trainSet = await loadDataset(spec.train!, EXAMPLES);
  const testSet = spec.test ? await loadDataset(spec.test, EXAMPLES) : undefined;
  const { run } = await TrainingRun.start(spec, trainSet, testSet, { recordEvery: 100 });
  try {
    while (!run.done) run.step();
    return { costs: new Map(run.costs), train: run.trainAccuracy(), test: run.testAccuracy(), kernels: run.kernels };
  } finally {
    run.dispose();
  }
}

/** `printed` as the notebook prints it: the cost rounds to it at that many decimals, or equals it to 1e-9 relative. */
function assertCost(costs: Map<number, number>, iteration: number, printed: string): void {
  const cost = costs.get(iteration);
  assert.ok(cost !== undefined, `no cost recorded at iteration ${iteration}`);
  const decimals = printed.split('.')[1].length;
  if (decimals >= 12) {
    const expected = Number(printed);
    assert.ok(Math.abs(cost - expected) <= 1e-9 * expected, `iteration ${iteration}: ${cost} vs the course's ${printed}`);
  } else {
    assert.equal(cost.toFixed(decimals), printed, `iteration ${iteration}: ${cost} vs the course's ${printed}`);
  }
}

describe("the course's published numbers", () => {
  it('logistic regression on the cat images: cost 0.693147 → 0.584508 at 100; train 99.04 %, test 70 %', async () => {
    const r = await train('logistic-regression');
    assert.match(r.kernels, /^WebAssembly SIMD/);
    assertCost(r.costs, 0, '0.693147');
    assertCost(r.costs, 100, '0.584508');
    assert.equal((r.train * 100).toFixed(2), '99.04');
    assert.equal(r.test, 0.7);
  });

  it('planar data, 4 tanh units: the cost every 1000 iterations to 7000; train 90.75 %', async () => {
    const r = await train('planar');
    const printed: [number, string][] = [
      [0, '0.693048'],
      [1000, '0.288083'],
      [2000, '0.254385'],
      [3000, '0.233864'],
      [4000, '0.226792'],
      [5000, '0.222644'],
      [6000, '0.219731'],
      [7000, '0.217504'],
    ];
    for (const [i, c] of printed) assertCost(r.costs, i, c);
    assert.equal((r.train * 100).toFixed(2), '90.75');
  });

  it('the 2-layer cat net: 0.6930497356599888 → 0.6464320953428849 → 0.048554785628770206; train 100 %, test 72 %', async () => {
    const r = await train('cat-2layer');
    assertCost(r.costs, 0, '0.6930497356599888');
    assertCost(r.costs, 100, '0.6464320953428849');
    assertCost(r.costs, 2400, '0.048554785628770206');
    assert.equal(r.train, 1);
    assert.equal(r.test, 0.72);
  });

  it('the 4-layer cat net: 0.771749 → 0.672053 → … → 0.092878; train 98.56 %, test 80 %', async () => {
    const r = await train('cat-4layer');
    assertCost(r.costs, 0, '0.771749');
    assertCost(r.costs, 100, '0.672053');
    assertCost(r.costs, 2400, '0.092878');
    assert.equal((r.train * 100).toFixed(2), '98.56');
    assert.equal(r.test, 0.8);
  });
});
