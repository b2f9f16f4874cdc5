// Data: CSV files, HDF5 files (through h5wasm) and built-in generated sets, as X (n_x, m) and
// Y (1, m) with examples as columns. Every failure is an Error whose message names the file,
// and the line or dataset, and says what to do; what a message quotes of a file goes through
// excerpt() (short, control characters escaped).
//
// Limits (Limits): a file larger than `maxFileBytes` is not read at all, and a data set
// whose values would need more than `memoryBudgetBytes` is refused before its values are read:
// from the file size and the line count for CSV, from the declared shape for HDF5.

import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { dataFitProblems, generatedSummary, splitName, summarizeLabels, type DataSummary } from '../shared/model/data';
import type { Limits } from '../shared/model/limits';
import { DEFAULT_MEMORY_BUDGET_MB } from '../shared/model/memory';
import { MAX_GENERATED_EXAMPLES, type DataSource, type FileDataSource, type GeneratedDataSource, type GeneratorName, type NetworkSpec, type Split } from '../shared/model/spec';
import { assertTrainable, DataError, excerpt, excerptList, SpecError } from './errors';
import { matrix, type Matrix } from './kernels';
import { NumpyRandom } from './numpyRandom';

export interface Dataset {
  X: Matrix;
  Y: Matrix;
}

export { DataError, SpecError } from './errors';

const MB = 1024 * 1024;

/** How much reading one data set may take. */
function mb(bytes: number): string {
  const v = bytes / MB;
  return `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3)} MB`;
}

function budgetOf(limits: Limits): number {
  return limits.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_MB * MB;
}

/** Refuses (DataError with refusal 'over-budget') when reading `what` needs more than the budget. */
function checkBudget(limits: Limits, bytes: number, file: string, what: string): void {
  const budget = budgetOf(limits);
  if (bytes > budget) {
    throw new DataError(
      `Data file '${file}': reading ${what} would take about ${mb(bytes)}, more than the memory budget of ${mb(budget)} (nnspec.training.memoryBudgetMB); it is not read.`,
      'over-budget',
    );
  }
}

function resolvePath(source: FileDataSource, specDir: string): string {
  return path.resolve(specDir, source.path);
}

function statOrThrow(file: string, source: FileDataSource, limits: Limits = {}): { mtimeMs: number; size: number } {
  let s;
  try {
    s = statSync(file);
  } catch {
    throw new DataError(`Data file '${source.path}' not found (looked for ${file}).`);
  }
  if (!s.isFile()) throw new DataError(`Data file '${source.path}' is not a file (${file}).`);
  if (limits.maxFileBytes !== undefined && s.size > limits.maxFileBytes) {
    throw new DataError(
      `Data file '${source.path}' is ${mb(s.size)}, larger than the limit of ${mb(limits.maxFileBytes)} (nnspec.data.maxFileMB): it is not read.`,
      'file-too-large',
    );
  }
  return s;
}

// ---------------------------------------------------------------------------- CSV

/**
 * Splits CSV text into records as RFC 4180 describes it and hands each to `visit` (1-based line
 * on which the record starts, its cells): comma-separated fields, optionally in double quotes (a
 * quoted field may hold commas, newlines and "" for a quote). Lines end in LF or CRLF. Unquoted
 * fields are trimmed. Blank lines are skipped. No record is kept: a large file costs its text and
 * the numbers, not an array of strings per row.
 */
