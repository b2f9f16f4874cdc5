// Saved models (parseSavedModel and evaluating one), the element-wise kernels that moved into
// kernels.ts, and cancellation inside an iteration.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpec } from '../../../src/language';
import type { SavedModel } from '../../../src/shared/model/results';
import { loadDataset } from '../../../src/trainer/datasets';
import { exp as expOf, tanh as tanhOf } from '../../../src/trainer/elementary';
import {
  binaryCrossEntropyGradient,
  binaryCrossEntropySum,
  CancelledError,
  countEqual,
  leakyReluBackward,
  matmul,
  matrix,
  reluBackward,
  sigmoidBackward,
  squaredErrorGradient,
  squaredErrorSum,
  tanhBackward,
  threshold,
  type Matrix,
} from '../../../src/trainer/kernels';
import { accuracy, biasActivate, forward, LEAKY_SLOPE, predict } from '../../../src/trainer/model';
import { TrainingRun } from '../../../src/trainer/run';
import { accuracySaved, ModelError, modelParameters, parseSavedModel, predictSaved } from '../../../src/trainer/savedModel';

const PLANAR = 'input 2\ndense 3 tanh\ndense 1 sigmoid\ndata train flower m=40\nlearning_rate 1.2\nseed 2\niterations 30\n';

async function trained(): Promise<{ run: TrainingRun; model: SavedModel }> {
  const { spec } = parseSpec(PLANAR);
  const data = await loadDataset(spec.train!, '/');
  const run = new TrainingRun(spec, data);
  while (!run.done) run.step();
  return { run, model: run.toModel({ source: PLANAR, specPath: '/specs/planar.nnspec' }) };
}

describe('saved models', () => {
  it('round-trip: parsed parameters predict exactly as the trained ones', async () => {
    const { run, model } = await trained();
    const parsed = parseSavedModel(JSON.stringify(model));
    assert.equal(parsed.specPath, '/specs/planar.nnspec');
    assert.equal(parsed.specDir, '/specs');
    const params = modelParameters(parsed);
    params.forEach((p, l) => {
      assert.deepEqual(p.W.data, run.params[l].W.data);
      assert.deepEqual(p.b.data, run.params[l].b.data);
      assert.deepEqual([p.W.rows, p.W.cols, p.b.rows, p.b.cols], [run.params[l].W.rows, run.params[l].W.cols, run.params[l].b.rows, 1]);
    });
    assert.equal(accuracySaved(parsed, run.train), model.trainAccuracy);
    assert.deepEqual(predictSaved(parsed, run.train.X).data, predict(run.params, run.activations, run.train.X).data);
    assert.throws(() => predictSaved(parsed, matrix(3, 2)), /The data has 3 features per example, but the model's input is 2\./);
  });

  it('rejects what is not a model, naming what is wrong', async () => {
    const { model } = await trained();
    const bad = (change: (m: any) => void): string => {
      const m = JSON.parse(JSON.stringify(model));
      change(m);
      return JSON.stringify(m);
    };
    const cases: [string, RegExp][] = [
      ['{"format":', /^The model file is not valid JSON/],
      ['[1, 2]', /holds an array of 2, not a model object/],
      [bad((m) => (m.format = 'keras')), /This is not an nnspec model: "format" is the string "keras", expected "nnspec-model"\./],
      [bad((m) => delete m.format), /"format" is missing/],
      [bad((m) => (m.version = 2)), /Model version 2 is not supported: this nnspec reads version 1 \(the model was saved by a newer nnspec\)\./],
      [bad((m) => (m.spec.inputSize = 0)), /spec\.inputSize must be a positive integer, not 0\./],
      [bad((m) => (m.spec.layers[0].activation = 'swish')), /Layer 1 \(spec\.layers\[0\]\): unknown activation the string "swish"/],
      [bad((m) => m.parameters.pop()), /The model has parameters for 1 layer, but its spec has 2\./],
      [bad((m) => m.parameters[0].W.pop()), /W\[1\] must be \(3, 2\): 3 rows for the 3 units of layer 1, but it has 2 rows\./],
      [bad((m) => m.parameters[1].W[0].push(0)), /W\[2\] must be \(1, 3\), but row 0 has 4 values instead of 3\./],
      [bad((m) => (m.parameters[0].b = [0, 0])), /b\[1\] must have 3 values \(one per unit of layer 1\), but it has 2\./],
      [bad((m) => (m.parameters[0].W[1][0] = null)), /W\[1\]\[1\]\[0\] is null, not a finite number\./],
      [JSON.stringify(model).replace(/"b":\[[^\]]*\]\}\]/, '"b":[1e999]}]'), /b\[2\]\[0\] is Infinity, not a finite number/],
      [bad((m) => (m.parameters[1].b = ['0.5'])), /b\[2\]\[0\] is the string "0\.5", not a finite number\./],
      [bad((m) => (m.costs = [[0]])), /"costs" must be a list of \[iteration, cost\] pairs/],
      [bad((m) => (m.specPath = 3)), /"specPath" must be a string, not 3/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseSavedModel(text),
        (e: Error) => e instanceof ModelError && message.test(e.message),
        `${message}`,
      );
    }
  });
});

