// HDF5 data files (the course's cat pictures), read through h5wasm: the datasets the spec names,
// their shapes checked before their values are read, the examples turned into columns.

import type { Limits } from '../../shared/model/limits';
import type { FileDataSource } from '../../shared/model/spec';
import { DataError, excerpt, excerptList } from '../errors';
import { matrix, type Matrix } from '../kernels';
import { checkBudget } from './files';

interface H5Dataset {
  shape: number[] | null;
  value: unknown;
  /** HDF5's type class (0 integer, 1 float, ...) and element size in bytes */
  metadata?: { type?: number; size?: number };
}
interface H5File {
  file_id: bigint | number;
  keys(): string[];
  get(name: string): unknown;
  close(): void;
}
interface H5Library {
  ready: Promise<H5Wasm>;
  File: new (file: string, mode: string) => H5File;
}
/** The emscripten module behind h5wasm: only the parts used here. */
interface H5Wasm {
  activate_throwing_error_handler?: () => number;
  deactivate_throwing_error_handler?: () => number;
}

let h5: Promise<{ lib: H5Library; wasm: H5Wasm }> | undefined;
function loadH5wasm(): Promise<{ lib: H5Library; wasm: H5Wasm }> {
  // h5wasm is an ES module with its own wasm: loaded on first use, and kept external to the bundle
  h5 ??= (import('h5wasm/node') as Promise<{ default: H5Library }>).then(async (mod) => {
    const lib = mod.default ?? (mod as unknown as H5Library);
    const wasm = await lib.ready;
    return { lib, wasm };
  });
  return h5;
}

/**
 * Runs `body` with HDF5's error handler replaced by h5wasm's throwing one: HDF5 then reports a
 * failure as a JavaScript exception instead of printing its "HDF5-DIAG" error stack (dozens of
 * lines) on stderr. Everything inside is synchronous, so nothing else runs in between.
 */
function quietly<T>(wasm: H5Wasm, body: () => T): T {
  const on = typeof wasm.activate_throwing_error_handler === 'function';
  if (on) wasm.activate_throwing_error_handler!();
  try {
    return body();
  } finally {
    if (on) wasm.deactivate_throwing_error_handler?.();
  }
}

function toNumbers(value: unknown): ArrayLike<number> {
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) return Float64Array.from(value, (v) => Number(v));
  if (ArrayBuffer.isView(value)) return value as unknown as ArrayLike<number>;
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value === 'number' || typeof value === 'bigint') return [Number(value)];
  throw new Error('not numeric data');
}

/** The first line of an HDF5 error stack that says what went wrong, for a short message. */
function h5Reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const minor = /minor: (.*)/g;
  let last: string | undefined;
  for (let m = minor.exec(text); m; m = minor.exec(text)) last = m[1].trim();
  return excerpt((last ?? text.split('\n')[0]).toLowerCase(), 80);
}

/** HDF5 type classes that hold numbers: integer, float. Integers cannot be NaN or infinite. */
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

/** The C-order index (as NumPy and h5py write it) of flat element `k` of an array of `shape`. */
function unravel(k: number, shape: number[]): string {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(k % shape[d]);
    k = Math.floor(k / shape[d]);
  }
  return `[${index.join(', ')}]`;
}

/** The first element of `values` that is not finite (after `scale`), or -1. */
export function firstNonFinite(values: ArrayLike<number>, scale = 1): number {
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k] * scale)) return k;
  return -1;
}

interface H5Read {
  n: number;
  m: number;
  /** the features as stored, (m, d1, d2, ...) in C order; read when asked for */
  x?: ArrayLike<number>;
  y: ArrayLike<number>;
}

/**
 * Reads an HDF5 data set: its shapes first, then (within the budget) the labels and, for
 * `features: 'all'`, the features; `'floats'` reads them only when they are floating point (to
 * look for NaN and infinities: integers cannot hold those). Every value read is checked to be
 * finite; an empty set (m = 0) or one without features is a DataError.
 */
