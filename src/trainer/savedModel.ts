// Saved models (`nnspec train --out MODEL.json`, and NAME.model.json next to a spec after a run
// in the editor): reading one back with clear errors, and evaluating it on data.
//
// parseSavedModel(text) validates and returns the SavedModel; modelParameters(model) gives the
// matrices; loadModelData(model) loads its train/test data (relative to model.specDir, or the
// folder of model.specPath). The extension's Open Trained Model uses those three; predictSaved
// and accuracySaved evaluate a model on data.

import * as path from 'node:path';
import {
  ACTIVATIONS,
  DEFAULTS,
  GENERATORS,
  INIT_SCHEMES,
  LOSSES,
  MAX_GENERATED_EXAMPLES,
  MAX_INPUT_SIZE,
  MAX_ITERATIONS,
  MAX_UNITS,
  type Activation,
  type DataSource,
  type FileDataSource,
  type GeneratedDataSource,
  type InitScheme,
  type NetworkSpec,
  type Split,
} from '../shared/model/spec';
import type { ClassificationMetrics, SavedModel } from '../shared/model/results';
import type { Limits } from '../shared/model/limits';
import { loadSpecData, type Dataset } from './datasets';
import { excerpt } from './errors';
import { matrix, type Matrix } from './kernels';
import { metricsFromCounts } from './metrics';
import { accuracy, predict, type LayerParams } from './model';

export const MODEL_FORMAT = 'nnspec-model';
export const MODEL_VERSION = 1;

/** A saved model that cannot be read; the message says what is wrong and where. */
export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `the string "${excerpt(v)}"`;
  if (typeof v === 'number') return String(v);
  return typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own property of a parsed JSON object (never one inherited from Object.prototype). */
function own(o: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function positiveInt(v: unknown, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= max;
}

function positiveFinite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** Longest name, path or dataset key a model may hold; the stored source may be longer. */
const MAX_TEXT = 4096;
const MAX_SOURCE = 4 * 1024 * 1024;

function text(v: unknown, where: string, max = MAX_TEXT): string {
  if (typeof v !== 'string') throw new ModelError(`${where} must be a string, not ${describe(v)}.`);
  if (v.length > max) throw new ModelError(`${where} is ${v.length.toLocaleString('en-US')} characters long; at most ${max.toLocaleString('en-US')} are allowed.`);
  return v;
}

function optionalText(v: unknown, where: string, max = MAX_TEXT): string | undefined {
  return v === undefined ? undefined : text(v, where, max);
}

/** A path or a dataset name: text without control characters (it ends up in messages and paths). */
function pathText(v: unknown, where: string): string {
  const t = text(v, where);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(t)) throw new ModelError(`${where} must not contain control characters (it is ${describe(t)}).`);
  return t;
}

function optionalPathText(v: unknown, where: string): string | undefined {
  return v === undefined ? undefined : pathText(v, where);
}

function oneOf<T extends string>(v: unknown, values: readonly T[], where: string): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new ModelError(`${where} is ${describe(v)}, expected one of ${values.join(', ')}.`);
  }
  return v as T;
}

function int(v: unknown, where: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ModelError(`${where} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, not ${describe(v)}.`);
  }
  return v;
}

function positive(v: unknown, where: string): number {
  if (!positiveFinite(v)) throw new ModelError(`${where} must be a positive number, not ${describe(v)}.`);
  return v;
}

function readInit(v: unknown): InitScheme {
  if (v === undefined) throw new ModelError('spec.init is missing: a model records its initialisation, e.g. {"kind": "random", "scale": 0.01}.');
  if (!isObject(v)) throw new ModelError(`spec.init must be an object such as {"kind": "he"}, not ${describe(v)}.`);
  const kind = oneOf(own(v, 'kind'), INIT_SCHEMES, 'spec.init.kind');
  return kind === 'random' ? { kind, scale: positive(own(v, 'scale'), 'spec.init.scale') } : { kind };
}

