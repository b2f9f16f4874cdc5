// The step inspector (`nnspec step`, `stepDetail`) and logistic regression as a computation
// graph (`nnspec step --graph`), against NumPy (scripts/lab_fixtures.py): Z, A, dA, dZ, dW, db
// of every layer after N updates, for networks covering every activation and both losses, and
// the course's planar network.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heatmap, passAt, runTo, stepDetail, stepFormulas } from '../../../src/lab/step';
import { parseSpec } from '../../../src/language';
import { loadDataset } from '../../../src/trainer/datasets';
import { matrix } from '../../../src/trainer/kernels';
import { runCli as run, tempSpecs } from '../harness/cliHarness';
import { assertClose, assertStats, fixtures, LAB, labSpec } from '../harness/labHarness';

const { spec } = tempSpecs('nnspec-lab-step-');
const QUANTITIES = ['Z', 'A', 'dA', 'dZ', 'dW', 'db', 'W', 'b'] as const;

for (const name of ['deep', 'mse', 'planar', 'image']) {
  const c = fixtures.cases[name];
  describe(`nnspec step against NumPy: ${name}`, () => {
    for (const [n, expected] of Object.entries(c.steps) as [string, { cost: number; layers: Record<string, unknown>[] }][]) {
      it(`--iteration ${n}: the cost and every layer's Z, A, dA, dZ, dW, db (and W, b) to 1e-10`, async () => {
        const r = await run('step', labSpec(name), '--iteration', n, '--json');
        assert.equal(r.code, 0, r.err);
        const json = JSON.parse(r.out);
        assert.equal(json.iteration, Number(n));
        assertClose(json.cost, expected.cost, 'cost');
        assert.equal(json.layers.length, expected.layers.length);
        json.layers.forEach((layer: Record<string, unknown>, i: number) => {
          assert.equal(layer.layer, i + 1);
          for (const q of QUANTITIES) assertStats(layer[q] as never, expected.layers[i][q] as never, `iteration ${n}, ${q}[${i + 1}]`);
        });
      });
    }
  });
}

