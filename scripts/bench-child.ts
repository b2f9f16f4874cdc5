// Our side of `npm run bench` (scripts/bench.ts), one row in its own process: bundled by the
// bench with esbuild as the extension's bundles are, then run with the row's config as argv[2].
// Trains the network on the WebAssembly kernels (two threads) as a training run does, and prints
// JSON {"ms_per_iteration", "cost", "peak_mb", "setup_ms", "kernels", "threads"}.

import { readFileSync } from 'node:fs';
import type { InitScheme } from '../src/shared/model/spec';
import { typescriptBackend } from '../src/trainer/backend';
import { matrix } from '../src/trainer/kernels';
import { Network } from '../src/trainer/model';
import { createWasmBackend } from '../src/trainer/wasm/wasmBackend';
import type { ChildConfig, SideResult } from './bench';

async function main(cfg: ChildConfig): Promise<void> {
  const floats = (file: string): Float64Array => {
    const b = readFileSync(file);
    return new Float64Array(b.buffer, b.byteOffset, b.length / 8).slice();
  };
  // X as the course has it before its `.T`, one example per row: ours is (n, m), examples in columns
  const rows = floats(cfg.x);
  const X = matrix(cfg.n, cfg.m);
  for (let j = 0; j < cfg.m; j++) for (let i = 0; i < cfg.n; i++) X.data[i * cfg.m + j] = rows[j * cfg.n + i];
  const Y = matrix(1, cfg.m, floats(cfg.y));
  const init: InitScheme = cfg.init === 'random' ? { kind: 'random', scale: cfg.scale } : { kind: cfg.init };
  const { backend: wasm, reason } = await createWasmBackend({ wasmPath: cfg.wasm });
  const backend = wasm ?? typescriptBackend;
  if (reason) process.stderr.write(`bench: ${reason}\n`);
  const start = performance.now();
  const net = new Network(backend, cfg.dims, cfg.acts, cfg.loss, init, cfg.seed, X, Y);
  net.step(cfg.lr);
  const setup = performance.now() - start;
  const t0 = performance.now();
  // as a training run does: the cost is computed when it is recorded (every 100 iterations, and the last)
  for (let i = 1; i < cfg.iterations; i++) net.step(cfg.lr, undefined, i % 100 === 0 || i === cfg.iterations - 1);
  const ms = (performance.now() - t0) / (cfg.iterations - 1);
  const cost = net.lastCost()!;
  backend.dispose();
  const result: SideResult = {
    ms_per_iteration: ms,
    cost,
    peak_mb: peakMb(),
    setup_ms: setup,
    kernels: backend.description,
    threads: backend.threads,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main(JSON.parse(process.argv[2]) as ChildConfig).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});

/**
 * This process's own peak resident memory: VmHWM belongs to the program exec'd here, while
 * maxRSS also counts the parent's memory at the fork (the bench holds the data sets).
 */
function peakMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: the rusage figure
  }
  return process.resourceUsage().maxRSS / 1024;
}
