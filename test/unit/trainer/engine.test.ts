import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Activation, InitScheme, Loss } from '../../../src/shared/model/spec';
import { matmul, matrix, type Matrix } from '../../../src/trainer/kernels';
import { gradientCheck } from '../../../src/lab/gradcheck';
import { typescriptBackend } from '../../../src/trainer/backend';
import { backward, computeCost, forward, initializeParameters, accuracy, Network } from '../../../src/trainer/model';
import { createWasmBackend } from '../../../src/trainer/wasm/wasmBackend';
import { NumpyRandom } from '../../../src/trainer/numpyRandom';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'reference');
const rng = JSON.parse(readFileSync(path.join(FIXTURES, 'rng.json'), 'utf8'));
const nets = JSON.parse(readFileSync(path.join(FIXTURES, 'networks.json'), 'utf8'));

function fromRows(rows: number[][]): Matrix {
  return matrix(rows.length, rows[0].length, Float64Array.from(rows.flat()));
}

/**
 * Every value within `tol` relative of the reference: |a − e| / |e| ≤ tol. An exact zero in the
 * reference (a ReLU gradient, a zero bias) has no scale to be relative to: there the value must
 * be zero up to an absolute floor of 1e-300.
 */
function assertClose(actual: ArrayLike<number>, expected: number[], what: string, tol = 1e-10): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === 0) {
      assert.ok(Math.abs(a) <= 1e-300, `${what}[${i}]: ${a} vs NumPy 0 (absolute error ${Math.abs(a)})`);
      continue;
    }
    const err = Math.abs(a - e) / Math.abs(e);
    assert.ok(err <= tol, `${what}[${i}]: ${a} vs NumPy ${e} (relative error ${err})`);
  }
}

describe('the fixture comparison itself', () => {
  it('is relative for small values and exact for zeros', () => {
    // the old |a − e| / max(1, |e|) accepted any pair of values below 1e-10
    assert.throws(() => assertClose([2e-12], [1e-12], 'small'), /relative error 1/);
    assert.throws(() => assertClose([1e-200], [0], 'zero'), /absolute error/);
    assertClose([1e-12 * (1 + 1e-11)], [1e-12], 'close');
    assertClose([123456.789 * (1 + 5e-11)], [123456.789], 'large');
    assert.throws(() => assertClose([123456.789 * (1 + 5e-10)], [123456.789], 'large'), /relative error/);
  });
});

describe('NumPy-compatible random numbers', () => {
  it('np.random.seed(1); randn(12) draws the same values bit for bit', () => {
    const r = new NumpyRandom(1);
    assert.deepEqual(Array.from(r.randn(12)), rng.seed1_randn);
  });
  it('np.random.seed(3); random_sample(6) and the largest seed', () => {
    const r = new NumpyRandom(3);
    assert.deepEqual(Array.from({ length: 6 }, () => r.randomSample()), rng.seed3_random_sample);
    assert.deepEqual(Array.from(new NumpyRandom(4294967295).randn(5)), rng.seed4294967295_randn);
  });
  it('rejects seeds NumPy rejects', () => {
    assert.throws(() => new NumpyRandom(-1), /between 0 and 2\*\*32 - 1/);
    assert.throws(() => new NumpyRandom(2 ** 32), /between 0 and 2\*\*32 - 1/);
  });
});

describe('kernels', () => {
  const A = matrix(2, 3, Float64Array.from([1, 2, 3, 4, 5, 6]));
  const B = matrix(3, 2, Float64Array.from([7, 8, 9, 10, 11, 12]));
  it('multiplies with and without transpose flags', () => {
    assert.deepEqual(Array.from(matmul(A, B).data), [58, 64, 139, 154]);
    assert.deepEqual(Array.from(matmul(A, A, false, true).data), [14, 32, 32, 77]);
    assert.deepEqual(Array.from(matmul(A, A, true, false).data), [17, 22, 27, 22, 29, 36, 27, 36, 45]);
    assert.deepEqual(Array.from(matmul(B, A, true, true).data), [58, 139, 64, 154]);
  });
  it('names the shapes when they do not align', () => {
    assert.throws(() => matmul(A, A), /matmul: shapes \(2, 3\) and \(2, 3\) do not align \(3 ≠ 2\)/);
  });
});

