// The WebAssembly SIMD kernels against the TypeScript reference: the same products bit for bit
// (every transpose, edge shapes, alpha, one thread or two), the same training run, stops within
// milliseconds in the middle of a product, and the fallback when WebAssembly is not there.
// `npm run test:unit` and `npm test` build dist/kernels.wasm first; without it these tests fail.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseSpec } from '../../../src/language';
import { typescriptBackend, type KernelBackend } from '../../../src/trainer/backend';
import { loadDataset } from '../../../src/trainer/datasets';
import { CancelledError, gemm, matrix, type Matrix } from '../../../src/trainer/kernels';
import { biasActivate, Network } from '../../../src/trainer/model';
import { TrainingRun } from '../../../src/trainer/run';
import { createWasmBackend, kernelModule, PARALLEL_WORK, wasmUnavailable, type WasmStats } from '../../../src/trainer/wasm/wasmBackend';

type Wasm = KernelBackend & { stats: WasmStats };

/** A deterministic generator, so that a failure can be reproduced. */
function filler(seed: number): (m: Matrix) => Matrix {
  let s = seed >>> 0;
  return (m) => {
    for (let i = 0; i < m.data.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      m.data[i] = s / 2 ** 32 - 0.5;
    }
    return m;
  };
}

/** Bit-for-bit equality, naming the first element that differs. */
/** The same values bit for bit (the sign of a zero included; any NaN equals any NaN). */
function assertSame(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      assert.fail(`${what}[${i}]: ${actual[i]} vs the reference ${expected[i]} (relative ${Math.abs(actual[i] - expected[i]) / Math.abs(expected[i])})`);
    }
  }
}

async function wasmBackend(threads: 1 | 2): Promise<Wasm> {
  const { backend, reason } = await createWasmBackend({ threads });
  assert.ok(backend, `the WebAssembly kernels must load here (${reason})`);
  return backend;
}

// M × K times K × N, as [M, K, N]: vectors, odd sizes, sizes around the 4×4 blocks, and large
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [1, 12, 5], [5, 12, 1], [2, 3, 4], [3, 5, 2], [4, 4, 4], [5, 9, 7], [7, 33, 13],
  [13, 1, 11], [6, 17, 9], [20, 300, 209], [9, 5000, 10], [64, 100, 300],
];

