// Data: CSV files (data/csv.ts), HDF5 files (data/hdf5.ts, through h5wasm) and built-in generated
// sets (data/generated.ts), as X (n_x, m) and Y (1, m) with examples as columns; here, the entry
// points every reader goes through, their caches, and the check of a data set against a spec. Every failure is an Error whose message names the file,
// and the line or dataset, and says what to do; what a message quotes of a file goes through
// excerpt() (short, control characters escaped).
//
// Limits (Limits): a file larger than `maxFileBytes` is not read at all, and a data set
// whose values would need more than `memoryBudgetBytes` is refused before its values are read:
// from the file size and the line count for CSV, from the declared shape for HDF5.

import { dataFitProblems, generatedSummary, splitName, summarizeLabels, type DataSummary } from '../shared/model/data';
import type { Limits } from '../shared/model/limits';
import type { DataSource, NetworkSpec, Split } from '../shared/model/spec';
import { parseCsv, readCsvText } from './data/csv';
import { resolvePath, statOrThrow, type Dataset } from './data/files';
import { generatedDataset } from './data/generated';
import { examplesToColumns, firstNonFinite, readH5 } from './data/hdf5';
import { assertTrainable, DataError, SpecError } from './errors';
import { matrix } from './kernels';

export type { Dataset } from './data/files';
export { parseCsv } from './data/csv';
export { DEFAULT_NOISE, generate } from './data/generated';
export { DataError, SpecError } from './errors';

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
 * example, then the rule the editor's checks apply too (dataFitProblems, src/shared/model/data.ts).
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