export async function readH5(file: string, source: FileDataSource, features: 'all' | 'floats', limits: Limits): Promise<H5Read> {
  const { lib, wasm } = await loadH5wasm();
  return quietly(wasm, () => {
    let f: H5File;
    try {
      f = new lib.File(file, 'r');
    } catch (err) {
      throw new DataError(`Data file '${source.path}' is not a readable HDF5 file (${h5Reason(err)}).`);
    }
    // without the throwing handler, h5wasm does not throw: it hands back a negative file id
    if (f.file_id === undefined || f.file_id < 0) throw new DataError(`Data file '${source.path}' is not a readable HDF5 file.`);
    try {
      const keys = f.keys();
      const dataset = (name: string | undefined, role: string): H5Dataset => {
        if (!name) throw new DataError(`Data file '${source.path}': name the ${role} dataset with ${role === 'features' ? 'x' : 'y'}=NAME. Datasets: ${excerptList(keys)}.`);
        const d = f.get(name) as H5Dataset | null;
        if (!d || typeof d !== 'object' || !('shape' in d)) throw new DataError(`Data file '${source.path}' has no dataset '${excerpt(name)}'. Datasets: ${excerptList(keys)}.`);
        const type = d.metadata?.type;
        if (type !== undefined && type !== H5T_INTEGER && type !== H5T_FLOAT) {
          throw new DataError(`Data file '${source.path}': dataset '${excerpt(name)}' does not hold numbers (HDF5 type class ${type}).`);
        }
        return d;
      };
      const xName = excerpt(source.x ?? '');
      const yName = excerpt(source.y ?? '');
      const xd = dataset(source.x, 'features');
      const yd = dataset(source.y, 'labels');
      const xShape = xd.shape ?? [];
      if (xShape.length < 1) throw new DataError(`Data file '${source.path}': dataset '${xName}' is a scalar, not one example per row.`);
      const m = xShape[0];
      const n = xShape.slice(1).reduce((a, b) => a * b, 1);
      const shapeText = `(${xShape.join(', ')})`;
      if (m === 0) throw new DataError(`Data file '${source.path}': dataset '${xName}' has no examples (its shape is ${shapeText}).`);
      if (n === 0) throw new DataError(`Data file '${source.path}': dataset '${xName}' has no features (its shape is ${shapeText}).`);
      const ySize = (yd.shape ?? []).reduce((a, b) => a * b, 1);
      if (ySize !== m) throw new DataError(`Data file '${source.path}': '${yName}' has ${ySize} labels but '${xName}' has ${m} examples.`);
      const readX = features === 'all' || xd.metadata?.type !== H5T_INTEGER;
      // what the read allocates: the stored values (element size), and X as float64 for training
      const xBytes = readX ? m * n * ((xd.metadata?.size ?? 8) + (features === 'all' ? 8 : 0)) : 0;
      checkBudget(limits, xBytes + m * ((yd.metadata?.size ?? 8) + 8), source.path, `'${xName}' ${shapeText} and its labels`);
      let y: ArrayLike<number>;
      try {
        y = toNumbers(yd.value);
      } catch {
        throw new DataError(`Data file '${source.path}': dataset '${yName}' does not hold numbers.`);
      }
      const badY = firstNonFinite(y);
      if (badY >= 0) throw new DataError(`Data file '${source.path}': dataset '${yName}' holds ${y[badY]} at ${unravel(badY, yd.shape ?? [m])}; labels must be finite numbers (0 or 1 for binary cross-entropy).`);
      if (!readX) return { n, m, y };
      let x: ArrayLike<number>;
      try {
        x = toNumbers(xd.value);
      } catch {
        throw new DataError(`Data file '${source.path}': dataset '${xName}' does not hold numbers.`);
      }
      const badX = firstNonFinite(x, source.scale);
      if (badX >= 0) {
        const what = Number.isFinite(x[badX]) ? `${x[badX]}, which times scale ${source.scale} is not finite,` : String(x[badX]);
        throw new DataError(
          `Data file '${source.path}': dataset '${xName}' holds ${what} at ${unravel(badX, xShape)} (example ${Math.floor(badX / n) + 1}); features must be finite numbers.`,
        );
      }
      return { n, m, x: features === 'all' ? x : undefined, y };
    } catch (err) {
      if (err instanceof DataError) throw err;
      throw new DataError(`Data file '${source.path}' could not be read as HDF5 (${h5Reason(err)}).`);
    } finally {
      try {
        f.close();
      } catch {
        // already reported
      }
    }
  });
}

/** (m, d1, d2, ...) C-order rows → X (n, m) columns, scaled. */
export function examplesToColumns(x: ArrayLike<number>, n: number, m: number, scale: number): Matrix {
  const X = matrix(n, m);
  const d = X.data;
  // in square blocks, so that neither the reads nor the writes stride through the whole array
  const B = 32;
  for (let j0 = 0; j0 < m; j0 += B) {
    const j1 = Math.min(m, j0 + B);
    for (let i0 = 0; i0 < n; i0 += B) {
      const i1 = Math.min(n, i0 + B);
      for (let i = i0; i < i1; i++) {
        const row = i * m;
        for (let j = j0; j < j1; j++) d[row + j] = x[j * n + i] * scale;
      }
    }
  }
  return X;
}