describe('nnspec step: output', () => {
  it('--json has the contract keys; each entry is {shape, min, max, mean, norm}', async () => {
    const json = JSON.parse((await run('step', labSpec('mse'), '--json')).out);
    assert.deepEqual(Object.keys(json).sort(), ['cost', 'iteration', 'layers', 'm']);
    assert.equal(json.iteration, 0);
    assert.equal(json.m, 48);
    for (const layer of json.layers) {
      for (const k of ['layer', 'Z', 'A', 'dA', 'dZ', 'dW', 'db']) assert.ok(k in layer, k);
      assert.deepEqual(Object.keys(layer.dW).sort(), ['max', 'mean', 'min', 'norm', 'shape']);
    }
    assert.deepEqual(json.layers[0].Z.shape, [4, 48]);
    assert.deepEqual(json.layers[0].dW.shape, [4, 3]);
    assert.deepEqual(json.layers[1].db.shape, [1, 1]);
  });

  it('the cost at iteration N is the cost nnspec train records at N', async () => {
    const train = JSON.parse((await run('train', labSpec('deep'), '--json')).out);
    const at = new Map<number, number>(train.costs);
    for (const n of [0, 10, 50]) {
      const step = JSON.parse((await run('step', labSpec('deep'), '--iteration', String(n), '--json')).out);
      assert.equal(step.cost, at.get(n), `iteration ${n}`);
    }
  });

  it('text: forward layer by layer, then backward from the output layer, with the formulas', async () => {
    const r = await run('step', labSpec('deep'), '--iteration', '7');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'Iteration 7 (after 7 updates, before update 8), m = 48');
    assert.match(lines[1], /^Cost J = −\(1\/m\) Σ \[Y log A\[L\] \+ \(1 − Y\) log\(1 − A\[L\]\)\] = 0\.64722180352757\d*$/);
    const names = lines.filter((l) => /^ {2}\w+\[\d\]/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
    assert.deepEqual(names, [
      ...['Z[1]', 'A[1]', 'Z[2]', 'A[2]', 'Z[3]', 'A[3]'],
      ...['dA[3]', 'dZ[3]', 'dW[3]', 'db[3]', 'dA[2]', 'dZ[2]', 'dW[2]', 'db[2]', 'dA[1]', 'dZ[1]', 'dW[1]', 'db[1]'],
      ...['W[1]', 'b[1]', 'W[2]', 'b[2]', 'W[3]', 'b[3]'],
    ]);
    const row = (q: string): string => lines.find((l) => l.trim().startsWith(q + ' '))!;
    assert.match(row('dW[2]'), /\(3, 5\) .* dW\[2\] = \(1\/m\) dZ\[2\] A\[1\]ᵀ$/);
    assert.match(row('dZ[1]'), /dZ\[1\] = dA\[1\] \* \(Z\[1\] > 0\)$/);
    assert.match(row('dA[2]'), /dA\[2\] = W\[3\]ᵀ dZ\[3\]$/);
    assert.match(row('A[2]'), /A\[2\] = tanh\(Z\[2\]\)$/);
  });

  it('bad options and specs: one line, the right exit status', async () => {
    const cases: [string[], number, RegExp][] = [
      [['step', labSpec('deep'), '--iteration', '61'], 2, /--iteration 61: the spec trains for 60 iterations, so N is 0 to 60/],
      [['step', labSpec('deep'), '--iteration', '-1'], 2, /--iteration needs a whole number from 0/],
      [['step', labSpec('deep'), '--iteration', 'two'], 2, /--iteration needs a whole number from 0 to .*, not 'two'/],
      [['step', labSpec('deep'), '--iteration'], 2, /--iteration needs a value/],
      [['step', labSpec('deep'), '--bogus'], 2, /unknown option --bogus for step/],
      [['step', labSpec('deep'), '--example', '3'], 2, /--example applies to step --graph/],
      [['step', labSpec('deep'), '--graph'], 1, /one `dense 1 sigmoid` layer and `loss binary_cross_entropy`; this spec has 3 layers/],
      [['step', labSpec('image'), '--graph', '--example', '60'], 2, /--example 60: the training set has examples 0 to 59/],
      [['step', spec('bad.nnspec', 'input 2\ndense 0 relu\ndense 1 sigmoid\ndata train flower\n')], 1, /bad\.nnspec:2:7: error: .*\n.*has 1 error: fix it first/],
      [['step', spec('nodata.nnspec', 'input 2\ndense 1 sigmoid\n')], 1, /has no training data/],
      [['step', 'missing.nnspec'], 1, /cannot read missing\.nnspec: no such file/],
      [['step'], 2, /step needs a FILE/],
    ];
    for (const [argv, code, message] of cases) {
      const r = await run(...argv);
      assert.equal(r.code, code, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, message, argv.join(' '));
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    }
    const json = await run('step', labSpec('deep'), '--graph', '--json');
    assert.equal(JSON.parse(json.out).kind, 'spec');
  });

  it('a run that diverges on the way to N says so', async () => {
    const file = spec('diverge.nnspec', 'input 2\ndense 1 sigmoid\ndata train flower m=20 scale=1e155\ninit random 1\nlearning_rate 10\niterations 50\n');
    const r = await run('step', file, '--iteration', '40', '--json');
    assert.equal(r.code, 1, r.err);
    assert.equal(JSON.parse(r.out).kind, 'diverged');
  });
});