describe('element-wise kernels in kernels.ts and model.ts', () => {
  const Z = matrix(2, 3, Float64Array.from([-2, -0.5, 0, 0.25, 1.5, 40]));
  const dA = matrix(2, 3, Float64Array.from([0.3, -1, 2, 0.5, -0.25, 1]));
  const same = (a: { data: Float64Array }, b: { data: Float64Array }) => assert.deepEqual(Array.from(a.data), Array.from(b.data));
  const map = (M: Matrix, f: (x: number) => number): Matrix => matrix(M.rows, M.cols, M.data.map(f));
  /** g(Z + b) as the forward pass computes it (biasActivate), with b = (0.5, −1) */
  const activated = (name: Parameters<typeof biasActivate>[0]): { Z: Matrix; A: Matrix } => {
    const z = matrix(2, 3, Z.data.slice());
    const A = matrix(2, 3);
    biasActivate(name, z, matrix(2, 1, Float64Array.from([0.5, -1])), A);
    return { Z: z, A };
  };
  const biased = map(Z, (z) => z); // Z + b, row by row
  biased.data.forEach((v, i) => (biased.data[i] = v + (i < 3 ? 0.5 : -1)));

  it('activations (with the bias) and their derivatives are the course formulas, bit for bit', () => {
    same(activated('sigmoid').Z, biased);
    same(activated('sigmoid').A, map(biased, (z) => 1 / (1 + expOf(-z))));
    same(activated('tanh').A, map(biased, tanhOf));
    same(activated('relu').A, map(biased, (z) => (z > 0 ? z : 0)));
    same(activated('leaky_relu').A, map(biased, (z) => (z > 0 ? z : LEAKY_SLOPE * z)));
    same(activated('linear').A, biased);
    assert.throws(() => biasActivate('relu', matrix(2, 3), matrix(3, 1), matrix(2, 3)), /cannot broadcast \(3, 1\) over \(2, 3\)/);
    const s = map(Z, (z) => 1 / (1 + expOf(-z)));
    same(sigmoidBackward(dA, s), matrix(2, 3, dA.data.map((d, i) => d * s.data[i] * (1 - s.data[i]))));
    const t = map(Z, tanhOf);
    same(tanhBackward(dA, t), matrix(2, 3, dA.data.map((d, i) => d * (1 - t.data[i] * t.data[i]))));
    same(reluBackward(dA, Z), matrix(2, 3, Float64Array.from([0, 0, 0, 0.5, -0.25, 1])));
    same(leakyReluBackward(dA, Z, 0.01), matrix(2, 3, Float64Array.from([0.003, -0.01, 0.02, 0.5, -0.25, 1])));
  });

  it('losses, their gradients, thresholds and counts', () => {
    const A = matrix(1, 3, Float64Array.from([0.9, 0.2, 0.6]));
    const Y = matrix(1, 3, Float64Array.from([1, 0, 0]));
    assert.equal(binaryCrossEntropySum(A, Y), Math.log(0.9) + Math.log(0.8) + Math.log(0.4));
    assert.equal(squaredErrorSum(A, Y), (0.9 - 1) * (0.9 - 1) + 0.2 * 0.2 + 0.6 * 0.6);
    same(binaryCrossEntropyGradient(A, Y), matrix(1, 3, Float64Array.from([-(1 / 0.9), 1 / 0.8, 1 / 0.4])));
    same(squaredErrorGradient(A, Y), matrix(1, 3, Float64Array.from([0.9 - 1, 0.2, 0.6])));
    same(threshold(A, 0.5), matrix(1, 3, Float64Array.from([1, 0, 1])));
    assert.equal(countEqual(threshold(A, 0.5), Y), 2);
    assert.throws(() => sigmoidBackward(dA, A), /sigmoidBackward: shapes \(2, 3\) and \(1, 3\) differ/);
  });
});

describe('cancellation inside an iteration', () => {
  it('a large product calls the check between row blocks and stops at once', () => {
    const A = matrix(200, 300);
    const B = matrix(300, 400);
    let calls = 0;
    for (const [ta, tb] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      calls = 0;
      const a = ta ? matrix(300, 200) : A;
      const b = tb ? matrix(400, 300) : B;
      assert.throws(
        () =>
          matmul(a, b, ta, tb, () => {
            if (++calls === 3) throw new CancelledError();
          }),
        CancelledError,
      );
      assert.equal(calls, 3);
    }
    // a small product is not worth checking
    matmul(matrix(2, 2), matrix(2, 2), false, false, () => assert.fail('checked a 2x2 product'));
  });

  it('a cancelled step leaves the parameters and the iteration count as they were', async () => {
    const { spec } = parseSpec('input 2\ndense 64 relu\ndense 64 relu\ndense 1 sigmoid\ndata train flower m=400\n');
    const data = await loadDataset(spec.train!, '/');
    let stop = false;
    let checks = 0;
    const run = new TrainingRun(spec, data, undefined, {
      cancel: () => {
        checks++;
        if (stop) throw new CancelledError();
      },
    });
    run.step();
    const perStep = checks;
    assert.ok(perStep >= 6, `only ${perStep} checks per iteration`);
    const before = run.params.map((p) => p.W.data.slice());
    stop = true;
    assert.throws(() => run.step(), CancelledError);
    assert.equal(run.iteration, 1);
    run.params.forEach((p, l) => assert.deepEqual(p.W.data, before[l]));
    // forward and accuracy take the check too
    assert.throws(() => forward(run.params, run.activations, data.X, () => assert.fail('x')), /x/);
    assert.throws(() => accuracy(run.params, run.activations, data.X, data.Y, () => { throw new CancelledError(); }), CancelledError);
  });

  it('a cancelled model carries no parameters and no accuracies', async () => {
    const { run } = await trained();
    const m = run.toCancelledModel({ specDir: '/specs' });
    assert.deepEqual(m.parameters, []);
    assert.ok(Number.isNaN(m.trainAccuracy));
    assert.equal(m.testAccuracy, null);
    assert.equal(m.specDir, '/specs');
    assert.deepEqual(m.costs, run.costs);
  });
});