for (const c of nets.cases) {
  describe(`against NumPy: ${c.name}`, () => {
    const X = fromRows(nets.X);
    const Y = fromRows(c.Y);
    const acts = c.acts as Activation[];
    const loss = c.loss as Loss;
    const scheme: InitScheme = c.init === 'random' ? { kind: 'random', scale: c.scale } : { kind: c.init };

    // the polar method's log() may round differently in V8 and libm: at most an ulp or two
    it('initialises as np.random.seed + randn (to 1e-15)', () => {
      const params = initializeParameters(c.dims, scheme, c.seed);
      params.forEach((p, l) => {
        assertClose(p.W.data, c.initial[l].W.flat(), `W[${l + 1}]`, 1e-15);
        assertClose(p.b.data, c.initial[l].b.flat(), `b[${l + 1}]`, 0);
      });
    });

    it('forward pass, cost and every gradient to 1e-10', () => {
      const params = initializeParameters(c.dims, scheme, c.seed);
      const { AL, caches } = forward(params, acts, X);
      caches.forEach((cache, l) => {
        assertClose(cache.Z.data, c.Z[l].flat(), `Z[${l + 1}]`);
        assertClose(cache.A.data, c.A[l].flat(), `A[${l + 1}]`);
      });
      assertClose([computeCost(loss, AL, Y)], [c.cost], 'cost');
      const grads = backward(params, acts, caches, AL, Y, loss);
      grads.forEach((g, l) => {
        assert.equal(g.dW.rows, params[l].W.rows);
        assert.equal(g.dW.cols, params[l].W.cols);
        assertClose(g.dW.data, c.grads[l].dW.flat(), `dW[${l + 1}]`);
        assertClose(g.db.data, c.grads[l].db.flat(), `db[${l + 1}]`);
      });
    });

    for (const kernels of ['TypeScript', 'WebAssembly'] as const) {
      it(`a 25-step cost trajectory and the final parameters to 1e-10 (a training Network on the ${kernels} kernels)`, async () => {
        const made = kernels === 'TypeScript' ? { backend: typescriptBackend } : await createWasmBackend({ threads: 1 });
        assert.ok(made.backend, `the WebAssembly kernels load here (${'reason' in made ? made.reason : ''})`);
        const net = new Network(made.backend, c.dims, acts, loss, scheme, c.seed, X, Y);
        try {
          const costs = Array.from({ length: 25 }, () => net.step(c.lr)!);
          assertClose(costs, c.trajectory, 'cost trajectory');
          net.params.forEach((p, l) => {
            assertClose(p.W.data, c.final[l].W.flat(), `final W[${l + 1}]`);
            assertClose(p.b.data, c.final[l].b.flat(), `final b[${l + 1}]`);
          });
        } finally {
          made.backend.dispose();
        }
      });
    }
  });
}

describe('gradient check', () => {
  const X = fromRows(nets.X);
  const Yb = fromRows(nets.cases[0].Y);
  const Yr = matrix(1, 7, Float64Array.from([0.3, -0.2, 0.5, 0.1, 0.9, -0.4, 0.2]));
  for (const hidden of ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear'] as Activation[]) {
    for (const loss of ['binary_cross_entropy', 'mse'] as Loss[]) {
      it(`backpropagation agrees with two-sided differences: ${hidden} hidden, ${loss}`, () => {
        const params = initializeParameters([3, 5, 1], { kind: 'random', scale: 0.7 }, 11);
        const acts: Activation[] = [hidden, loss === 'mse' ? 'linear' : 'sigmoid'];
        const { difference, gradient, verdict } = gradientCheck(params, acts, loss, X, loss === 'mse' ? Yr : Yb);
        assert.equal(gradient.length, 3 * 5 + 5 + 5 + 1, 'every parameter checked');
        assert.ok(difference < 1e-7, `difference ${difference}`);
        assert.equal(verdict, 'passed');
      });
    }
  }
  it('detects a wrong gradient', () => {
    const params = initializeParameters([3, 4, 1], { kind: 'random', scale: 0.7 }, 5);
    // backpropagation with tanh's derivative while the forward pass used sigmoid: the check fails
    const { AL, caches } = forward(params, ['sigmoid', 'sigmoid'], X);
    const bad = backward(params, ['tanh', 'sigmoid'], caches, AL, Yb, 'binary_cross_entropy');
    const wrong = gradientCheck(params, ['sigmoid', 'sigmoid'], 'binary_cross_entropy', X, Yb, { gradients: bad });
    assert.ok(wrong.difference > 1e-5, `difference ${wrong.difference}`);
    assert.equal(wrong.verdict, 'failed');
    assert.equal(wrong.passed, false);
    // the same check of backpropagation's own gradient passes
    assert.equal(gradientCheck(params, ['sigmoid', 'sigmoid'], 'binary_cross_entropy', X, Yb).verdict, 'passed');
  });
});

describe('predictions', () => {
  it('accuracy counts A[L] > 0.5 against 0/1 labels', () => {
    const params = initializeParameters([1, 1], { kind: 'zeros' }, 1);
    params[0].W.data[0] = 10;
    const X = matrix(1, 4, Float64Array.from([-1, 1, 2, -3]));
    const Y = matrix(1, 4, Float64Array.from([0, 1, 0, 0]));
    assert.equal(accuracy(params, ['sigmoid'], X, Y), 0.75);
  });
});
