// Builds the WebAssembly SIMD matrix kernels (src/trainer/wasm/kernels.as.ts, AssemblyScript)
// into dist/kernels.wasm, and the kernel helper thread (src/trainer/wasm/kernelHelper.ts) into
// dist/kernelHelper.js. Run by esbuild.mjs as part of `npm run build`, and by the unit tests'
// script (the TypeScript sources load both from dist/); AssemblyScript comes from the npm
// registry (no download step). The memory is imported and shared, so that the training thread
// and its helper thread run the same module over the same buffers; there is no runtime, no data
// segment and no import other than the memory.
import asc from 'assemblyscript/asc';
import * as esbuild from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = path.join(root, 'src/trainer/wasm/kernels.as.ts');
export const OUTPUT = path.join(root, 'dist/kernels.wasm');
export const HELPER = path.join(root, 'dist/kernelHelper.js');

/** 65536 pages = 4 GiB: the most a 32-bit WebAssembly memory can hold. */
export const MAX_PAGES = 65536;

export async function buildWasm({ quiet = false, production = false } = {}) {
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main([
    path.relative(root, SOURCE),
    '--outFile', path.relative(root, OUTPUT),
    '-O3', '--noAssert',
    '--runtime', 'stub',
    '--use', 'abort=',
    '--enable', 'simd',
    '--enable', 'threads',
    '--importMemory', '--sharedMemory',
    '--initialMemory', '1', '--maximumMemory', String(MAX_PAGES),
    '--noExportMemory',
  ], { stdout: quiet ? asc.createMemoryStream() : process.stdout, stderr, baseDir: root });
  if (error) throw new Error(`AssemblyScript could not build ${path.relative(root, SOURCE)}: ${error.message}\n${stderr.toString()}`);
  await esbuild.build({
    entryPoints: [path.join(root, 'src/trainer/wasm/kernelHelper.ts')],
    outfile: HELPER,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'warning',
  });
  return statSync(OUTPUT).size;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bytes = await buildWasm();
  console.log(`wasm: ${path.relative(root, OUTPUT)} (${bytes} bytes)`);
}
