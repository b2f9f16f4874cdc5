// The gradient check (`nnspec gradcheck`, `gradientCheck`) against the course's gradient_check_n
// in NumPy (scripts/lab_fixtures.py): the same backprop gradients, the same numerical gradient up
// to the rounding of the difference quotient, the same verdict; wrong gradients fail; the work is
// bounded (a sample of the parameters in large layers, a refusal beyond the budget).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  formatGradientCheck,
  gradientCheck,
  gradientCheckResult,
  GradientCheckRefused,
  planGradientCheck,
  sampleIndices,
  verdictOf,
} from '../../../src/lab/gradcheck';
import { parseSpec } from '../../../src/language';
import { loadDataset } from '../../../src/trainer/datasets';
import { matrix } from '../../../src/trainer/kernels';
import { backward, computeCost, forward, initializeParameters, layerDims } from '../../../src/trainer/model';
import { runCli as run, tempSpecs } from '../harness/cliHarness';
import { assertClose, fixtures, LAB, labSpec } from '../harness/labHarness';

const { spec } = tempSpecs('nnspec-lab-gradcheck-');

async function setup(name: string) {
  const { spec: s } = parseSpec(readFileSync(labSpec(name), 'utf8'));
  const train = await loadDataset(s.train!, LAB);
  const params = initializeParameters(layerDims(s), s.init, s.seed);
  return { s, train, params, activations: s.layers.map((l) => l.activation) };
}

/** Within a factor of 10: the difference measures rounding noise, which two implementations share only in size. */
function sameOrder(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(Math.log10(actual / expected)) < 1, `${what}: ${actual} vs NumPy ${expected}`);
}

for (const name of ['deep', 'mse', 'image']) {
  const e = fixtures.cases[name].gradcheck;
  describe(`gradient check against NumPy's gradient_check_n: ${name}`, () => {
    it('gradientCheck: backprop to 1e-10; the numerical gradient within the rounding of (J+ − J−) / 2ε', async () => {
      const { s, train, params, activations } = await setup(name);
      const d = gradientCheck(params, activations, s.loss, train.X, train.Y);
      assert.equal(d.gradient.length, e.gradient.length);
      d.gradient.forEach((g, i) => assertClose(g, e.gradient[i], `grad[${i}]`, 1e-10));
      // J carries a rounding of about 2^-52 |J|, divided by 2ε in the quotient
      const J = computeCost(s.loss, forward(params, activations, train.X).AL, train.Y);
      const noise = (2 ** -52 * J) / 1e-7;
      d.approx.forEach((a, i) => assert.ok(Math.abs(a - e.approx[i]) <= 50 * noise, `approx[${i}]: ${a} vs NumPy ${e.approx[i]}`));
      // the parameters are as they were
      assert.deepEqual(Array.from(params[0].W.data), Array.from(initializeParameters(layerDims(s), s.init, s.seed)[0].W.data));
    });

    it('nnspec gradcheck --json: the difference and each layer\'s of the order of NumPy\'s, the same verdict', async () => {
      const r = await run('gradcheck', labSpec(name), '--json');
      assert.equal(r.code, 0, r.err);
      const json = JSON.parse(r.out);
      assert.deepEqual(Object.keys(json).sort(), ['checked', 'difference', 'epsilon', 'examples', 'iteration', 'layers', 'm', 'parameters', 'passed', 'verdict']);
      assert.deepEqual(Object.keys(json.layers[0]).sort(), ['approx_norm', 'checked', 'difference', 'gradient_norm', 'layer', 'parameters']);
      assert.equal(json.passed, e.difference < 1e-7);
      assert.equal(json.verdict, 'passed');
      sameOrder(json.difference, e.difference, 'difference');
      assert.equal(json.layers.length, e.layers.length);
      json.layers.forEach((l: { layer: number; difference: number; checked: number; parameters: number }, i: number) => {
        assert.equal(l.layer, i + 1);
        assert.equal(l.checked, l.parameters);
        sameOrder(l.difference, e.layers[i].difference, `layer ${i + 1}`);
      });
      assert.equal(json.checked, e.gradient.length);
      assert.equal(json.examples, json.m);
      assert.equal(json.epsilon, 1e-7);
    });
  });
}