describe('WebAssembly SIMD products', () => {
  let one: Wasm;
  let two: Wasm;
  before(async () => {
    one = await wasmBackend(1);
    two = await wasmBackend(2);
  });
  after(() => {
    one?.dispose();
    two?.dispose();
  });

  it('is available here: SIMD and threads validate, and two threads start', () => {
    assert.equal(kernelModule().reason, undefined);
    assert.equal(one.threads, 1);
    assert.equal(two.threads, 2);
    assert.equal(two.description, 'WebAssembly SIMD, 2 threads');
  });

  for (const threads of [1, 2] as const) {
    it(`equal the TypeScript reference bit for bit on ${SHAPES.length} shapes, every transpose, with alpha (${threads} thread${threads > 1 ? 's' : ''})`, () => {
      const backend = threads === 1 ? one : two;
      const fill = filler(7 * threads);
      let products = 0;
      for (const [M, K, N] of SHAPES) {
        for (const tA of [false, true]) {
          for (const tB of [false, true]) {
            const A = fill(backend.matrix(tA ? K : M, tA ? M : K));
            const B = fill(backend.matrix(tB ? N : K, tB ? K : N));
            for (const alpha of [1, 1 / 209]) {
              const C = backend.matrix(M, N);
              C.data.fill(123); // the product overwrites whatever is there
              backend.gemm(C, A, B, tA, tB, alpha);
              const R = gemm(matrix(M, N), A, B, tA, tB, alpha);
              assertSame(C.data, R.data, `(${M}×${K})·(${K}×${N}) tA=${tA} tB=${tB} alpha=${alpha}`);
              products++;
            }
          }
        }
      }
      assert.equal(products, SHAPES.length * 8);
      assert.ok(backend.stats.wasm > 0, 'the large products ran in WebAssembly');
      if (threads === 2) assert.ok(backend.stats.parallel > 0, 'the largest products were split between two threads');
    });
  }

  it('copies a constant operand into its memory once: the training X, read in both orientations', () => {
    const fill = filler(3);
    const X = fill(matrix(300, 209)); // outside the backend's memory, as a data set is
    two.constant(X);
    const W = fill(two.matrix(20, 300));
    const Z = two.matrix(20, 209);
    two.gemm(Z, W, X, false, false, 1);
    assertSame(Z.data, gemm(matrix(20, 209), W, X).data, 'W·X');
    const dZ = fill(two.matrix(20, 209));
    const dW = two.matrix(20, 300);
    two.gemm(dW, dZ, X, false, true, 1 / 209);
    assertSame(dW.data, gemm(matrix(20, 300), dZ, X, false, true, 1 / 209).data, 'dZ·Xᵀ/m');
  });

  for (const threads of [1, 2] as const) {
    it(`computes a first layer's dZ·Xᵀ/m as X·dZᵀ, leaving out the examples whose dZ are all 0 (four units or more), bit for bit (${threads} thread${threads > 1 ? 's' : ''})`, () => {
      const backend = threads === 1 ? one : two;
      const fill = filler(31 * threads);
      // [units, examples, features]: edges of the 4×4 tiles, and enough units and examples for several blocks of examples
      // (the last two: data of a few MB outside the memory, packed a block of rows at a time)
      const shapes: [number, number, number][] = [[20, 209, 300], [1, 7, 1], [3, 5, 2], [5, 33, 13], [7, 130, 9], [64, 1300, 37], [5, 700, 401], [2, 700, 403], [1, 209, 1201], [3, 301, 517], [1, 8, 640]];
      shapes.forEach(([units, m, features], i) => {
        // a data set outside the backend's memory, or (as the bench has it) in it
        const X = fill(i % 2 === 0 || m * features > 200_000 ? matrix(features, m) : backend.matrix(features, m));
        // -0 and +0 in the data change nothing
        X.data[0] = -0;
        X.data[X.data.length - 1] = 0;
        backend.constant(X);
        const dZ = fill(backend.matrix(units, m));
        for (let j = 0; j < m; j++) {
          // whole columns of zeros (no gradient passed back), a unit dead on some examples, a −0
          if (j % 3 === 1) for (let u = 0; u < units; u++) dZ.data[u * m + j] = 0;
          if (j % 5 === 2) dZ.data[j] = -0;
          if (j % 7 === 3 && units > 4) for (let u = 4; u < Math.min(8, units); u++) dZ.data[u * m + j] = 0;
        }
        for (const alpha of [1, 1 / m]) {
          const dW = backend.matrix(units, features);
          dW.data.fill(123);
          const skippedBefore = backend.stats.skipped;
          backend.gemm(dW, dZ, X, false, true, alpha);
          assertSame(dW.data, gemm(matrix(units, features), dZ, X, false, true, alpha).data, `dZ(${units}×${m})·Xᵀ(${m}×${features}) alpha=${alpha}`);
          // (a layer of fewer than four units runs as a row or three against panels of Xᵀ, skipping nothing)
          if (units >= 4) assert.ok(backend.stats.skipped > skippedBefore, `the zero columns were left out (${units}×${m}, ${features})`);
        }
      });
      assert.ok(backend.stats.transposed > 0, 'the products ran as X·dZᵀ');
    });
  }

  it('runs products on matrices made after its memory or another shared memory grew, with the helper thread attached', async () => {
    const backend = await wasmBackend(2);
    const other = await wasmBackend(1);
    try {
      const fill = filler(47);
      for (let round = 0; round < 4; round++) {
        // 4 MB: this memory grows, or another one (V8 then gives this memory's buffer a new object too)
        (round % 2 === 0 ? backend : other).matrix(512, 1024);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const A = fill(backend.matrix(12, 40));
        const B = fill(backend.matrix(40, 9));
        const C = backend.matrix(12, 9);
        backend.gemm(C, A, B, false, false, 1);
        assertSame(C.data, gemm(matrix(12, 9), A, B).data, `after grow ${round + 1}`);
      }
      assert.equal(backend.stats.foreign, 0, 'products taken for matrices outside the memory');
      assert.equal(backend.stats.wasm, 4);
    } finally {
      backend.dispose();
      other.dispose();
    }
  });

  it('leaves out no example when the data is not finite: 0·∞ is NaN, as in the reference', () => {
    const fill = filler(41);
    const X = fill(matrix(6, 11));
    X.data[2] = Infinity;
    X.data[15] = NaN;
    X.data[30] = -Infinity;
    one.constant(X);
    const dZ = fill(one.matrix(5, 11));
    for (let u = 0; u < 5; u++) for (const j of [2, 4, 8]) dZ.data[u * 11 + j] = 0;
    const dW = one.matrix(5, 6);
    const skipped = one.stats.skipped;
    one.gemm(dW, dZ, X, false, true, 1 / 11);
    const expected = gemm(matrix(5, 6), dZ, X, false, true, 1 / 11);
    assert.ok(expected.data.some(Number.isNaN), 'the reference has NaN where 0·∞ entered a sum');
    assertSame(dW.data, expected.data, 'dZ·Xᵀ with ±∞ and NaN in X');
    assert.equal(one.stats.skipped, skipped, 'nothing was left out');
  });

  it('updates parameters as the TypeScript update does, bit for bit', () => {
    const fill = filler(43);
    for (const n of [1, 2, 7, 1000]) {
      const W = fill(one.matrix(1, n));
      const dW = fill(one.matrix(1, n));
      const reference = matrix(1, n, W.data.slice());
      one.subtractScaled(W, dW, 0.0075);
      typescriptBackend.subtractScaled(reference, dW, 0.0075);
      assertSame(W.data, reference.data, `W − 0.0075·dW (${n} values)`);
    }
  });

  it('names the shapes when they do not align', () => {
    assert.throws(() => one.gemm(one.matrix(2, 2), one.matrix(2, 3), one.matrix(2, 3), false, false, 1), /matmul: shapes \(2, 3\) and \(2, 3\) do not align/);
    assert.throws(() => one.gemm(one.matrix(3, 3), one.matrix(2, 3), one.matrix(3, 2), false, false, 1), /the product is \(2, 2\) but its destination is \(3, 3\)/);
  });

  it('a stop lands within milliseconds in the middle of a large split product, and the backend still works after it', () => {
    // about 2 GFLOP: a few hundred milliseconds on two cores
    const fill = filler(11);
    const A = fill(two.matrix(256, 4096));
    const B = fill(two.matrix(4096, 1000));
    const C = two.matrix(256, 1000);
    assert.ok(256 * 4096 * 1000 > 100 * PARALLEL_WORK);
    let checks = 0;
    let stopAt = 0;
    const cancel = (): void => {
      checks++;
      if (checks === 3) stopAt = performance.now();
      if (checks >= 3) throw new CancelledError();
    };
    assert.throws(() => two.gemm(C, A, B, false, false, 1, cancel), CancelledError);
    const latency = performance.now() - stopAt;
    assert.ok(latency < 100, `the helper thread was waited for ${latency.toFixed(1)} ms after the stop`);
    // the helper is free again: a product after the stop is complete and exact
    const small = fill(two.matrix(40, 4096));
    const out = two.matrix(40, 1000);
    two.gemm(out, small, B, false, false, 1);
    assertSame(out.data, gemm(matrix(40, 1000), small, B).data, 'after the stop');
  });
});

