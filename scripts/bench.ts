// `npm run bench [-- --json] [-- --reps N] [-- --only NAME] [-- --busy]`: trains the course's networks and a
// wider generated one with our engine and, in the same run, with the course's own NumPy code as
// a learner runs it (scripts/bench_numpy.py: the notebooks' functions, X in the course's layout,
// the cost every iteration, dA0 included) and with PyTorch (scripts/bench_torch.py, when a Python
// can import torch): same data, same initial parameters, same iterations, full-batch gradient
// descent in float64. Each side runs in a child process of its own (so that its peak memory is
// its own), the three in turn, `reps` times (default 3); the table gives the medians and the
// ratio of the medians. Ours runs bundled by esbuild, as the extension does
// (scripts/bench-child.ts), and like a training run computes the cost only where it is recorded
// (every 100 iterations and the last). Every side has one untimed iteration first (for us:
// packing X and compiling the kernels, reported as "setup"). A row's "same cost" says that our
// final cost equals NumPy's to 1e-9 relative.
//
// The last row is the whole job: `nnspec train examples/cat-4layer.nnspec` (the CLI, 2,500
// iterations: starting Node, reading the HDF5 files, the kernels, training, the accuracies,
// writing the model), timed from outside as a command, against the course's `L_layer_model`
// call for the same 2,500 iterations on data already loaded; in turn, `reps` times, medians.
//
// `--busy` runs a neighbour that keeps half of one core busy (4 ms on, 4 ms off, like an editor
// redrawing) for the whole bench: how each side holds up when it does not have both cores to
// itself.

import * as esbuild from 'esbuild';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseSpec } from '../src/language';
import type { Activation, InitScheme, Loss } from '../src/shared/model/spec';
import { loadDataset } from '../src/trainer/datasets';
import { matrix, type Matrix } from '../src/trainer/kernels';
import { layerDims } from '../src/trainer/model';
import { NumpyRandom } from '../src/trainer/numpyRandom';

const ROOT = path.resolve(__dirname, '..');

interface Case {
  network: string;
  iterations: number;
  /** an example spec, or a generated network */
  spec?: string;
  generated?: { dims: number[]; acts: Activation[]; m: number; lr: number; seed: number };
}

const CASES: Case[] = [
  { network: 'logistic-regression', spec: 'examples/logistic-regression.nnspec', iterations: 200 },
  { network: 'planar', spec: 'examples/planar.nnspec', iterations: 5000 },
  { network: 'cat-2layer', spec: 'examples/cat-2layer.nnspec', iterations: 100 },
  { network: 'cat-4layer', spec: 'examples/cat-4layer.nnspec', iterations: 100 },
  // an MNIST-sized fully connected net: wider layers, more examples
  { network: 'wide 784-256-128-1', generated: { dims: [784, 256, 128, 1], acts: ['relu', 'relu', 'sigmoid'], m: 2000, lr: 0.05, seed: 3 }, iterations: 20 },
];

/** What one side of a row is told: the network, its data (float64 files) and the iterations. */
export interface ChildConfig {
  x: string;
  y: string;
  n: number;
  m: number;
  dims: number[];
  acts: Activation[];
  loss: Loss;
  lr: number;
  seed: number;
  iterations: number;
  init: InitScheme['kind'];
  scale: number;
  /** dist/kernels.wasm (`npm run build` makes it) */
  wasm: string;
}

export interface SideResult {
  ms_per_iteration: number;
  cost: number;
  peak_mb: number;
  setup_ms?: number;
  kernels?: string;
  threads?: number;
}

