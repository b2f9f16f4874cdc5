// Saved models (`nnspec train --out MODEL.json`, and NAME.model.json next to a spec after a run
// in the editor): reading one back with clear errors, and evaluating it on data.
//
// parseSavedModel(text) validates and returns the SavedModel; modelParameters(model) gives the
// matrices; loadModelData(model) loads its train/test data (relative to model.specDir, or the
// folder of model.specPath). The extension's Open Trained Model uses those three; predictSaved,
// accuracySaved and evaluateSaved evaluate a model on data (the round-trip tests use them).

import * as path from 'node:path';
import { ACTIVATIONS, LOSSES, type NetworkSpec } from '../shared/spec';
import type { SavedModel } from '../shared/workerProtocol';
import { loadDataset, validateData, type Dataset } from './datasets';
import { matrix, type Matrix } from './kernels';
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
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number') return String(v);
  return typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/**
 * Parses and checks a saved model: the format tag and version, a spec with an input and
 * layers, parameters whose shapes agree with the layers (W[l] is n[l] × n[l−1], b[l] has n[l]
 * values), every number finite. Throws a ModelError naming what is wrong.
 */
export function parseSavedModel(text: string): SavedModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelError(`The model file is not valid JSON (${(err as Error).message}).`);
  }
  if (!isObject(json)) throw new ModelError(`The model file holds ${describe(json)}, not a model object.`);
  if (json.format !== MODEL_FORMAT) {
    throw new ModelError(`This is not an nnspec model: "format" is ${json.format === undefined ? 'missing' : describe(json.format)}, expected "${MODEL_FORMAT}".`);
  }
  if (json.version !== MODEL_VERSION) {
    throw new ModelError(
      `Model version ${describe(json.version)} is not supported: this nnspec reads version ${MODEL_VERSION}` +
        (typeof json.version === 'number' && json.version > MODEL_VERSION ? ' (the model was saved by a newer nnspec).' : '.'),
    );
  }
  const spec = json.spec;
  if (!isObject(spec)) throw new ModelError(`The model has no "spec" object (found ${describe(spec)}).`);
  if (!positiveInt(spec.inputSize)) throw new ModelError(`spec.inputSize must be a positive integer, not ${describe(spec.inputSize)}.`);
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new ModelError(`spec.layers must list at least one layer (found ${describe(spec.layers)}).`);
  spec.layers.forEach((layer: unknown, i: number) => {
    if (!isObject(layer)) throw new ModelError(`spec.layers[${i}] (layer ${i + 1}) is ${describe(layer)}, not a layer.`);
    if (!positiveInt(layer.units)) throw new ModelError(`Layer ${i + 1} (spec.layers[${i}]): units must be a positive integer, not ${describe(layer.units)}.`);
    if (!(ACTIVATIONS as readonly unknown[]).includes(layer.activation)) {
      throw new ModelError(`Layer ${i + 1} (spec.layers[${i}]): unknown activation ${describe(layer.activation)} (expected one of ${ACTIVATIONS.join(', ')}).`);
    }
  });
  if (!(LOSSES as readonly unknown[]).includes(spec.loss)) throw new ModelError(`spec.loss is ${describe(spec.loss)}, expected one of ${LOSSES.join(', ')}.`);
  const dims = [spec.inputSize as number, ...(spec.layers as { units: number }[]).map((l) => l.units)];
  const params = json.parameters;
  if (!Array.isArray(params)) throw new ModelError(`The model has no "parameters" array (found ${describe(params)}).`);
  if (params.length !== dims.length - 1) {
    throw new ModelError(`The model has parameters for ${params.length} layer${params.length === 1 ? '' : 's'}, but its spec has ${dims.length - 1}.`);
  }
  params.forEach((p: unknown, i: number) => {
    const l = i + 1;
    if (!isObject(p)) throw new ModelError(`parameters[${i}] (layer ${l}) is ${describe(p)}, not {W, b}.`);
    const { W, b } = p;
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
  });
  if (json.costs !== undefined) {
    if (!Array.isArray(json.costs) || !json.costs.every((c) => Array.isArray(c) && c.length === 2 && c.every((x) => typeof x === 'number'))) {
      throw new ModelError('"costs" must be a list of [iteration, cost] pairs.');
    }
  }
  for (const key of ['specPath', 'specDir', 'source'] as const) {
    if (json[key] !== undefined && typeof json[key] !== 'string') throw new ModelError(`"${key}" must be a string, not ${describe(json[key])}.`);
  }
  // the saved numbers may be missing in a hand-written model: fill what evaluation does not need
  return {
    ...(json as unknown as SavedModel),
    costs: (json.costs as [number, number][] | undefined) ?? [],
    trainAccuracy: typeof json.trainAccuracy === 'number' ? json.trainAccuracy : NaN,
    testAccuracy: typeof json.testAccuracy === 'number' ? json.testAccuracy : null,
    iterations: typeof json.iterations === 'number' ? json.iterations : 0,
    seconds: typeof json.seconds === 'number' ? json.seconds : 0,
    createdAt: typeof json.createdAt === 'string' ? json.createdAt : '',
  };
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
export async function loadModelData(model: SavedModel, fallbackDir?: string): Promise<{ train?: Dataset; test?: Dataset }> {
  const dir = modelDataDir(model, fallbackDir);
  const { spec } = model;
  const needsDir = [spec.train, spec.test].some((s) => s?.kind === 'file');
  if (needsDir && dir === undefined) throw new ModelError('The model does not say where its spec was (no specPath or specDir): its data paths cannot be resolved.');
  const out: { train?: Dataset; test?: Dataset } = {};
  if (spec.train) {
    out.train = await loadDataset(spec.train, dir ?? '.');
    validateData('training', out.train, spec);
  }
  if (spec.test) {
    out.test = await loadDataset(spec.test, dir ?? '.');
    validateData('test', out.test, spec);
  }
  return out;
}

/** The saved model's accuracies on its own train and test data (null where there is none). */
export async function evaluateSaved(model: SavedModel, fallbackDir?: string): Promise<{ trainAccuracy: number | null; testAccuracy: number | null }> {
  const { train, test } = await loadModelData(model, fallbackDir);
  const params = modelParameters(model);
  return {
    trainAccuracy: train ? accuracySaved(model, train, params) : null,
    testAccuracy: test ? accuracySaved(model, test, params) : null,
  };
}