describe('WebAssembly SIMD activations', () => {
  it('every activation with the bias gives the same bits as the TypeScript pass, special values and odd widths included', async () => {
    const backend = await wasmBackend(1);
    try {
      const special = [0, -0, 1e-300, -5e-324, 0.625, -0.625, 0.6250000000000001, 22, -22, 22.000000000000004, 1e10, -1e10, Infinity, -Infinity, NaN,
        -708.2, -708.3, -708.4, -709.9, -745.1, -745.2, -800, 708.9, 709.0, 709.1, 709.78, 710, 1e300];
      const fill = filler(21);
      for (const cols of [1, 2, 7, 29, 64, 401]) {
        const rows = 5;
        const Z0 = fill(matrix(rows, cols));
        for (let i = 0; i < Z0.data.length; i++) {
          const r = i % 3;
          Z0.data[i] = r === 0 ? Z0.data[i] * 60 : r === 1 ? Z0.data[i] * 3 : Z0.data[i] * 1500;
        }
        // rows 1 and 2: the special values themselves (a bias of −0 keeps −0 as it is)
        for (let j = 0; j < cols; j++) {
          Z0.data[cols + j] = special[j % special.length];
          Z0.data[2 * cols + j] = special[(j + 1) % special.length];
        }
        const b = fill(backend.matrix(rows, 1));
        b.data[1] = -0;
        b.data[2] = -0;
        for (const name of ['tanh', 'sigmoid', 'relu', 'leaky_relu', 'linear'] as const) {
          const Zw = backend.matrix(rows, cols);
          Zw.data.set(Z0.data);
          const Aw = backend.matrix(rows, cols);
          assert.equal(backend.biasActivate!(name, Zw, b, Aw), true);
          const Zt = matrix(rows, cols, Z0.data.slice());
          const At = matrix(rows, cols);
          biasActivate(name, Zt, b, At);
          assertSame(Zw.data, Zt.data, `Z + b (${name}, ${cols} columns)`);
          assertSame(Aw.data, At.data, `${name} (${cols} columns)`);
          for (let i = 0; i < Aw.data.length; i++) assert.ok(Object.is(Aw.data[i], At.data[i]) || Number.isNaN(At.data[i]), `the sign of ${name}(${Zt.data[i]})`);
        }
      }
      assert.equal(backend.biasActivate!('relu', matrix(1, 2), backend.matrix(1, 1), backend.matrix(1, 2)), false, 'a matrix outside its memory stays with the TypeScript pass');
    } finally {
      backend.dispose();
    }
  });
});