/** A data source as the parser makes it, checked with the parser's bounds. */
function readSource(v: unknown, split: Split): DataSource | undefined {
  const where = `spec.${split}`;
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new ModelError(`${where} must be a data source object, not ${describe(v)}.`);
  const kind = oneOf(own(v, 'kind'), ['file', 'generated'] as const, `${where}.kind`);
  if (own(v, 'split') !== split) throw new ModelError(`${where}.split must be "${split}", not ${describe(own(v, 'split'))}.`);
  const scale = own(v, 'scale') === undefined ? DEFAULTS.scale : positive(own(v, 'scale'), `${where}.scale`);
  if (kind === 'file') {
    const file = pathText(own(v, 'path'), `${where}.path`);
    const lower = file.toLowerCase();
    const h5 = lower.endsWith('.h5') || lower.endsWith('.hdf5');
    if (!h5 && !lower.endsWith('.csv')) throw new ModelError(`${where}.path must name a .csv, .h5 or .hdf5 file, not ${describe(file)}.`);
    const source: FileDataSource = { kind, split, path: file, scale };
    const x = optionalPathText(own(v, 'x'), `${where}.x`);
    const y = optionalPathText(own(v, 'y'), `${where}.y`);
    const label = optionalPathText(own(v, 'label'), `${where}.label`);
    if (h5 && (x === undefined || y === undefined)) throw new ModelError(`${where} is an HDF5 file: it needs "x" and "y" (the datasets of features and labels).`);
    if (x !== undefined) source.x = x;
    if (y !== undefined) source.y = y;
    if (label !== undefined) source.label = label;
    return source;
  }
  const source: GeneratedDataSource = {
    kind,
    split,
    generator: oneOf(own(v, 'generator'), GENERATORS, `${where}.generator`),
    m: int(own(v, 'm'), `${where}.m (examples)`, 1, MAX_GENERATED_EXAMPLES),
    seed: int(own(v, 'seed'), `${where}.seed`, 0, 0xffffffff),
    scale,
  };
  const noise = own(v, 'noise');
  if (noise !== undefined) {
    if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) throw new ModelError(`${where}.noise must be zero or a positive number, not ${describe(noise)}.`);
    source.noise = noise;
  }
  return source;
}

/**
 * The spec of a saved model, field by field, with the language's bounds (what `parseSpec`
 * could have produced): a new object holding only the known fields.
 */
function readSpec(spec: Record<string, unknown>): NetworkSpec {
  const inputSize = own(spec, 'inputSize');
  if (!positiveInt(inputSize)) throw new ModelError(`spec.inputSize must be a positive integer, not ${describe(inputSize)}.`);
  if (inputSize > MAX_INPUT_SIZE) throw new ModelError(`spec.inputSize must be at most ${MAX_INPUT_SIZE.toLocaleString('en-US')}, not ${describe(inputSize)}.`);
  const layers = own(spec, 'layers');
  if (!Array.isArray(layers) || layers.length === 0) throw new ModelError(`spec.layers must list at least one layer (found ${describe(layers)}).`);
  const out: NetworkSpec = {
    inputSize,
    layers: layers.map((layer: unknown, i: number) => {
      if (!isObject(layer)) throw new ModelError(`spec.layers[${i}] (layer ${i + 1}) is ${describe(layer)}, not a layer.`);
      const units = own(layer, 'units');
      if (!positiveInt(units)) throw new ModelError(`Layer ${i + 1} (spec.layers[${i}]): units must be a positive integer, not ${describe(units)}.`);
      if (units > MAX_UNITS) throw new ModelError(`Layer ${i + 1} (spec.layers[${i}]): units must be at most ${MAX_UNITS.toLocaleString('en-US')}, not ${describe(units)}.`);
      const activation = own(layer, 'activation');
      if (!(ACTIVATIONS as readonly unknown[]).includes(activation)) {
        throw new ModelError(`Layer ${i + 1} (spec.layers[${i}]): unknown activation ${describe(activation)} (expected one of ${ACTIVATIONS.join(', ')}).`);
      }
      return { units, activation: activation as Activation };
    }),
    loss: oneOf(own(spec, 'loss'), LOSSES, 'spec.loss'),
    init: readInit(own(spec, 'init')),
    seed: int(own(spec, 'seed'), 'spec.seed', 0, 0xffffffff),
    learningRate: positive(own(spec, 'learningRate'), 'spec.learningRate'),
    iterations: int(own(spec, 'iterations'), 'spec.iterations', 1, MAX_ITERATIONS),
    printEvery: int(own(spec, 'printEvery'), 'spec.printEvery', 1, Number.MAX_SAFE_INTEGER),
  };
  const name = optionalText(own(spec, 'name'), 'spec.name');
  if (name !== undefined) out.name = name;
  const dims = own(spec, 'inputDims');
  if (dims !== undefined) {
    if (!Array.isArray(dims) || dims.length > 16 || !dims.every((d) => positiveInt(d, MAX_INPUT_SIZE)) || dims.reduce((a: number, b: number) => a * b, 1) !== inputSize) {
      throw new ModelError(`spec.inputDims must be positive whole numbers whose product is spec.inputSize (${inputSize}), not ${describe(dims)}.`);
    }
    out.inputDims = [...dims];
  }
  const train = readSource(own(spec, 'train'), 'train');
  const test = readSource(own(spec, 'test'), 'test');
  if (train) out.train = train;
  if (test) out.test = test;
  return out;
}

