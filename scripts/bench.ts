// `npm run bench`: trains the course's networks with our engine and, in the same run, with
// the NumPy implementation of the same formulas (scripts/bench_numpy.py), and prints the time
// per iteration and the ratio ours / NumPy. Same data, same initialisation, same iterations.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseSpec } from '../src/language';
import { loadDataset } from '../src/trainer/datasets';
import { initializeParameters, layerDims, trainStep } from '../src/trainer/model';

const ROOT = path.resolve(__dirname, '..');
const CASES = [
  { spec: 'examples/planar.nnspec', iterations: 2000 },
  { spec: 'examples/logistic-regression.nnspec', iterations: 100 },
  { spec: 'examples/cat-2layer.nnspec', iterations: 20 },
  { spec: 'examples/cat-4layer.nnspec', iterations: 20 },
];

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'nnspec-bench-'));
  // the data handed to NumPy is up to 20 MB per network: never leave it behind, even on Ctrl-C
  const cleanUp = (): void => rmSync(tmp, { recursive: true, force: true });
  const interrupted = (signal: NodeJS.Signals): void => {
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await bench(tmp);
  } finally {
    cleanUp();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

async function bench(tmp: string): Promise<void> {
  const rows: string[][] = [['network', 'iterations', 'ours ms/it', 'NumPy ms/it', 'ours / NumPy', 'same cost']];
  for (const c of CASES) {
    const file = path.join(ROOT, c.spec);
    const { spec } = parseSpec(readFileSync(file, 'utf8'));
    const data = await loadDataset(spec.train!, path.dirname(file));
    const dims = layerDims(spec);
    const acts = spec.layers.map((l) => l.activation);
    const params = initializeParameters(dims, spec.init, spec.seed);
    // warm up the JIT on a copy, then time
    const warm = initializeParameters(dims, spec.init, spec.seed);
    trainStep(warm, acts, spec.loss, data.X, data.Y, spec.learningRate);
    const start = process.hrtime.bigint();
    let cost = 0;
    for (let i = 0; i < c.iterations; i++) cost = trainStep(params, acts, spec.loss, data.X, data.Y, spec.learningRate);
    const ours = Number(process.hrtime.bigint() - start) / 1e6 / c.iterations;
    const x = path.join(tmp, 'x.bin');
    const y = path.join(tmp, 'y.bin');
    writeFileSync(x, data.X.data);
    writeFileSync(y, data.Y.data);
    const cfg = {
      x, y, n: data.X.rows, m: data.X.cols, dims, acts, loss: spec.loss, lr: spec.learningRate, seed: spec.seed, iterations: c.iterations,
      init: spec.init.kind, scale: spec.init.kind === 'random' ? spec.init.scale : 0,
    };
    const numpy = JSON.parse(execFileSync('python3', [path.join(ROOT, 'scripts', 'bench_numpy.py'), JSON.stringify(cfg)], { encoding: 'utf8' }));
    const same = Math.abs(numpy.cost - cost) <= 1e-9 * Math.abs(numpy.cost);
    rows.push([path.basename(c.spec, '.nnspec'), String(c.iterations), ours.toFixed(2), numpy.ms_per_iteration.toFixed(2), (ours / numpy.ms_per_iteration).toFixed(2), same ? 'yes' : `no (${cost} vs ${numpy.cost})`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i])).join('  '));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
