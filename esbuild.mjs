// One esbuild context per entry point: the extension host, the training worker, the data
// worker, the CLI and the designer webview. `--watch` rebuilds, `--production` minifies.
// Type checking is separate (`npm run typecheck`): esbuild does not type-check.
// First, AssemblyScript builds the WebAssembly matrix kernels into dist/kernels.wasm, and esbuild
// their helper thread into dist/kernelHelper.js, which the workers and the CLI load at run time
// (scripts/build-wasm.mjs).
import * as esbuild from 'esbuild';
import { buildWasm } from './scripts/build-wasm.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

await buildWasm({ quiet: true, production });

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  outdir: 'dist',
};

/** The extension host, the CLI and the three workers run on Node; h5wasm is loaded at run time. */
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['h5wasm', 'h5wasm/*'] };

/** @type {import('esbuild').BuildOptions[]} */
const entries = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, external: ['vscode', ...node.external] },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: { worker: 'src/trainer/trainWorker.ts' } },
  { ...node, entryPoints: { dataWorker: 'src/trainer/dataWorker.ts' } },
  { ...node, entryPoints: { labWorker: 'src/lab/labWorker.ts' } },
  { ...common, entryPoints: { webview: 'webview/main.ts' }, platform: 'browser', format: 'iife', target: 'es2022' },
];

const contexts = await Promise.all(entries.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  console.log(`esbuild: watching ${contexts.length} entries`);
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
