// Data: CSV files, HDF5 files (through h5wasm) and built-in generated sets, as X (n_x, m) and
// Y (1, m) with examples as columns. Every failure is an Error whose message names the file,
// and the line or dataset, and says what to do.

import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { DataSummary } from '../language/checks';
import type { DataSource, FileDataSource, GeneratedDataSource, GeneratorName } from '../shared/spec';
import { matrix, type Matrix } from './kernels';
import { NumpyRandom } from './numpyRandom';

export interface Dataset {
  X: Matrix;
  Y: Matrix;
}

export class DataError extends Error {}

function resolvePath(source: FileDataSource, specDir: string): string {
  return path.resolve(specDir, source.path);
}

function statOrThrow(file: string, source: FileDataSource): { mtimeMs: number; size: number } {
  try {
    const s = statSync(file);
    if (!s.isFile()) throw new DataError(`Data file '${source.path}' is not a file (${file}).`);
    return s;
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`Data file '${source.path}' not found (looked for ${file}).`);
  }
}

// ---------------------------------------------------------------------------- CSV

export function parseCsv(text: string, source: Pick<FileDataSource, 'path' | 'label' | 'scale'>): Dataset {
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new DataError(`Data file '${source.path}' is empty: expected a header row and one example per row.`);
  const header = lines[headerIndex].split(',').map((h) => h.trim());
  if (header.length < 2) throw new DataError(`Data file '${source.path}' line ${headerIndex + 1}: the header needs at least one feature column and a label column.`);
  const labelIndex = source.label === undefined ? header.length - 1 : header.indexOf(source.label);
  if (labelIndex < 0) {
    throw new DataError(`Data file '${source.path}' has no column '${source.label}'. Columns: ${header.join(', ')}.`);
  }
  const featureIndices = header.map((_, i) => i).filter((i) => i !== labelIndex);
  const rows: number[][] = [];
  for (let li = headerIndex + 1; li < lines.length; li++) {
    const line = lines[li];
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (cells.length !== header.length) {
      throw new DataError(`Data file '${source.path}' line ${li + 1}: ${cells.length} values, but the header has ${header.length} columns.`);
    }
    const values = cells.map((c, ci) => {
      const t = c.trim();
      const v = t === '' ? NaN : Number(t);
      if (!Number.isFinite(v)) {
        throw new DataError(`Data file '${source.path}' line ${li + 1}, column '${header[ci]}': '${t}' is not a number.`);
      }
      return v;
    });
    rows.push(values);
  }
  if (rows.length === 0) throw new DataError(`Data file '${source.path}' has a header but no examples.`);
  const m = rows.length;
  const n = featureIndices.length;
  const X = matrix(n, m);
  const Y = matrix(1, m);
  const scale = source.scale ?? 1;
  rows.forEach((row, j) => {
    featureIndices.forEach((ci, i) => {
      X.data[i * m + j] = row[ci] * scale;
    });
    Y.data[j] = row[labelIndex];
  });
  return { X, Y };
}

// ---------------------------------------------------------------------------- HDF5

interface H5Dataset {
  shape: number[] | null;
  value: unknown;
}
interface H5File {
  keys(): string[];
  get(name: string): unknown;
  close(): void;
}
interface H5Module {
  ready: Promise<unknown>;
  File: new (file: string, mode: string) => H5File;
}

let h5: Promise<H5Module> | undefined;
function loadH5wasm(): Promise<H5Module> {
  // h5wasm is an ES module with its own wasm: loaded on first use, and kept external to the bundle
  h5 ??= (import('h5wasm/node') as Promise<{ default: H5Module }>).then(async (mod) => {
    const lib = mod.default ?? (mod as unknown as H5Module);
    await lib.ready;
    return lib;
  });
  return h5;
}

function toNumbers(value: unknown): ArrayLike<number> {
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) return Float64Array.from(value, (v) => Number(v));
  if (ArrayBuffer.isView(value)) return value as unknown as ArrayLike<number>;
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value === 'number' || typeof value === 'bigint') return [Number(value)];
  throw new Error('not numeric data');
}