function forEachCsvRecord(text: string, file: string, visit: (line: number, cells: string[]) => void): void {
  const n = text.length;
  let i = 0;
  let line = 1;
  // the next quote and the next CR at or after i (n when none), searched again only once passed
  let quote = -1;
  let cr = -1;
  while (i < n) {
    const start = line;
    // fast path: a line without quotes (or a lone CR) is split on its commas
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    if (quote < i) {
      quote = text.indexOf('"', i);
      if (quote < 0) quote = n;
    }
    if (quote > eol) {
      let end = eol;
      if (end > i && text.charCodeAt(end - 1) === 13) end--;
      if (cr < i) {
        cr = text.indexOf('\r', i);
        if (cr < 0) cr = n;
      }
      if (cr >= end) {
        const lineText = text.slice(i, end);
        if (lineText.trim() !== '') visit(start, lineText.split(',').map((c) => c.trim()));
        i = eol + 1;
        line++;
        continue;
      }
    }
    const cells: string[] = [];
    let blank = true;
    for (;;) {
      // one field
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
      let cell: string;
      if (text[j] === '"') {
        blank = false;
        j++;
        let value = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new DataError(`Data file '${file}' line ${start}: a quoted field is never closed (a '"' is missing).`);
          const chunk = text.slice(j, q);
          for (let c = 0; c < chunk.length; c++) if (chunk.charCodeAt(c) === 10) line++;
          value += chunk;
          if (text[q + 1] === '"') {
            value += '"';
            j = q + 2;
            continue;
          }
          j = q + 1;
          break;
        }
        while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
        if (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') {
          throw new DataError(`Data file '${file}' line ${line}: unexpected '${excerpt(text[j])}' after a closing quote (a field is either all in quotes or not quoted).`);
        }
        cell = value;
      } else {
        let k = j;
        while (k < n && text[k] !== ',' && text[k] !== '\n' && text[k] !== '\r') k++;
        cell = text.slice(j, k).trim();
        if (cell !== '') blank = false;
        j = k;
      }
      cells.push(cell);
      if (j < n && text[j] === ',') {
        blank = false;
        i = j + 1;
        continue;
      }
      // end of the record
      if (j < n && text[j] === '\r') j++;
      if (j < n && text[j] === '\n') j++;
      i = j;
      line++;
      break;
    }
    if (!blank) visit(start, cells);
  }
}

/** A decimal number as a data file writes it: 3, -0.5, .25, 1e-4. Not 0x10, Infinity, NaN or 1_000. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * 0x10, 0b101, 0o7: the only non-decimal forms Number() turns into a finite number (it rejects
 * 1_000 and signed radix literals, and Infinity is not finite). Cheaper than a regex per cell.
 */
function isRadixLiteral(t: string): boolean {
  if (t.length < 2 || t.charCodeAt(0) !== 48) return false;
  const c = t.charCodeAt(1) | 0x20; // lower case
  return c === 120 || c === 98 || c === 111; // x, b, o
}

function separatorHint(text: string): string {
  if (text.includes(';')) return " It looks like ';'-separated; nnspec reads comma-separated CSV.";
  if (text.includes('\t')) return ' It looks tab-separated; nnspec reads comma-separated CSV.';
  return '';
}

/** Upper bound on the records of a CSV text: its line count. */
function lineCount(text: string): number {
  let count = 1;
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) count++;
  return count;
}