describe('gradient check: verdicts', () => {
  it('1e-7 and 1e-5 are the thresholds', () => {
    assert.equal(verdictOf(9.9e-8), 'passed');
    assert.equal(verdictOf(1e-7), 'warning');
    assert.equal(verdictOf(9.9e-6), 'warning');
    assert.equal(verdictOf(1e-5), 'failed');
  });

  it('a backprop bug fails: dW[2] off by 1 %, or db[1] with the wrong sign', async () => {
    const { s, train, params, activations } = await setup('deep');
    const { AL, caches } = forward(params, activations, train.X);
    for (const spoil of [
      (g: ReturnType<typeof backward>) => g[1].dW.data.forEach((v, i, a) => (a[i] = v * 1.01)),
      (g: ReturnType<typeof backward>) => g[0].db.data.forEach((v, i, a) => (a[i] = -v)),
    ]) {
      const grads = backward(params, activations, caches, AL, train.Y, s.loss);
      spoil(grads);
      const r = gradientCheckResult(gradientCheck(params, activations, s.loss, train.X, train.Y, { gradients: grads }));
      assert.equal(r.verdict, 'failed');
      assert.equal(r.passed, false);
      assert.ok(r.difference > 1e-5, String(r.difference));
      // the layer with the bug stands out
      const worst = r.layers.reduce((a, b) => (b.difference > a.difference ? b : a));
      assert.ok(worst.difference > 1e-3);
      assert.match(formatGradientCheck(r), /Gradient check failed: backpropagation does not agree/);
    }
  });

  it('text: per layer, the network, the verdict', async () => {
    const r = await run('gradcheck', labSpec('mse'));
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'Gradient check at iteration 0, ε = 1e-7: ‖grad − approx‖ / (‖grad‖ + ‖approx‖)');
    assert.equal(lines[1], 'on all 48 training examples, all 21 parameters');
    assert.match(lines[3], /^ {2}layer 1: difference \d\.\d{3}e-\d+ {2}\(16 parameters, ‖grad‖ /);
    assert.match(r.out, /\n {2}network: difference \d\.\d{3}e-\d+\n\nGradient check passed: /);
  });

  it('--iteration N checks the parameters after N updates', async () => {
    const at0 = JSON.parse((await run('gradcheck', labSpec('deep'), '--json')).out);
    const at30 = JSON.parse((await run('gradcheck', labSpec('deep'), '--iteration', '30', '--json')).out);
    assert.equal(at30.iteration, 30);
    assert.equal(at30.verdict, 'passed');
    assert.notEqual(at30.layers[0].gradient_norm, at0.layers[0].gradient_norm);
  });
});

describe('gradient check: bounded work', () => {
  it('evenly spaced parameters when a layer has more than --max-params', () => {
    assert.deepEqual(sampleIndices(10, 4), [0, 2, 5, 7]);
    assert.deepEqual(sampleIndices(3, 4), [0, 1, 2]);
  });

  it('a wide layer is sampled, and the text says so; the first --examples examples', async () => {
    const file = spec('wide.nnspec', 'input 2\ndense 1200 relu\ndense 1 sigmoid\ndata train flower m=300\ninit he\n');
    const r = await run('gradcheck', file, '--examples', '20', '--max-params', '300', '--json');
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.deepEqual(
      json.layers.map((l: { checked: number; parameters: number }) => [l.checked, l.parameters]),
      [
        [300, 3600],
        [300, 1201],
      ],
    );
    assert.equal(json.examples, 20);
    assert.equal(json.m, 300);
    assert.equal(json.parameters, 4801);
    assert.equal(json.checked, 600);
    const text = (await run('gradcheck', file, '--examples', '20', '--max-params', '300')).out;
    assert.match(text, /on the first 20 of the 300 training examples, 600 of the 4,801 parameters \(a sample in the larger layers\)/);
    assert.match(text, /layer 1: difference .* \(300 of 3600 parameters/);
  });

  it('the sample shrinks to the budget; below 10 parameters a layer it is refused with what to change', () => {
    const dims = [2, 3000, 3000, 1];
    const plan = planGradientCheck([2, 500, 1], 256, 1000, 1e8);
    assert.ok(plan.cap < 1000 && plan.cap >= 10, String(plan.cap));
    assert.ok(plan.total <= 1e8);
    assert.throws(() => planGradientCheck(dims, 256, 1000, 2e9), (e: unknown) => e instanceof GradientCheckRefused && /fewer examples \(--examples\)/.test((e as Error).message));
  });

  it('nnspec gradcheck refuses such a network before training it (exit 2, one line)', async () => {
    const file = spec('huge.nnspec', 'input 2\ndense 3000 relu\ndense 3000 relu\ndense 1 sigmoid\ndata train flower m=300\ninit he\n');
    const started = Date.now();
    const r = await run('gradcheck', file, '--json');
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.out).kind, 'usage');
    assert.match(r.err, /^nnspec: A gradient check of this network on 256 examples would take about .* multiply-adds even for 10 parameters a layer/);
    assert.equal(r.err.trim().split('\n').length, 1);
    assert.ok(Date.now() - started < 5000);
  });

  it('bad options: exit 2', async () => {
    for (const [argv, message] of [
      [['--examples', '0'], /--examples needs a whole number from 1/],
      [['--max-params', 'many'], /--max-params needs a whole number/],
      [['--iteration', '999'], /--iteration 999: the spec trains for 60 iterations/],
      [['--vary', 'seed=1'], /unknown option --vary for gradcheck/],
    ] as const) {
      const r = await run('gradcheck', labSpec('deep'), ...argv);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
    }
  });
});

describe('gradient check: a zero gradient', () => {
  it('no gradient at all gives difference 0, not NaN', () => {
    const X = matrix(1, 2, Float64Array.from([0, 0]));
    const Y = matrix(1, 2, Float64Array.from([0, 1]));
    const params = [{ W: matrix(1, 1), b: matrix(1, 1) }];
    const r = gradientCheck(params, ['sigmoid'], 'binary_cross_entropy', X, Y);
    assert.equal(r.difference, 0);
    assert.equal(r.verdict, 'passed');
  });
});