describe('training on the WebAssembly kernels', () => {
  const SPEC = `input 12
dense 9 relu
dense 6 tanh
dense 5 leaky_relu
dense 1 sigmoid
data train circles m=301
data test circles m=57 seed=9
init he
seed 4
learning_rate 0.05
iterations 60
`;
  it('gives the same costs, parameters and accuracies as the TypeScript kernels, bit for bit', async () => {
    const { spec } = parseSpec(SPEC.replace('input 12', 'input 2'));
    const train = await loadDataset(spec.train!, '/');
    const test = await loadDataset(spec.test!, '/');
    // widen the data to 12 features (the circles and their powers), so that products are 4×4-blocked
    const widen = (X: Matrix): Matrix => {
      const out = matrix(12, X.cols);
      for (let r = 0; r < 12; r++) for (let j = 0; j < X.cols; j++) out.data[r * X.cols + j] = X.data[(r % 2) * X.cols + j] ** (1 + (r >> 1)) / (1 + r);
      return out;
    };
    const wide = { ...parseSpec(SPEC).spec };
    const runs = [] as { costs: [number, number][]; params: Float64Array[]; train: number; test: number | null; kernels: string }[];
    for (const kernels of ['typescript', 'auto'] as const) {
      const { run } = await TrainingRun.start(wide, { X: widen(train.X), Y: train.Y }, { X: widen(test.X), Y: test.Y }, { kernels, recordEvery: 1 });
      while (!run.done) run.step();
      runs.push({ costs: run.costs, params: run.params.flatMap((p) => [p.W.data.slice(), p.b.data.slice()]), train: run.trainAccuracy(), test: run.testAccuracy(), kernels: run.kernels });
      run.dispose();
    }
    const [ts, wasm] = runs;
    assert.equal(ts.kernels, 'TypeScript');
    assert.match(wasm.kernels, /^WebAssembly SIMD/);
    assert.equal(wasm.costs.length, 60);
    assert.deepEqual(wasm.costs, ts.costs);
    wasm.params.forEach((p, i) => assertSame(p, ts.params[i], `parameter ${i}`));
    assert.equal(wasm.train, ts.train);
    assert.equal(wasm.test, ts.test);
  });

  it('evaluates a data set larger than one batch exactly as the reference forward pass', async () => {
    const backend = await wasmBackend(2);
    try {
      const fill = filler(5);
      const X = fill(matrix(30, 700));
      const Y = matrix(1, 700);
      for (let j = 0; j < 700; j++) Y.data[j] = j % 3 === 0 ? 1 : 0;
      const net = new Network(backend, [30, 8, 1], ['tanh', 'sigmoid'], 'binary_cross_entropy', { kind: 'random', scale: 0.5 }, 1, X, Y);
      const reference = new Network(typescriptBackend, [30, 8, 1], ['tanh', 'sigmoid'], 'binary_cross_entropy', { kind: 'random', scale: 0.5 }, 1, X, Y);
      const other = fill(matrix(30, 601));
      const otherY = matrix(1, 601);
      for (let j = 0; j < 601; j++) otherY.data[j] = j % 2;
      const expected = reference.accuracy(other, otherY);
      assert.ok(expected > 0.3 && expected < 0.7, `a non-trivial accuracy (${expected})`);
      assert.equal(net.accuracy(other, otherY), expected);
      assert.equal(net.accuracy(X, Y), reference.accuracy(X, Y));
    } finally {
      backend.dispose();
    }
  });

  it('allocates nothing in the iteration loop, and runs every product on its own buffers', async () => {
    const backend = await wasmBackend(2);
    try {
      const fill = filler(9);
      const X = fill(matrix(40, 300));
      const Y = matrix(1, 300);
      for (let j = 0; j < 300; j++) Y.data[j] = j % 2;
      const net = new Network(backend, [40, 16, 8, 1], ['relu', 'tanh', 'sigmoid'], 'binary_cross_entropy', { kind: 'he' }, 3, X, Y);
      let allocated = 0;
      const original = backend.matrix.bind(backend);
      backend.matrix = (rows, cols) => {
        allocated++;
        return original(rows, cols);
      };
      for (let i = 0; i < 5; i++) net.step(0.01);
      assert.equal(allocated, 0, 'matrices allocated during 5 iterations');
      assert.equal(backend.stats.foreign, 0, 'products on matrices outside the backend');
      assert.ok(backend.stats.wasm >= 5 * 3, `products in WebAssembly: ${backend.stats.wasm}`);
    } finally {
      backend.dispose();
    }
  });
});

