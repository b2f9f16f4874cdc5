// The NumPy, PyTorch and course-code exports, run in Python: the NumPy and PyTorch files give
// nnspec's predictions to 1e-12 relative; the course code, run as it is, prints the costs that
// `nnspec train` records (1e-9 relative) and the same accuracies. Each part is skipped, with
// a notice, when no Python on the machine imports what it needs.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildExport, exportTarget, loadExportModel, writeExport, type ExportModel } from '../../../src/export';
import { encodeNpz } from '../../../src/export/npz';
import { runCli, tempSpecs } from '../harness/cliHarness';
import { assertClose, findPython, noPython, randomInputs, referenceAL, runPython, specModel } from '../harness/exportHarness';

const ROOT = path.resolve(__dirname, '../../..');
const { dir, spec: writeSpec } = tempSpecs('nnspec-export-py-');

const NETS: { name: string; model: ExportModel }[] = [
  {
    name: 'all_activations',
    model: specModel({ inputSize: 3, layers: [{ units: 5, activation: 'leaky_relu' }, { units: 4, activation: 'tanh' }, { units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] }),
  },
  {
    name: 'linear_output',
    model: specModel({ inputSize: 4, loss: 'mse', init: { kind: 'xavier' }, seed: 7, layers: [{ units: 6, activation: 'sigmoid' }, { units: 1, activation: 'linear' }] }),
  },
];
const M = 50;

/** Writes each net's export in `format` into its own folder, and the inputs X (n_x, m) beside. */
async function writeNets(format: 'numpy' | 'pytorch'): Promise<{ name: string; main: string; script: string; inputs: string; model: ExportModel; X: Float64Array }[]> {
  return Promise.all(
    NETS.map(async ({ name, model }, k) => {
      const folder = path.join(dir, format, name);
      mkdirSync(folder, { recursive: true });
      const files = await buildExport(model, format, exportTarget(format, `${name}.nnspec`, folder + path.sep));
      writeExport(files);
      const nx = model.spec.inputSize!;
      const X = randomInputs(nx, M, 30 + k, 1.5);
      const inputs = path.join(folder, 'inputs.npz');
      writeFileSync(inputs, encodeNpz([{ name: 'X', shape: [nx, M], data: X }]));
      return { name, main: files[0].path, script: files.find((f) => f.path.endsWith('.py'))!.path, inputs, model, X };
    }),
  );
}

describe('NumPy export, run in Python', () => {
  const python = findPython('numpy');
  it('L_model_forward gives nnspec\u2019s A[L] to 1e-12 relative, and predict its 0/1 predictions', async (t) => {
    if (!python) return t.skip(noPython('numpy'));
    const nets = await writeNets('numpy');
    assert.deepEqual(nets.map((n) => path.basename(n.main)), ['all_activations.npz', 'linear_output.npz']);
    const out = await runPython(
      python,
      `import importlib.util, json, sys
import numpy as np
results = []
for script, inputs in zip(sys.argv[1::2], sys.argv[2::2]):
    spec = importlib.util.spec_from_file_location("exported", script)
    net = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(net)
    parameters = net.load_parameters()
    X = np.load(inputs)["X"]
    AL, caches = net.L_model_forward(X, parameters)
    results.append({"AL": AL.ravel().tolist(), "p": net.predict(X, parameters).ravel().tolist(), "caches": len(caches),
                    "shapes": {k: list(v.shape) for k, v in parameters.items()}})
print(json.dumps(results))`,
      nets.flatMap((n) => [n.script, n.inputs]),
    );
    const results = JSON.parse(out);
    nets.forEach((net, k) => {
      const expected = referenceAL(net.model, net.X, M);
      assertClose(results[k].AL, expected, 1e-12, `${net.name} AL`);
      assert.deepEqual(results[k].p, Array.from(expected, (a) => +(a > 0.5)));
      assert.equal(results[k].caches, net.model.spec.layers.length);
    });
    assert.deepEqual(results[0].shapes, { W1: [5, 3], b1: [5, 1], W2: [4, 5], b2: [4, 1], W3: [3, 4], b3: [3, 1], W4: [1, 3], b4: [1, 1] });
  });
});

describe('PyTorch export, run in Python', () => {
  const python = findPython('numpy', 'torch');
  it('the nn.Sequential (float64, batch first) gives nnspec\u2019s A[L] to 1e-12 relative', async (t) => {
    if (!python) return t.skip(noPython('numpy', 'torch'));
    const nets = await writeNets('pytorch');
    assert.deepEqual(nets.map((n) => path.basename(n.main)), ['all_activations_torch.py', 'linear_output_torch.py']);
    const out = await runPython(
      python,
      `import importlib.util, json, sys
import numpy as np
import torch
results = []
for script, inputs in zip(sys.argv[1::2], sys.argv[2::2]):
    spec = importlib.util.spec_from_file_location("exported", script)
    net = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(net)
    model = net.load_model()
    x = torch.from_numpy(np.ascontiguousarray(np.load(inputs)["X"].T))  # batch first: (N, n_x)
    with torch.no_grad():
        out = model(x)
    results.append({"AL": out.numpy().T.ravel().tolist(), "dtype": str(out.dtype), "shape": list(out.shape),
                    "p": net.predict(model, x).numpy().T.ravel().tolist(), "modules": [type(m).__name__ for m in model]})
print(json.dumps(results))`,
      nets.flatMap((n) => [n.script, n.inputs]),
    );
    const results = JSON.parse(out);
    nets.forEach((net, k) => {
      const expected = referenceAL(net.model, net.X, M);
      assertClose(results[k].AL, expected, 1e-12, `${net.name} output`);
      assert.deepEqual(results[k].p, Array.from(expected, (a) => +(a > 0.5)));
      assert.equal(results[k].dtype, 'torch.float64');
      assert.deepEqual(results[k].shape, [M, 1]);
    });
    assert.deepEqual(results[0].modules, ['Linear', 'LeakyReLU', 'Linear', 'Tanh', 'Linear', 'ReLU', 'Linear', 'Sigmoid']);
    assert.deepEqual(results[1].modules, ['Linear', 'Sigmoid', 'Linear', 'Identity']);
  });
});

// ---------------------------------------------------------------------------- course code

/** A CSV with 3 features and 0/1 labels in the first column `y` (so label= is exercised). */
function csvText(m: number, seed: number): string {
  const x = randomInputs(3, m, seed);
  const rows = ['y,x1,"x 2",x3'];
  for (let j = 0; j < m; j++) {
    const [a, b, c] = [x[j], x[m + j], x[2 * m + j]];
    rows.push(`${+(a * b - c > 0.1)},${a},${b},${c}`);
  }
  return rows.join('\n') + '\n';
}

writeSpec('data/train.csv', csvText(80, 41));
writeSpec('data/test.csv', csvText(40, 42));

const COURSE_SPECS: { what: string; name: string; text: string }[] = [
  {
    what: 'CSV data with label=, a test set, he init, ReLU and leaky ReLU',
    name: 'csv_net.nnspec',
    text: `network "csv net"
input 3
dense 4 relu
dense 3 leaky_relu
dense 1 sigmoid
data train "data/train.csv" label=y
data test "data/test.csv" label=y
init he
seed 3
learning_rate 0.05
iterations 300
print_every 10
`,
  },
  {
    what: 'a generated set (from the data .npz) with scale=, xavier init, tanh, mse',
    name: 'flower_mse.nnspec',
    text: `input 2
dense 5 tanh
dense 1 sigmoid
loss mse
data train flower m=120 scale=1/4
data test flower m=60 seed=5 scale=1/4
init xavier
seed 5
learning_rate 0.5
iterations 300
print_every 25
`,
  },
  {
    what: 'random init, leaky ReLU and a linear output (mse)',
    name: 'moons_linear.nnspec',
    text: `input 2
dense 4 leaky_relu
dense 1 linear
loss mse
data train moons m=60
init random 0.5
seed 11
learning_rate 0.01
iterations 200
print_every 20
`,
  },
  {
    what: 'logistic regression from zeros',
    name: 'logistic.nnspec',
    text: `input 3
dense 1 sigmoid
data train "data/train.csv" label=y
init zeros
learning_rate 0.1
iterations 150
print_every 50
`,
  },
];

/** "Cost after iteration i: c" lines and the accuracy lines of a run's output. */
function parseRun(out: string): { costs: [number, number][]; train?: string; test?: string } {
  const costs = [...out.matchAll(/^Cost after iteration (\d+): (\S+)$/gm)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
  return { costs, train: /^Train accuracy: (.*)$/m.exec(out)?.[1], test: /^Test accuracy: (.*)$/m.exec(out)?.[1] };
}

function runScript(python: string, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(python, [script], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

function assertSameRun(python: string, nnspec: { costs: [number, number][]; train_accuracy: number; test_accuracy: number | null }, out: string): void {
  const run = parseRun(out);
  assert.deepEqual(run.costs.map((c) => c[0]), nnspec.costs.map((c) => c[0]), 'the same iterations are printed');
  assertClose(run.costs.map((c) => c[1]), nnspec.costs.map((c) => c[1]), 1e-9, `costs (${python})`);
  const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
  assert.equal(run.train, pct(nnspec.train_accuracy));
  assert.equal(run.test, nnspec.test_accuracy === null ? undefined : pct(nnspec.test_accuracy));
}

/**
 * The cat net's course export and its `nnspec train --json`, in one child process started at
 * once: h5wasm loads in well under a second with tsx's CommonJS hook only (see docs/trainer.md),
 * and the child runs while the tests above do.
 */
const catChild: Promise<[string, string]> = (() => {
  const cat = path.join(ROOT, 'examples/data');
  const spec = writeSpec(
    'cat_small.nnspec',
    `input 64x64x3
dense 3 relu
dense 1 sigmoid
data train "${path.join(cat, 'train_catvnoncat.h5')}" x=train_set_x y=train_set_y scale=1/255
data test "${path.join(cat, 'test_catvnoncat.h5')}" x=test_set_x y=test_set_y scale=1/255
init xavier
learning_rate 0.0075
iterations 4
print_every 1
`,
  );
  const code = `const { main } = require(${JSON.stringify(path.join(ROOT, 'src/cli.ts'))});
(async () => {
  const outs = [];
  for (const argv of ${JSON.stringify([
    ['export', spec, '--format', 'course', '--out', path.join(dir, 'cat_course.py'), '--json'],
    ['train', spec, '--json'],
  ])}) {
    let out = '';
    const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => process.stderr.write(s) });
    if (code !== 0) throw new Error(argv[0] + ' exited with ' + code);
    outs.push(out);
  }
  process.stdout.write(JSON.stringify(outs));
})().catch((err) => { console.error(err); process.exit(1); });`;
  const child = new Promise<[string, string]>((resolve, reject) =>
    execFile(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', code], { cwd: ROOT }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
  child.catch(() => undefined); // reported by the test
  return child;
})();

describe('course code (Show as course code), run as it is', () => {
  const python = findPython('numpy');
  for (const c of COURSE_SPECS) {
    it(`prints nnspec's costs (1e-9 relative) and accuracies: ${c.what}`, async (t) => {
      if (!python) return t.skip(noPython('numpy'));
      const spec = writeSpec(c.name, c.text);
      const outDir = path.join(dir, 'course');
      mkdirSync(outDir, { recursive: true });
      const exported = await runCli('export', spec, '--format', 'course', '--out', outDir, '--json');
      assert.equal(exported.code, 0, exported.err);
      const { files, untrained } = JSON.parse(exported.out);
      assert.equal(untrained, true);
      const trained = await runCli('train', spec, '--json');
      assert.equal(trained.code, 0, trained.err);
      assertSameRun(python, JSON.parse(trained.out), await runScript(python, files[0]));
    });
  }

  it("initialises bit for bit as nnspec does (np.random.seed, randn, the scheme's scale or division)", async (t) => {
    if (!python) return t.skip(noPython('numpy'));
    const initDir = path.join(dir, 'init');
    mkdirSync(initDir, { recursive: true });
    const scripts: string[] = [];
    const expected: string[][] = [];
    const hex = (values: number[]): string => Buffer.from(new Float64Array(values).buffer).toString('hex');
    for (const c of COURSE_SPECS) {
      const spec = path.join(dir, c.name);
      const out = await runCli('export', spec, '--format', 'course', '--out', initDir, '--json');
      assert.equal(out.code, 0, out.err);
      scripts.push(JSON.parse(out.out).files[0]);
      // nnspec's initial parameters: what the trainer starts from (an untrained export holds them)
      const model = await loadExportModel(spec, { format: 'numpy', untrained: true });
      expected.push(model.parameters.flatMap(({ W, b }) => [hex(W.flat()), hex(b)]));
    }
    const out = await runPython(
      python,
      `import importlib.util, json, sys
import numpy as np
results = []
for script in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("course", script)
    course = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course)
    p = course.initialize_parameters_deep(course.layers_dims)
    L = len(course.layers_dims) - 1
    results.append([p[k + str(l)].astype("<f8").tobytes().hex() for l in range(1, L + 1) for k in ("W", "b")])
print(json.dumps(results))`,
      scripts,
    );
    assert.deepEqual(JSON.parse(out), expected);
  });

  it('reads an HDF5 file through the data .npz when h5py is missing (the cat net, 4 iterations)', async (t) => {
    if (!python) return t.skip(noPython('numpy'));
    const [exported, trained] = await catChild;
    const { files } = JSON.parse(exported);
    assert.deepEqual(files.map((f: string) => path.basename(f)), ['cat_course.py', 'cat_course_data.npz']);
    const hasH5py = findPython('h5py') === python;
    const out = await runScript(python, files[0]);
    assertSameRun(python, JSON.parse(trained), out);
    if (!hasH5py) {
      // the images went in as uint8 (209 · 12288 bytes), not as 8-byte floats
      const sizes = JSON.parse(await runPython(python, 'import json, sys, numpy as np\nd = np.load(sys.argv[1])\nprint(json.dumps({k: [d[k].dtype.str, list(d[k].shape)] for k in d.files}))', [files[1]]));
      assert.deepEqual(sizes, { train_x: ['|u1', [12288, 209]], train_y: ['<f8', [1, 209]], test_x: ['|u1', [12288, 50]], test_y: ['<f8', [1, 50]] });
    }
  });
});