/**
 * Parses and checks a saved model: the format tag and version; the spec field by field with the
 * language's bounds (layer sizes, iterations, the init scheme, a generated set's m, data paths;
 * a missing field is an error that names it); parameters whose shapes agree with the layers
 * (W[l] is n[l] × n[l−1], b[l] has n[l] values), every number finite. Throws a ModelError naming
 * what is wrong. The result is a new object with only the known fields: nothing of the file's
 * other keys (`__proto__` included) is carried over.
 */
export function parseSavedModel(text: string): SavedModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelError(`The model file is not valid JSON (${excerpt((err as Error).message, 80)}).`);
  }
  if (!isObject(json)) throw new ModelError(`The model file holds ${describe(json)}, not a model object.`);
  const format = own(json, 'format');
  if (format !== MODEL_FORMAT) {
    throw new ModelError(`This is not an nnspec model: "format" is ${describe(format)}, expected "${MODEL_FORMAT}".`);
  }
  const version = own(json, 'version');
  if (version !== MODEL_VERSION) {
    throw new ModelError(
      `Model version ${describe(version)} is not supported: this nnspec reads version ${MODEL_VERSION}` +
        (typeof version === 'number' && version > MODEL_VERSION ? ' (the model was saved by a newer nnspec).' : '.'),
    );
  }
  const specJson = own(json, 'spec');
  if (!isObject(specJson)) throw new ModelError(`The model has no "spec" object (found ${describe(specJson)}).`);
  const spec = readSpec(specJson);
  const dims = [spec.inputSize!, ...spec.layers.map((l) => l.units)];
  const params = own(json, 'parameters');
  if (!Array.isArray(params)) throw new ModelError(`The model has no "parameters" array (found ${describe(params)}).`);
  if (params.length !== dims.length - 1) {
    throw new ModelError(`The model has parameters for ${params.length} layer${params.length === 1 ? '' : 's'}, but its spec has ${dims.length - 1}.`);
  }
  const parameters = params.map((p: unknown, i: number) => {
    const l = i + 1;
    if (!isObject(p)) throw new ModelError(`parameters[${i}] (layer ${l}) is ${describe(p)}, not {W, b}.`);
    const W = own(p, 'W');
    const b = own(p, 'b');
    const want = `(${dims[l]}, ${dims[l - 1]})`;
    if (!Array.isArray(W) || W.length !== dims[l]) {
      throw new ModelError(`W[${l}] must be ${want}: ${dims[l]} rows for the ${dims[l]} units of layer ${l}, but it has ${Array.isArray(W) ? `${W.length} rows` : `no rows (${describe(W)})`}.`);
    }
    W.forEach((row: unknown, r: number) => {
      if (!Array.isArray(row) || row.length !== dims[l - 1]) {
        throw new ModelError(`W[${l}] must be ${want}, but row ${r} has ${Array.isArray(row) ? row.length : describe(row)} values instead of ${dims[l - 1]}.`);
      }
      row.forEach((v: unknown, c: number) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelError(`W[${l}][${r}][${c}] is ${describe(v)}, not a finite number.`);
      });
    });
    if (!Array.isArray(b) || b.length !== dims[l]) {
      throw new ModelError(`b[${l}] must have ${dims[l]} values (one per unit of layer ${l}), but it has ${Array.isArray(b) ? b.length : describe(b)}.`);
    }
    b.forEach((v: unknown, r: number) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelError(`b[${l}][${r}] is ${describe(v)}, not a finite number.`);
    });
    return { W: W as number[][], b: b as number[] };
  });
  const costs = own(json, 'costs');
  if (costs !== undefined) {
    if (!Array.isArray(costs) || !costs.every((c) => Array.isArray(c) && c.length === 2 && c.every((x) => typeof x === 'number'))) {
      throw new ModelError('"costs" must be a list of [iteration, cost] pairs.');
    }
  }
  const model: SavedModel = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    spec,
    parameters,
    // the saved numbers may be missing in a hand-written model: fill what evaluation does not need
    costs: (costs as [number, number][] | undefined)?.map(([i, c]) => [i, c] as [number, number]) ?? [],
    trainAccuracy: numberOr(own(json, 'trainAccuracy'), NaN),
    testAccuracy: typeof own(json, 'testAccuracy') === 'number' ? (own(json, 'testAccuracy') as number) : null,
    iterations: numberOr(own(json, 'iterations'), 0),
    seconds: numberOr(own(json, 'seconds'), 0),
    createdAt: typeof own(json, 'createdAt') === 'string' ? excerpt(own(json, 'createdAt') as string, 64) : '',
  };
  // the metrics came after version 1: a model without them is still a version 1 model
  for (const [key, where] of [
    ['trainMetrics', '"trainMetrics"'],
    ['testMetrics', '"testMetrics"'],
  ] as const) {
    const v = own(json, key);
    if (v !== undefined) model[key] = readMetrics(v, where);
  }
  for (const key of ['specPath', 'specDir'] as const) {
    const v = optionalPathText(own(json, key), `"${key}"`);
    if (v !== undefined) model[key] = v;
  }
  const source = optionalText(own(json, 'source'), '"source"', MAX_SOURCE);
  if (source !== undefined) model.source = source;
  return model;
}