async function readH5(file: string, source: FileDataSource, labelsOnly = false): Promise<{ n: number; m: number; x?: ArrayLike<number>; y: ArrayLike<number> }> {
  const lib = await loadH5wasm();
  let f: H5File;
  try {
    f = new lib.File(file, 'r');
  } catch (err) {
    throw new DataError(`Data file '${source.path}' is not a readable HDF5 file (${err instanceof Error ? err.message : String(err)}).`);
  }
  try {
    const keys = f.keys();
    const dataset = (name: string | undefined, role: string): H5Dataset => {
      if (!name) throw new DataError(`Data file '${source.path}': name the ${role} dataset with ${role === 'features' ? 'x' : 'y'}=NAME. Datasets: ${keys.join(', ')}.`);
      const d = f.get(name) as H5Dataset | null;
      if (!d || !('shape' in d)) throw new DataError(`Data file '${source.path}' has no dataset '${name}'. Datasets: ${keys.join(', ')}.`);
      return d;
    };
    const xd = dataset(source.x, 'features');
    const yd = dataset(source.y, 'labels');
    const xShape = xd.shape ?? [];
    if (xShape.length < 1) throw new DataError(`Data file '${source.path}': dataset '${source.x}' is a scalar, not one example per row.`);
    const m = xShape[0];
    const n = xShape.slice(1).reduce((a, b) => a * b, 1);
    let y: ArrayLike<number>;
    try {
      y = toNumbers(yd.value);
    } catch {
      throw new DataError(`Data file '${source.path}': dataset '${source.y}' does not hold numbers.`);
    }
    if (y.length !== m) throw new DataError(`Data file '${source.path}': '${source.y}' has ${y.length} labels but '${source.x}' has ${m} examples.`);
    if (labelsOnly) return { n, m, y };
    let x: ArrayLike<number>;
    try {
      x = toNumbers(xd.value);
    } catch {
      throw new DataError(`Data file '${source.path}': dataset '${source.x}' does not hold numbers.`);
    }
    return { n, m, x, y };
  } finally {
    f.close();
  }
}

/** (m, d1, d2, ...) C-order rows → X (n, m) columns, scaled. */
function examplesToColumns(x: ArrayLike<number>, n: number, m: number, scale: number): Matrix {
  const X = matrix(n, m);
  const d = X.data;
  for (let j = 0; j < m; j++) {
    const o = j * n;
    for (let i = 0; i < n; i++) d[i * m + j] = x[o + i] * scale;
  }
  return X;
}

// ---------------------------------------------------------------------------- generated sets

export const DEFAULT_NOISE: Record<GeneratorName, number> = {
  flower: 0.2,
  circles: 0.1,
  xor: 0.1,
  moons: 0.1,
  spiral: 0.1,
  gaussian: 1,
};

/** The generated set as (x1, x2, y) arrays. Deterministic for a seed. */
export function generate(source: Pick<GeneratedDataSource, 'generator' | 'm' | 'noise' | 'seed'>): { x1: number[]; x2: number[]; y: number[] } {
  const rng = new NumpyRandom(source.seed);
  const noise = source.noise ?? DEFAULT_NOISE[source.generator];
  const m = source.m;
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  const push = (a: number, b: number, label: number): void => {
    x1.push(a);
    x2.push(b);
    y.push(label);
  };
  const half = [Math.floor(m / 2), m - Math.floor(m / 2)];
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rng.randomSample();
  switch (source.generator) {
    case 'flower': {
      // the course's load_planar_dataset(): petals of a = 4, angle and radius noise
      const a = 4;
      for (let j = 0; j < 2; j++) {
        const N = half[j];
        const start = 3.12 * j;
        const stop = 3.12 * (j + 1);
        const t: number[] = [];
        for (let i = 0; i < N; i++) t.push(N === 1 ? start : i === N - 1 ? stop : start + i * ((stop - start) / (N - 1)));
        const tn = t.map((v) => v + rng.gaussian() * noise);
        const r = tn.map((v) => a * Math.sin(4 * v) + rng.gaussian() * noise);
        for (let i = 0; i < N; i++) push(r[i] * Math.sin(tn[i]), r[i] * Math.cos(tn[i]), j);
      }
      break;
    }
    case 'circles': {
      // a disc (label 1) inside a ring (label 0), radius 5, as TensorFlow Playground draws it
      const R = 5;
      for (let j = 0; j < 2; j++) {
        for (let i = 0; i < half[j]; i++) {
          const r = j === 1 ? uniform(0, R * 0.5) : uniform(R * 0.7, R);
          const angle = uniform(0, 2 * Math.PI);
          push(r * Math.sin(angle) + uniform(-R, R) * noise, r * Math.cos(angle) + uniform(-R, R) * noise, j === 1 ? 1 : 0);
        }
      }
      break;
    }
    case 'xor': {
      const padding = 0.3;
      for (let i = 0; i < m; i++) {
        let a = uniform(-5, 5);
        a += a > 0 ? padding : -padding;
        let b = uniform(-5, 5);
        b += b > 0 ? padding : -padding;
        const label = a * b >= 0 ? 1 : 0;
        push(a + uniform(-5, 5) * noise, b + uniform(-5, 5) * noise, label);
      }
      break;
    }
    case 'moons': {
      for (let j = 0; j < 2; j++) {
        const N = half[j];
        for (let i = 0; i < N; i++) {
          const t = N === 1 ? 0 : (Math.PI * i) / (N - 1);
          const a = j === 0 ? Math.cos(t) : 1 - Math.cos(t);
          const b = j === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
          push(a + rng.gaussian() * noise, b + rng.gaussian() * noise, j);
        }
      }
      break;
    }
    case 'spiral': {
      for (let j = 0; j < 2; j++) {
        const N = half[j];
        const delta = j === 0 ? 0 : Math.PI;
        for (let i = 0; i < N; i++) {
          const r = (i / N) * 5;
          const t = 1.75 * (i / N) * 2 * Math.PI + delta;
          push(r * Math.sin(t) + uniform(-1, 1) * noise * 5, r * Math.cos(t) + uniform(-1, 1) * noise * 5, j);
        }
      }
      break;
    }
    case 'gaussian': {
      for (let j = 0; j < 2; j++) {
        const c = j === 0 ? -2 : 2;
        for (let i = 0; i < half[j]; i++) push(c + rng.gaussian() * noise, c + rng.gaussian() * noise, j);
      }
      break;
    }
  }
  return { x1, x2, y };
}

