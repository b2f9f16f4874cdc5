// One esbuild context per entry point: the extension host, the training worker, the data
// worker, the CLI and the designer webview. `--watch` rebuilds, `--production` minifies.
// Type checking is separate (`npm run typecheck`): esbuild does not type-check.
// First, AssemblyScript builds the WebAssembly matrix kernels into dist/kernels.wasm, which the
// worker and the CLI load at run time (scripts/build-wasm.mjs).
import * as esbuild from 'esbuild';
import { buildWasm } from './scripts/build-wasm.mjs';

await buildWasm({ quiet: true });

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

/** @type {import('esbuild').BuildOptions[]} */
const entries = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'h5wasm', 'h5wasm/*'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['h5wasm', 'h5wasm/*'],
    banner: { js: '#!/usr/bin/env node' },
  },
];

const optional = [
  {
    ...common,
    entryPoints: { worker: 'src/trainer/trainWorker.ts' },
    external: ['h5wasm', 'h5wasm/*'],
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { dataWorker: 'src/trainer/dataWorker.ts' },
    external: ['h5wasm', 'h5wasm/*'],
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { labWorker: 'src/lab/labWorker.ts' },
    external: ['h5wasm', 'h5wasm/*'],
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

import { existsSync } from 'node:fs';
for (const entry of optional) {
  const file = Object.values(entry.entryPoints)[0];
  if (existsSync(file)) entries.push(entry);
}

const contexts = await Promise.all(entries.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  console.log(`esbuild: watching ${contexts.length} entries`);
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