/** A Python that can import `module`: $NNSPEC_BENCH_PYTHON, python3, then /usr/bin/python3. */
function pythonWith(module: string): string | undefined {
  const candidates = [process.env.NNSPEC_BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** What `py` prints when run with `args`, trimmed; "?" when it fails. */
function pythonSays(py: string, args: string[]): string {
  try {
    return execFileSync(py, args, { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

function version(py: string, expr: string): string {
  return pythonSays(py, ['-c', `print(${expr})`]);
}

/** The BLAS of `py`'s NumPy (scripts/bench_side.py): "scipy-openblas", "openblas", "mkl", or "blas", the reference one. */
function numpyBlas(py: string): string {
  return pythonSays(py, [path.join(ROOT, 'scripts', 'bench_side.py')]);
}

function runSide(command: string, args: string[]): SideResult {
  const out = execFileSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as SideResult;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Deterministic data for a generated network: features in [0, 1), labels from a fixed rule. */
function generatedData(n: number, m: number, seed: number): { X: Matrix; Y: Matrix } {
  const rng = new NumpyRandom(seed);
  const X = matrix(n, m);
  for (let i = 0; i < X.data.length; i++) X.data[i] = rng.randomSample();
  const Y = matrix(1, m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < n; i += 7) s += X.data[i * m + j] - 0.5;
    Y.data[j] = s > 0 ? 1 : 0;
  }
  return { X, Y };
}

async function caseConfig(c: Case, tmp: string): Promise<ChildConfig> {
  let X: Matrix;
  let Y: Matrix;
  let cfg: Omit<ChildConfig, 'x' | 'y' | 'n' | 'm' | 'iterations' | 'wasm'>;
  if (c.spec) {
    const file = path.join(ROOT, c.spec);
    const { spec } = parseSpec(readFileSync(file, 'utf8'));
    ({ X, Y } = await loadDataset(spec.train!, path.dirname(file)));
    cfg = {
      dims: layerDims(spec),
      acts: spec.layers.map((l) => l.activation),
      loss: spec.loss,
      lr: spec.learningRate,
      seed: spec.seed,
      init: spec.init.kind,
      scale: spec.init.kind === 'random' ? spec.init.scale : 0,
    };
  } else {
    const g = c.generated!;
    ({ X, Y } = generatedData(g.dims[0], g.m, g.seed));
    cfg = { dims: g.dims, acts: g.acts, loss: 'binary_cross_entropy', lr: g.lr, seed: g.seed, init: 'he', scale: 0 };
  }
  const x = path.join(tmp, `${c.network.replace(/\W+/g, '_')}.x.bin`);
  const y = path.join(tmp, `${c.network.replace(/\W+/g, '_')}.y.bin`);
  // X as the course has it before its `.T`: one example per row, (m, n)
  writeFileSync(x, transpose(X).data);
  writeFileSync(y, Y.data);
  return { ...cfg, x, y, n: X.rows, m: X.cols, iterations: c.iterations, wasm: path.join(ROOT, 'dist', 'kernels.wasm') };
}

function transpose(X: Matrix): Matrix {
  const T = matrix(X.cols, X.rows);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) T.data[j * X.rows + i] = X.data[i * X.cols + j];
  return T;
}

interface Row {
  network: string;
  iterations: number;
  ours_ms: number;
  numpy_ms: number;
  ratio: number;
  same_cost: boolean;
  torch_ms: number | null;
  torch_ratio: number | null;
  ours_setup_ms: number;
  ours_peak_mb: number;
  numpy_peak_mb: number;
  torch_peak_mb: number | null;
  kernels: string;
  /** the whole-job row: ours_ms and numpy_ms are the job's milliseconds, not per iteration */
  all_in?: true;
}

/** The spec of the whole-job row, and what its NumPy side runs. */
const ALL_IN = { network: 'cat-4layer 2,500 iterations, all in', spec: 'examples/cat-4layer.nnspec', iterations: 2500 };

/** `nnspec train SPEC` as a user runs it, timed from outside: milliseconds and the last cost. */
function cliJob(spec: string, out: string): { ms: number; cost: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', spec, '--out', out, '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`bench: nnspec train ${spec} failed: ${r.stderr.trim().split('\n').pop()}`);
  const costs = (JSON.parse(r.stdout) as { costs: [number, number][] }).costs;
  return { ms, cost: costs[costs.length - 1][1] };
}

async function bench(tmp: string, opts: { json: boolean; reps: number; only?: string; busy: boolean }): Promise<void> {
  const numpyPython = pythonWith('numpy');
  if (!numpyPython) throw new Error('bench: no Python with NumPy found (python3 or /usr/bin/python3; or set NNSPEC_BENCH_PYTHON)');
  const torchPython = pythonWith('torch');
  const blas = numpyBlas(numpyPython);
  const load = loadavg()[0];
  const machine = [
    `${cpus()[0]?.model ?? 'CPU'} x ${cpus().length}`,
    `Node ${process.versions.node}`,
    `NumPy ${version(numpyPython, '__import__("numpy").__version__')} with ${blas} (${numpyPython})`,
    torchPython ? `PyTorch ${version(torchPython, '__import__("torch").__version__')} (${torchPython})` : 'PyTorch: not found',
    `load average ${load.toFixed(2)}`,
    ...(opts.busy ? ['a neighbour busy 4 ms of every 8 on one core'] : []),
  ].join('; ');
  process.stderr.write(`bench: ${machine}\n`);
  if (load > 1) process.stderr.write('bench: the machine is busy (load average above 1): ratios taken now are not comparable\n');
  if (blas === 'blas') {
    process.stderr.write(
      `bench: ${numpyPython}'s NumPy uses the reference BLAS (one core, unoptimised), not what a learner's pip or conda NumPy has: ` +
        'set NNSPEC_BENCH_PYTHON to a Python whose NumPy has OpenBLAS or MKL\n',
    );
  }
  // our side runs as the extension and the CLI do: bundled by esbuild (as `npm run build` bundles)
  const oursScript = path.join(tmp, 'bench-child.js');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'scripts', 'bench-child.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: oursScript, logLevel: 'warning' });
  const rows: Row[] = [];
  for (const c of CASES) {
    if (opts.only && !c.network.includes(opts.only)) continue;
    const cfg = await caseConfig(c, tmp);
    const arg = JSON.stringify(cfg);
    const ours: SideResult[] = [];
    const numpy: SideResult[] = [];
    const torch: SideResult[] = [];
    for (let r = 0; r < opts.reps; r++) {
      ours.push(runSide(process.execPath, [oursScript, arg]));
      numpy.push(runSide(numpyPython, [path.join(ROOT, 'scripts', 'bench_numpy.py'), arg]));
      if (torchPython) torch.push(runSide(torchPython, [path.join(ROOT, 'scripts', 'bench_torch.py'), arg]));
    }
    const oursMs = median(ours.map((s) => s.ms_per_iteration));
    const numpyMs = median(numpy.map((s) => s.ms_per_iteration));
    const torchMs = torch.length ? median(torch.map((s) => s.ms_per_iteration)) : null;
    const cost = ours[0].cost;
    rows.push({
      network: c.network,
      iterations: c.iterations,
      ours_ms: oursMs,
      numpy_ms: numpyMs,
      ratio: oursMs / numpyMs,
      same_cost: Math.abs(numpy[0].cost - cost) <= 1e-9 * Math.abs(numpy[0].cost),
      torch_ms: torchMs,
      torch_ratio: torchMs === null ? null : oursMs / torchMs,
      ours_setup_ms: median(ours.map((s) => s.setup_ms ?? 0)),
      ours_peak_mb: Math.max(...ours.map((s) => s.peak_mb)),
      numpy_peak_mb: Math.max(...numpy.map((s) => s.peak_mb)),
      torch_peak_mb: torch.length ? Math.max(...torch.map((s) => s.peak_mb)) : null,
      kernels: ours[0].kernels ?? '?',
    });
    if (!opts.json) process.stderr.write(`bench: ${c.network} done\n`);
  }
  if (!opts.only || ALL_IN.network.includes(opts.only)) {
    const c = CASES.find((k) => k.spec === ALL_IN.spec)!;
    const cfg = { ...(await caseConfig({ ...c, iterations: ALL_IN.iterations }, tmp)), all_in: true };
    const ours: { ms: number; cost: number }[] = [];
    const numpy: { seconds: number; cost: number }[] = [];
    for (let r = 0; r < opts.reps; r++) {
      ours.push(cliJob(path.join(ROOT, ALL_IN.spec), path.join(tmp, 'all-in.model.json')));
      numpy.push(runSide(numpyPython, [path.join(ROOT, 'scripts', 'bench_numpy.py'), JSON.stringify(cfg)]) as unknown as { seconds: number; cost: number });
    }
    const oursMs = median(ours.map((s) => s.ms));
    const numpyMs = median(numpy.map((s) => s.seconds * 1000));
    rows.push({
      network: ALL_IN.network,
      iterations: ALL_IN.iterations,
      ours_ms: oursMs,
      numpy_ms: numpyMs,
      ratio: oursMs / numpyMs,
      same_cost: Math.abs(numpy[0].cost - ours[0].cost) <= 1e-9 * Math.abs(numpy[0].cost),
      torch_ms: null,
      torch_ratio: null,
      ours_setup_ms: 0,
      ours_peak_mb: 0,
      numpy_peak_mb: 0,
      torch_peak_mb: null,
      kernels: rows[0]?.kernels ?? '?',
      all_in: true,
    });
    if (!opts.json) process.stderr.write(`bench: ${ALL_IN.network} done\n`);
  }
  const endLoad = loadavg()[0];
  process.stderr.write(`bench: load average at the end ${endLoad.toFixed(2)}\n`);
  if (opts.json) {
    process.stdout.write(JSON.stringify(rows) + '\n');
    return;
  }
  const f = (x: number | null, d = 2): string => (x === null ? '–' : x.toFixed(d));
  const perIteration = rows.filter((r) => !r.all_in);
  const table = [
    ['network', 'iterations', 'ours ms/it', 'NumPy ms/it', 'ours / NumPy', 'PyTorch ms/it', 'ours / PyTorch', 'same cost', 'setup ms', 'peak MB ours / NumPy / PyTorch'],
    ...perIteration.map((r) => [
      r.network,
      String(r.iterations),
      f(r.ours_ms, r.ours_ms < 1 ? 3 : 2),
      f(r.numpy_ms, r.numpy_ms < 1 ? 3 : 2),
      f(r.ratio),
      f(r.torch_ms, r.torch_ms !== null && r.torch_ms < 1 ? 3 : 2),
      f(r.torch_ratio),
      r.same_cost ? 'yes' : 'NO',
      f(r.ours_setup_ms, 0),
      `${f(r.ours_peak_mb, 0)} / ${f(r.numpy_peak_mb, 0)} / ${f(r.torch_peak_mb, 0)}`,
    ]),
  ];
  const widths = table[0].map((_, i) => table.reduce((w, row) => Math.max(w, row[i].length), 0));
  for (const row of table) process.stdout.write(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd() + '\n');
  const whole = rows.find((r) => r.all_in);
  if (whole) {
    process.stdout.write(
      `\n${whole.network}: ours ${f(whole.ours_ms / 1000)} s (nnspec train, the whole command), ` +
        `NumPy ${f(whole.numpy_ms / 1000)} s (the course's L_layer_model, data loaded): ours / NumPy ${f(whole.ratio)}, same cost ${whole.same_cost ? 'yes' : 'NO'}\n`,
    );
  }
  process.stdout.write(`\n${machine}; ours: ${rows[0]?.kernels ?? '?'}; medians of ${opts.reps} runs per side\n`);
}

/** The `--busy` neighbour: 4 ms of work, 4 ms of sleep, until it is killed. */
const NEIGHBOUR = 'const s = new Int32Array(new SharedArrayBuffer(4)); for (;;) { const t = Date.now(); while (Date.now() - t < 4); Atomics.wait(s, 0, 0, 4); }';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const busy = argv.includes('--busy');
  const repsAt = argv.indexOf('--reps');
  const reps = repsAt >= 0 ? Math.max(1, Number(argv[repsAt + 1]) || 3) : 3;
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  const tmp = mkdtempSync(path.join(tmpdir(), 'nnspec-bench-'));
  // the data handed to the other sides is up to 20 MB per network: never leave it behind, even on Ctrl-C
  const cleanUp = (): void => rmSync(tmp, { recursive: true, force: true });
  const neighbour = busy ? spawn(process.execPath, ['-e', NEIGHBOUR], { stdio: 'ignore' }) : undefined;
  const interrupted = (signal: NodeJS.Signals): void => {
    neighbour?.kill();
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await bench(tmp, { json, reps, only, busy });
  } finally {
    neighbour?.kill();
    cleanUp();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