/**
 * Saved metrics: null, or the four counts (whole numbers from 0); precision, recall and F1 are
 * computed again from the counts rather than trusted.
 */
function readMetrics(v: unknown, where: string): ClassificationMetrics | null {
  if (v === null) return null;
  if (!isObject(v)) throw new ModelError(`${where} must be null or an object with tp, fp, tn and fn, not ${describe(v)}.`);
  const count = (key: string): number => int(own(v, key), `${where}.${key}`, 0, Number.MAX_SAFE_INTEGER);
  return metricsFromCounts({ tp: count('tp'), fp: count('fp'), tn: count('tn'), fn: count('fn') });
}

function numberOr(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

/** The saved parameters as matrices (W[l] row-major, b[l] a column). */
export function modelParameters(model: SavedModel): LayerParams[] {
  return model.parameters.map(({ W, b }) => {
    const rows = W.length;
    const cols = rows ? W[0].length : 0;
    const w: Matrix = matrix(rows, cols);
    W.forEach((row, i) => w.data.set(row, i * cols));
    return { W: w, b: matrix(b.length, 1, Float64Array.from(b)) };
  });
}

function activationsOf(spec: NetworkSpec): NetworkSpec['layers'][number]['activation'][] {
  return spec.layers.map((l) => l.activation);
}

function checkInput(model: SavedModel, X: Matrix): void {
  if (X.rows !== model.spec.inputSize) {
    throw new ModelError(`The data has ${X.rows} features per example, but the model's input is ${model.spec.inputSize}.`);
  }
}

/** 0/1 predictions (A[L] > 0.5) of the saved model for the examples (columns) of X. */
export function predictSaved(model: SavedModel, X: Matrix, params = modelParameters(model)): Matrix {
  checkInput(model, X);
  return predict(params, activationsOf(model.spec), X);
}

/** The saved model's accuracy (fraction 0..1) on a data set. */
export function accuracySaved(model: SavedModel, data: Dataset, params = modelParameters(model)): number {
  checkInput(model, data.X);
  return accuracy(params, activationsOf(model.spec), data.X, data.Y);
}

/** The folder the model's data paths are relative to: specDir, else the folder of specPath, else `fallbackDir`. */
export function modelDataDir(model: SavedModel, fallbackDir?: string): string | undefined {
  return model.specDir ?? (model.specPath ? path.dirname(model.specPath) : fallbackDir);
}

/**
 * Loads the data of the model's spec (train, and test when it has one). Data paths resolve
 * against modelDataDir(model, fallbackDir); a model without either needs `fallbackDir`.
 */
export async function loadModelData(model: SavedModel, fallbackDir?: string, limits: Limits = {}): Promise<{ train?: Dataset; test?: Dataset }> {
  const dir = modelDataDir(model, fallbackDir);
  const { spec } = model;
  const needsDir = [spec.train, spec.test].some((s) => s?.kind === 'file');
  if (needsDir && dir === undefined) throw new ModelError('The model does not say where its spec was (no specPath or specDir): its data paths cannot be resolved.');
  return loadSpecData(spec, dir ?? '.', { limits });
}