export function parseCsv(text: string, source: Pick<FileDataSource, 'path' | 'label' | 'scale'>, limits: Limits = {}): Dataset {
  const file = source.path;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte order mark
  let header: string[] | undefined;
  let headerLine = 0;
  let labelIndex = -1;
  let featureIndices: number[] = [];
  /** row-major: per example its features, then its label (stride n + 1) */
  let values = new Float64Array(0);
  let m = 0;
  const scale = source.scale ?? 1;
  const columnName = (ci: number): string => `column ${ci + 1} ('${excerpt(header![ci])}')`;
  const readHeader = (line: number, cells: string[]): void => {
    header = cells;
    headerLine = line;
    if (cells.length < 2) {
      const hint = separatorHint(cells[0] ?? '');
      if (hint) throw new DataError(`Data file '${file}' line ${line}:${hint} Separate the columns with commas.`);
      throw new DataError(`Data file '${file}' line ${line}: the header needs at least one feature column and a label column (found only '${excerpt(cells[0] ?? '')}').`);
    }
    if (cells.every((h) => DECIMAL.test(h))) {
      throw new DataError(`Data file '${file}' line ${line}: the first row holds numbers; nnspec expects a header row naming the columns (e.g. x1,x2,y).`);
    }
    labelIndex = cells.length - 1;
    if (source.label !== undefined) {
      labelIndex = cells.indexOf(source.label);
      if (labelIndex < 0) {
        const near = cells.find((h) => h.toLowerCase() === source.label!.toLowerCase());
        throw new DataError(
          `Data file '${file}' has no column '${excerpt(source.label)}'.${near ? ` Did you mean '${excerpt(near)}'?` : ''} Columns: ${excerptList(cells)}.`,
        );
      }
      if (cells.indexOf(source.label, labelIndex + 1) >= 0) {
        throw new DataError(`Data file '${file}' has more than one column named '${excerpt(source.label)}': rename one so that label=${excerpt(source.label)} is unambiguous.`);
      }
    }
    featureIndices = cells.map((_, i) => i).filter((i) => i !== labelIndex);
    // at most one example per line after the header: refused before anything is allocated
    // when the numbers (read, then laid out as X and Y) would not fit the budget
    const most = Math.max(0, lineCount(text) - 1);
    checkBudget(limits, 16 * most * cells.length + 2 * text.length, file, `its text and ${most.toLocaleString('en-US')} rows of ${cells.length} numbers`);
    values = new Float64Array(most * cells.length);
  };
  forEachCsvRecord(text, file, (line, cells) => {
    if (!header) return readHeader(line, cells);
    const width = header.length;
    if (cells.length !== width) {
      const hint = cells.length === 1 ? separatorHint(cells[0]) : '';
      throw new DataError(`Data file '${file}' line ${line}: ${cells.length} value${cells.length === 1 ? '' : 's'}, but the header (line ${headerLine}) has ${width} columns.${hint}`);
    }
    const value = (ci: number, factor: number): number => {
      const t = cells[ci].trim(); // (a quoted field keeps its spaces until here)
      const raw = t === '' || isRadixLiteral(t) ? NaN : Number(t);
      const v = raw * factor;
      if (!Number.isFinite(v)) {
        const what =
          t === '' ? 'the value is empty' : !DECIMAL.test(t) ? `'${excerpt(t)}' is not a number` : Number.isFinite(raw) ? `'${excerpt(t)}' times scale ${scale} is too large` : `'${excerpt(t)}' is too large`;
        throw new DataError(`Data file '${file}' line ${line}, ${columnName(ci)}: ${what}; nnspec reads decimal numbers such as 3, -0.5 or 1e-4.${separatorHint(t)}`);
      }
      return v;
    };
    const o = m * width;
    const n = featureIndices.length;
    for (let i = 0; i < n; i++) values[o + i] = value(featureIndices[i], scale);
    values[o + n] = value(labelIndex, 1);
    m++;
  });
  if (!header) throw new DataError(`Data file '${file}' is empty: expected a header row and one example per row.`);
  if (m === 0) throw new DataError(`Data file '${file}' has a header but no examples.`);
  const width = header.length;
  const n = width - 1;
  const X = matrix(n, m);
  const Y = matrix(1, m);
  for (let j = 0; j < m; j++) {
    const o = j * width;
    for (let i = 0; i < n; i++) X.data[i * m + j] = values[o + i];
    Y.data[j] = values[o + n];
  }
  return { X, Y };
}