describe('stepDetail: what the designer draws', async () => {
  const text = 'input 2\ndense 40 relu\ndense 1 sigmoid\ndata train flower m=130\ninit he\nseed 4\nlearning_rate 0.3\niterations 10\n';
  const { spec: s } = parseSpec(text);
  const train = await loadDataset(s.train!, '.');
  const run3 = await runTo(s, train, 3, { kernels: 'typescript' });
  const detail = stepDetail(passAt(run3.network, 3));

  it('every quantity with its formula, statistics and a heatmap; small matrices whole', () => {
    assert.equal(detail.iteration, 3);
    assert.equal(detail.m, 130);
    const db = detail.layers[1].quantities.db;
    assert.deepEqual(db.shape, [1, 1]);
    assert.deepEqual(db.heatmap, { rows: 1, cols: 1, values: [db.min], downsampled: false, block: [1, 1] });
    assert.equal(db.formula, 'db[2] = (1/m) Σ dZ[2] (summed over the m columns)');
    assert.equal(detail.layers[1].quantities.dA.formula, 'dA[2] = −(Y / A[2] − (1 − Y) / (1 − A[2]))');
    const W2 = detail.layers[1].quantities.W;
    assert.deepEqual([W2.heatmap.rows, W2.heatmap.cols, W2.heatmap.downsampled], [1, 40, false]);
    assert.deepEqual(W2.heatmap.values, Array.from(run3.network.params[1].W.data));
  });

  it('large matrices as block means of at most 64 × 64, with the whole matrix\'s statistics', () => {
    const Z = detail.layers[0].quantities.Z;
    assert.deepEqual(Z.shape, [40, 130]);
    assert.equal(Z.heatmap.downsampled, true);
    assert.deepEqual(Z.heatmap.block, [1, 3]);
    assert.equal(Z.heatmap.rows, 40);
    assert.equal(Z.heatmap.cols, 44);
    // column 43 is the mean of the last example alone (130 = 43 · 3 + 1)
    const z = run3.network.buffers.Z[0];
    assert.equal(Z.heatmap.values[43], z.data[129]);
    assert.equal(Z.heatmap.values[0], (z.data[0] + z.data[1] + z.data[2]) / 3);
    // the mean of all values is the mean of the block means weighted by their sizes
    const m = run3.network.buffers.Z[0];
    assertClose(Z.mean, m.data.reduce((a, b) => a + b, 0) / m.data.length, 'mean');
    assert.ok(Z.heatmap.values.every((v) => v >= Z.min && v <= Z.max));
  });

  it('heatmap: block means, the last blocks smaller', () => {
    const M = matrix(3, 5, Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]));
    assert.deepEqual(heatmap(M, 2), { rows: 2, cols: 2, values: [(1 + 2 + 3 + 6 + 7 + 8) / 6, (4 + 5 + 9 + 10) / 4, 12, 14.5], downsampled: true, block: [2, 3] });
  });

  it('runTo reports each step on the way (the CLI prints a line every 2 s of them)', async () => {
    const seen: number[] = [];
    const r = await runTo(s, train, 4, { kernels: 'typescript', onStep: (done, total) => seen.push(done * 10 + total) });
    r.dispose();
    assert.deepEqual(seen, [14, 24, 34, 44]);
  });

  it('formulas for every activation and the MSE loss', () => {
    assert.equal(stepFormulas(1, 2, 'sigmoid', 'mse').dZ, 'dZ[1] = dA[1] * A[1](1 − A[1])');
    assert.equal(stepFormulas(1, 2, 'leaky_relu', 'mse').dZ, 'dZ[1] = dA[1] * (1 where Z[1] > 0, else 0.01)');
    assert.equal(stepFormulas(2, 2, 'linear', 'mse').dZ, 'dZ[2] = dA[2]');
    assert.equal(stepFormulas(2, 2, 'linear', 'mse').A, 'A[2] = Z[2]');
    assert.equal(stepFormulas(2, 2, 'linear', 'mse').dA, 'dA[2] = A[2] − Y');
    assert.equal(stepFormulas(1, 2, 'tanh', 'mse').Z, 'Z[1] = W[1] A[0] + b[1]');
    run3.dispose();
  });
});

describe('logistic regression as a computation graph, against NumPy', () => {
  const c = fixtures.cases.image;
  for (const [which, iteration] of [
    ['graph_initial', 0],
    ['graph_trained', c.graph_iteration],
  ] as const) {
    it(`step --graph --example ${c.graph_example} --iteration ${iteration}: x, w, b, z, a, L and da, dz, dw, db`, async () => {
      const r = await run('step', labSpec('image'), '--graph', '--example', String(c.graph_example), '--iteration', String(iteration), '--json');
      assert.equal(r.code, 0, r.err);
      const g = JSON.parse(r.out);
      const e = c[which];
      assert.equal(g.example, e.example);
      assert.equal(g.iteration, iteration);
      assert.equal(g.y, e.y);
      for (const k of ['x', 'w', 'dw']) {
        assert.equal(g[k].length, 12, k);
        g[k].forEach((v: number, i: number) => assertClose(v, e[k][i], `${k}[${i}]`));
      }
      for (const k of ['b', 'z', 'a', 'loss', 'da', 'dz', 'db']) assertClose(g[k], e[k], k);
      // the course's identities
      assert.equal(g.dz, g.a - g.y);
      assert.equal(g.db, g.dz);
      assert.deepEqual(g.formulas.dz, 'dz = dL/dz = a − y');
    });
  }

  it('the pixels of example K are the CSV row K times the scale', async () => {
    const g = JSON.parse((await run('step', labSpec('image'), '--graph', '--example', '2', '--json')).out);
    const { readFileSync } = await import('node:fs');
    const row = readFileSync(`${LAB}/pixels.csv`, 'utf8').split('\n')[3].split(',').map(Number);
    assert.deepEqual(g.x, row.slice(0, 12).map((v) => v * (1 / 255)));
    assert.equal(g.y, row[12]);
  });

  it('text: forward, then backward', async () => {
    const r = await run('step', labSpec('image'), '--graph', '--example', '4');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Logistic regression, example 4 at iteration 0: {2}x, w, b → z → a → L\(a, y\)\n/);
    assert.match(r.out, /\n {2}dz = dL\/dz = a − y = -0\.49817313711953\d*\n/);
    assert.ok(r.out.indexOf('Forward') < r.out.indexOf('Backward'));
  });
});