function generatedDataset(source: GeneratedDataSource): Dataset {
  const { x1, x2, y } = generate(source);
  const m = y.length;
  const X = matrix(2, m);
  for (let j = 0; j < m; j++) {
    X.data[j] = x1[j] * source.scale;
    X.data[m + j] = x2[j] * source.scale;
  }
  return { X, Y: matrix(1, m, Float64Array.from(y)) };
}

// ---------------------------------------------------------------------------- entry points

/** Loads a data set as X (n_x, m) and Y (1, m). */
export async function loadDataset(source: DataSource, specDir: string): Promise<Dataset> {
  if (source.kind === 'generated') return generatedDataset(source);
  const file = resolvePath(source, specDir);
  statOrThrow(file, source);
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return parseCsv(readFileSync(file, 'utf8'), source);
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) {
    const { n, m, x, y } = await readH5(file, source);
    return { X: examplesToColumns(x!, n, m, source.scale), Y: matrix(1, m, Float64Array.from(y)) };
  }
  throw new DataError(`Unknown data format for '${source.path}': use a .csv, .h5 or .hdf5 file.`);
}

export function summarizeLabels(y: ArrayLike<number>): DataSummary['labels'] {
  const distinct = new Set<number>();
  let binary = true;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) binary = false;
    if (distinct.size < 10) distinct.add(v);
  }
  return { binary, distinct: [...distinct].sort((a, b) => a - b) };
}

const summaries = new Map<string, { stamp: string; summary: DataSummary }>();

/** What the editor's checks need of a data set: cheap, and cached by path, size and mtime. */
export async function inspectData(source: DataSource, specDir: string): Promise<DataSummary> {
  if (source.kind === 'generated') return { features: 2, m: source.m, labels: { binary: true, distinct: [0, 1] } };
  const file = resolvePath(source, specDir);
  const stat = statOrThrow(file, source);
  const key = JSON.stringify([file, source.x, source.y, source.label]);
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const cached = summaries.get(key);
  if (cached && cached.stamp === stamp) return cached.summary;
  let summary: DataSummary;
  if (file.toLowerCase().endsWith('.csv')) {
    const { X, Y } = parseCsv(readFileSync(file, 'utf8'), source);
    summary = { features: X.rows, m: X.cols, labels: summarizeLabels(Y.data) };
  } else {
    const { n, m, y } = await readH5(file, source, true);
    summary = { features: n, m, labels: summarizeLabels(y) };
  }
  summaries.set(key, { stamp, summary });
  return summary;
}

/** Checks a loaded data set against the spec before training; throws a DataError. */
export function validateData(name: string, data: Dataset, inputSize: number, loss: string): void {
  if (data.X.rows !== inputSize) {
    throw new DataError(`The ${name} data has ${data.X.rows} features per example, but the spec's input is ${inputSize}.`);
  }
  if (loss === 'binary_cross_entropy') {
    const labels = summarizeLabels(data.Y.data);
    if (!labels.binary) throw new DataError(`Binary cross-entropy needs labels 0 and 1, but the ${name} labels include ${labels.distinct.join(', ')}.`);
  }
}