// ---------------------------------------------------------------------------- HDF5

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
function firstNonFinite(values: ArrayLike<number>, scale = 1): number {
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
async function readH5(file: string, source: FileDataSource, features: 'all' | 'floats', limits: Limits): Promise<H5Read> {
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
function examplesToColumns(x: ArrayLike<number>, n: number, m: number, scale: number): Matrix {
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
  // a spec's parser keeps m within bounds; a saved model or a message may not have
  if (!Number.isInteger(source.m) || source.m < 1 || source.m > MAX_GENERATED_EXAMPLES) {
    throw new DataError(`A generated set needs m from 1 to ${MAX_GENERATED_EXAMPLES.toLocaleString('en-US')} examples, not ${excerpt(String(source.m))}.`);
  }
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

/**
 * Loads a data set as X (n_x, m) and Y (1, m), within `limits` (the memory budget defaults to
 * DEFAULT_MEMORY_BUDGET_MB; the file size is not limited unless given).
 */
export async function loadDataset(source: DataSource, specDir: string, limits: Limits = {}): Promise<Dataset> {
  if (source.kind === 'generated') return generatedDataset(source);
  const file = resolvePath(source, specDir);
  const { size } = statOrThrow(file, source, limits);
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return parseCsv(readCsvText(file, source, size, limits), source, limits);
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) {
    const { n, m, x, y } = await readH5(file, source, 'all', limits);
    return { X: examplesToColumns(x!, n, m, source.scale), Y: matrix(1, m, Float64Array.from(y)) };
  }
  throw new DataError(`Unknown data format for '${source.path}': use a .csv, .h5 or .hdf5 file.`);
}

/** A CSV file's text, refused before reading when the text alone would not fit the budget. */
function readCsvText(file: string, source: FileDataSource, size: number, limits: Limits): string {
  // the bytes, then the string (up to two bytes a character)
  checkBudget(limits, 3 * size, source.path, 'its text');
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(`Data file '${source.path}' could not be read (${excerpt((err as Error).message, 80)}).`);
  }
}

const summaries = new Map<string, { stamp: string; summary?: DataSummary; error?: DataError }>();
/** How many summaries inspectData keeps (the oldest go first). */
const SUMMARY_CACHE_SIZE = 64;

/**
 * What the editor's checks need of a data set, with the same checks training makes (finite
 * values, m > 0) and within `limits`; cached by path, size and mtime.
 */
export async function inspectData(source: DataSource, specDir: string, limits: Limits = {}): Promise<DataSummary> {
  return (await inspectDataCached(source, specDir, limits)).summary;
}

/**
 * inspectData, saying whether the answer came from the cache. A DataError is cached too (the
 * same file gives the same error): a large file with a bad cell is not read again at every edit.
 */
export async function inspectDataCached(source: DataSource, specDir: string, limits: Limits = {}): Promise<{ summary: DataSummary; cached: boolean }> {
  if (source.kind === 'generated') return { summary: generatedSummary(source.m), cached: false };
  const file = resolvePath(source, specDir);
  const stat = statOrThrow(file, source, limits);
  const key = JSON.stringify([file, source.x, source.y, source.label, source.scale, limits.maxFileBytes, limits.memoryBudgetBytes]);
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const hit = summaries.get(key);
  if (hit && hit.stamp === stamp) {
    if (hit.error) throw hit.error;
    return { summary: hit.summary!, cached: true };
  }
  let entry: { stamp: string; summary?: DataSummary; error?: DataError };
  try {
    if (file.toLowerCase().endsWith('.csv')) {
      const { X, Y } = parseCsv(readCsvText(file, source, stat.size, limits), source, limits);
      entry = { stamp, summary: { features: X.rows, m: X.cols, labels: summarizeLabels(Y.data) } };
    } else {
      const { n, m, y } = await readH5(file, source, 'floats', limits);
      entry = { stamp, summary: { features: n, m, labels: summarizeLabels(y) } };
    }
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    entry = { stamp, error: err };
  }
  summaries.delete(key);
  summaries.set(key, entry);
  if (summaries.size > SUMMARY_CACHE_SIZE) summaries.delete(summaries.keys().next().value!);
  if (entry.error) throw entry.error;
  return { summary: entry.summary!, cached: false };
}

/**
 * Checks a loaded data set against the spec before training: every value finite, one label per
 * example, then the rule the editor's checks apply too (dataFitProblems, src/shared/data.ts).
 * Throws a SpecError when the spec cannot fit this data (an output layer of more than 1 unit,
 * no input, no layers) and a DataError when the data does not suit the spec.
 */
export function validateData(split: Split, data: Dataset, spec: Pick<NetworkSpec, 'inputSize' | 'layers' | 'loss'>): void {
  assertTrainable(spec);
  const name = splitName(split);
  const { X, Y } = data;
  if (X.cols > 0) {
    const bad = firstNonFinite(X.data);
    if (bad >= 0) {
      const i = Math.floor(bad / X.cols);
      throw new DataError(`The ${name} data's features are not all finite numbers: feature ${i + 1} of example ${(bad % X.cols) + 1} is ${X.data[bad]}.`);
    }
    const badY = firstNonFinite(Y.data);
    if (badY >= 0) throw new DataError(`The ${name} data's labels are not all finite numbers: the label of example ${(badY % Y.cols) + 1} is ${Y.data[badY]}.`);
    if (X.cols !== Y.cols) {
      throw new DataError(`The ${name} data has ${X.cols} examples but ${Y.cols} labels (X is (${X.rows}, ${X.cols}), Y is (${Y.rows}, ${Y.cols})).`);
    }
  }
  const [problem] = dataFitProblems(spec, split, { features: X.rows, m: X.cols, labels: summarizeLabels(Y.data) });
  if (problem) throw problem.kind === 'spec' ? new SpecError(problem.message) : new DataError(problem.message);
}

/** What loadSpecData reads. */
export interface SpecDataOptions {
  limits?: Limits;
  /** the splits to load, of those the spec has (default: both) */
  splits?: readonly Split[];
  /** the features as the file has them, before the spec's `scale=` (the course code scales itself) */
  unscaled?: boolean;
  /** asked before each split: loading ends early when it says so (a run stopped meanwhile) */
  stopped?: () => boolean;
  /**
   * Keep the data sets read from files, and give them again while the file's size and mtime are
   * unchanged (the training and lab workers: a sweep's runs, or the lab's questions, read the
   * same data). The matrices are shared: nothing may write into them.
   */
  cache?: boolean;
}

/** Data sets loadSpecData keeps with `cache` (a train and a test set), the oldest going first. */
export const DATA_CACHE_SIZE = 2;
const loaded = new Map<string, { stamp: string; data: Dataset }>();

/** loadDataset, through the cache of the last DATA_CACHE_SIZE data sets read from files (by path, options, size and mtime). */
export async function loadDatasetCached(source: DataSource, specDir: string, limits: Limits = {}): Promise<{ data: Dataset; cached: boolean }> {
  if (source.kind === 'generated') return { data: generatedDataset(source), cached: false };
  const file = resolvePath(source, specDir);
  const stat = statOrThrow(file, source, limits);
  const key = JSON.stringify([file, source.x, source.y, source.label, source.scale, limits.maxFileBytes, limits.memoryBudgetBytes]);
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const hit = loaded.get(key);
  if (hit && hit.stamp === stamp) {
    // most recently used last
    loaded.delete(key);
    loaded.set(key, hit);
    return { data: hit.data, cached: true };
  }
  loaded.delete(key);
  const data = await loadDataset(source, specDir, limits);
  loaded.set(key, { stamp, data });
  while (loaded.size > DATA_CACHE_SIZE) loaded.delete(loaded.keys().next().value!);
  return { data, cached: false };
}

/** Forgets the data sets loadSpecData kept (tests). */
export function clearDataCache(): void {
  loaded.clear();
}

/**
 * The spec's data sets, each loaded (paths relative to `specDir`, within the limits) and
 * checked against the spec (validateData). The one way data is loaded for a spec: the training
 * worker, `nnspec train`, the lab, saved models and the export go through here.
 */
export async function loadSpecData(spec: NetworkSpec, specDir: string, options: SpecDataOptions = {}): Promise<Partial<Record<Split, Dataset>>> {
  const out: Partial<Record<Split, Dataset>> = {};
  for (const split of options.splits ?? (['train', 'test'] as const)) {
    const source = spec[split];
    if (!source || options.stopped?.()) continue;
    const what = options.unscaled ? { ...source, scale: 1 } : source;
    const data = options.cache ? (await loadDatasetCached(what, specDir, options.limits)).data : await loadDataset(what, specDir, options.limits);
    validateData(split, data, spec);
    out[split] = data;
  }
  return out;
}
