// Shared by the export tests (not a test file itself): finding a Python that imports what a
// test needs, running Python code, inputs, and comparing numbers to a relative tolerance.

import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { untrainedModel, type ExportModel } from '../../../src/export';
import type { NetworkSpec } from '../../../src/shared/model/spec';
import type { SavedModel } from '../../../src/shared/model/results';
import { matrix } from '../../../src/trainer/kernels';
import { forward } from '../../../src/trainer/model';
import { NumpyRandom } from '../../../src/trainer/numpyRandom';
import { modelParameters } from '../../../src/trainer/savedModel';

const found = new Map<string, string | null>();

/**
 * The first Python (Debian's /usr/bin/python3 first, then python3 on PATH) that imports every
 * module, or null. Checked once per module list.
 */
export function findPython(...modules: string[]): string | null {
  const key = modules.join(',');
  if (!found.has(key)) {
    let hit: string | null = null;
    for (const candidate of ['/usr/bin/python3', 'python3']) {
      const r = spawnSync(candidate, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8', timeout: 60_000 });
      if (r.status === 0) {
        hit = candidate;
        break;
      }
    }
    found.set(key, hit);
  }
  return found.get(key)!;
}

/** Why a test is skipped when no Python has the modules. */
export function noPython(...modules: string[]): string {
  return `no Python with ${modules.join(' and ')} on this machine (tried /usr/bin/python3 and python3; Debian: apt-get install ${modules.map((m) => `python3-${m}`).join(' ')})`;
}

/** Runs `python -c code args...`; resolves with stdout, rejects with stderr. */
export function runPython(python: string, code: string, args: string[] = [], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(python, ['-c', code, ...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${python} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Inputs X (n, m), row-major, standard normal times `scale` (a fixed stream per seed). */
export function randomInputs(n: number, m: number, seed: number, scale = 1): Float64Array {
  return Float64Array.from(new NumpyRandom(seed).randn(n * m), (v) => v * scale);
}

/** Transpose of a row-major (rows, cols) array. */
export function transpose(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

/** Asserts |a − e| ≤ tol·|e| for every value (exact zeros must be zero), naming the first that is not. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, expected ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const err = e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e);
    if (!(err <= (e === 0 ? 1e-300 : tol))) assert.fail(`${what}[${i}]: ${a}, expected ${e} (relative error ${err.toExponential(2)} > ${tol})`);
    worst = Math.max(worst, err);
  }
}

/** nnspec's own forward pass of an exported network: A[L] (n[L], m), row-major. */
export function referenceAL(model: ExportModel, X: Float64Array, m: number): Float64Array {
  const params = modelParameters({ parameters: model.parameters } as SavedModel);
  const input = matrix(model.spec.inputSize!, m, X);
  return forward(params, model.spec.layers.map((l) => l.activation), input).AL.data;
}

/** A small spec's network, untrained (its initial parameters). */
export function specModel(spec: Partial<NetworkSpec> & Pick<NetworkSpec, 'inputSize' | 'layers'>, name = 'test net'): ExportModel {
  const full: NetworkSpec = { name, loss: 'binary_cross_entropy', init: { kind: 'he' }, seed: 3, learningRate: 0.1, iterations: 100, printEvery: 10, ...spec };
  return untrainedModel(full, `${name.replace(/ /g, '-')}.nnspec`);
}

/** The float64 arrays of an `.npz` written by nnspec (stored zip of format-1.0 `.npy` files). */
export function readNpz(bytes: Uint8Array): Record<string, { shape: number[]; data: Float64Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, { shape: number[]; data: Float64Array }> = {};
  let p = 0;
  while (view.getUint32(p, true) === 0x04034b50) {
    const size = view.getUint32(p + 18, true);
    const nameLen = view.getUint16(p + 26, true);
    const start = p + 30 + nameLen + view.getUint16(p + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 30, p + 30 + nameLen)).replace(/\.npy$/, '');
    const npy = bytes.subarray(start, start + size);
    const headerLen = npy[8] | (npy[9] << 8);
    const header = new TextDecoder().decode(npy.subarray(10, 10 + headerLen));
    assert.match(header, /'descr': '<f8', 'fortran_order': False/);
    const shape = /'shape': \(([^)]*)\)/.exec(header)![1].split(',').filter((s) => s.trim()).map(Number);
    // a copy: a Buffer's slice shares its pool, so its .buffer is not these bytes
    out[name] = { shape, data: new Float64Array(Uint8Array.from(npy.subarray(10 + headerLen)).buffer) };
    p = start + size;
  }
  return out;
}