describe('without WebAssembly SIMD', () => {
  it('says why, and a run falls back to the TypeScript kernels with a notice', async () => {
    assert.match(wasmUnavailable(undefined) ?? '', /kernels\.wasm was not found/);
    // a module that uses an instruction this runtime does not know: fails validation
    assert.match(wasmUnavailable(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0xfd, 0xff, 0x0b])) ?? '', /does not validate here/);
    const { backend, reason } = await createWasmBackend({ wasmPath: path.join(__dirname, 'no-such.wasm') });
    assert.equal(backend, undefined);
    assert.match(reason ?? '', /not found/);
  });
});

describe('costs computed only where they are recorded', () => {
  const DIVERGING = `input 2
dense 6 relu
dense 1 sigmoid
data train moons m=200
init random 3
seed 2
learning_rate 40
iterations 500
print_every 100
`;
  it('stops a diverging run at the very iteration whose cost is not finite, as computing every cost would', async () => {
    const { spec } = parseSpec(DIVERGING);
    const data = await loadDataset(spec.train!, '/');
    // the reference: every cost computed
    const reference = new Network(typescriptBackend, [2, 6, 1], ['relu', 'sigmoid'], spec.loss, spec.init, spec.seed, data.X, data.Y);
    let first = -1;
    for (let i = 0; i < 500 && first < 0; i++) if (!Number.isFinite(reference.step(spec.learningRate)!)) first = i;
    assert.ok(first > 0 && first % 100 !== 0, `the cost first becomes infinite between two recorded iterations (at ${first})`);
    const { run } = await TrainingRun.start(spec, data, undefined);
    assert.throws(
      () => {
        while (!run.done) run.step();
      },
      (err: Error) => err.name === 'DivergedError' && new RegExp(`at iteration ${first}:`).test(err.message),
    );
    assert.equal(run.iteration, first);
    run.dispose();
  });

  it('computes the cost of the last iteration on demand, equal to the one computed in the step', async () => {
    const { spec } = parseSpec(DIVERGING.replace('learning_rate 40', 'learning_rate 0.5'));
    const data = await loadDataset(spec.train!, '/');
    const a = new Network(typescriptBackend, [2, 6, 1], ['relu', 'sigmoid'], spec.loss, spec.init, spec.seed, data.X, data.Y);
    const b = new Network(typescriptBackend, [2, 6, 1], ['relu', 'sigmoid'], spec.loss, spec.init, spec.seed, data.X, data.Y);
    assert.equal(a.lastCost(), undefined);
    for (let i = 0; i < 37; i++) {
      const withCost = a.step(spec.learningRate);
      assert.equal(b.step(spec.learningRate, undefined, false), undefined);
      assert.equal(b.lastCost(), withCost);
    }
    // the training set's accuracy overwrites the output the cost is computed from: the cost is kept
    b.step(spec.learningRate, undefined, false);
    const expected = a.step(spec.learningRate);
    b.accuracy(b.X, b.Y);
    assert.equal(b.lastCost(), expected);
  });
});
