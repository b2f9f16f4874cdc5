// What a training run and the course's lab compute, as plain data: the saved model with its
// metrics, a sweep's runs, the step inspector's pass, the gradient check, logistic regression's
// computation graph and the pictures. The trainer and src/lab/ make them, the CLI prints them as
// JSON, the extension host and the designer show them. No vscode, DOM or node imports.

import type { ErrorInfo } from './errors';
import type { NetworkSpec } from './spec';

/** The trained model file (`nnspec train --out MODEL.json`, and next to the spec after a run). */
export interface SavedModel {
  format: 'nnspec-model';
  version: 1;
  spec: NetworkSpec;
  /** spec source text, when known */
  source?: string;
  /** absolute path of the spec file, when known (data paths in the spec are relative to its folder) */
  specPath?: string;
  /** absolute folder the spec's data paths are relative to (the spec file's folder) */
  specDir?: string;
  /** per layer l = 1..L: W[l] as rows (n[l] arrays of n[l-1]) and b[l] as a column (n[l] numbers) */
  parameters: { W: number[][]; b: number[] }[];
  costs: [number, number][];
  trainAccuracy: number;
  testAccuracy: number | null;
  /**
   * The confusion matrix and precision / recall / F1 on the training and test sets (added after
   * version 1 was first written: absent in older models; null when the labels are not all 0/1,
   * or, for the test set, when there is none).
   */
  trainMetrics?: ClassificationMetrics | null;
  testMetrics?: ClassificationMetrics | null;
  iterations: number;
  seconds: number;
  createdAt: string;
}

/** The confusion matrix of a binary classifier: prediction A[L] > 0.5 against label 1 (positive) or 0. */
export interface ConfusionCounts {
  /** predicted 1, label 1 */
  tp: number;
  /** predicted 1, label 0 */
  fp: number;
  /** predicted 0, label 0 */
  tn: number;
  /** predicted 0, label 1 */
  fn: number;
}

/**
 * The counts with precision tp/(tp+fp), recall tp/(tp+fn) and F1 2tp/(2tp+fp+fn); each is null
 * when its denominator is 0 (no positive prediction, no positive label, neither).
 */
export interface ClassificationMetrics extends ConfusionCounts {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

// ---------------------------------------------------------------------------------------------
// Sweeps

/**
 * What a sweep may vary: `layerL.units`, `layerL.activation` (L as numbered in the file: the L-th
 * `dense` line), `learning_rate`, `iterations`, `init`, `seed`.
 */
export type SweepKey = `layer${number}.units` | `layer${number}.activation` | 'learning_rate' | 'iterations' | 'init' | 'seed';

/** One key and the values it takes, as typed (`init` values as in the spec: `random 0.01`, `he`). */
export interface SweepAxis {
  key: SweepKey;
  values: string[];
}

/**
 * A run's settings, key -> value: numbers for units, learning_rate, iterations and seed; the
 * activation's name; the init scheme as the spec writes it (`random 0.01`, `xavier`).
 */
export type SweepSettings = Record<string, number | string>;

/** One run of a sweep when it has ended (trained, failed, or refused by the checks). */
export interface SweepRunResult {
  /** position in the grid (0-based; the first key varies slowest) */
  index: number;
  settings: SweepSettings;
  /** the cost recorded at the last iteration; null when the run did not train */
  finalCost: number | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  trainMetrics: ClassificationMetrics | null;
  testMetrics: ClassificationMetrics | null;
  /** iterations done */
  iterations: number;
  seconds: number;
  /** every recorded [iteration, cost] */
  costs: [number, number][];
  /** why the run has no result: the spec with these settings does not check, the data, a divergence */
  error?: ErrorInfo & { diagnostics?: string[] };
}

const SWEEP_KEY = /^(layer[1-9]\d{0,5}\.(units|activation)|learning_rate|iterations|init|seed)$/;

export function isSweepKey(v: unknown): v is SweepKey {
  return typeof v === 'string' && SWEEP_KEY.test(v);
}

/** The run with the lowest final cost (the first of equals) of those that trained, if any: the sweep's best. */
export function lowestFinalCost<T extends Pick<SweepRunResult, 'finalCost' | 'error'>>(results: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const r of results) if (!r.error && r.finalCost !== null && (!best || r.finalCost < best.finalCost!)) best = r;
  return best;
}

// ---------------------------------------------------------------------------------------------
// The step inspector

/** The quantities of one layer in a forward and backward pass, in the order they are computed. */
export const STEP_QUANTITIES = ['Z', 'A', 'dA', 'dZ', 'dW', 'db'] as const;
export type StepQuantity = (typeof STEP_QUANTITIES)[number];
/** The parameters as they are at that iteration. */
export type ParamQuantity = 'W' | 'b';

/** Summary statistics of a matrix: `norm` is the Frobenius norm √(Σ x²). */
export interface MatrixStats {
  shape: [number, number];
  min: number;
  max: number;
  mean: number;
  norm: number;
}

/**
 * A matrix for a heatmap: every value (row-major) when it has at most `maxSide` rows and columns,
 * otherwise the means of blocks of `block[0]` × `block[1]` values (the last blocks may be
 * smaller), so `rows` × `cols` ≤ maxSide × maxSide. The stats are always of the whole matrix.
 */
export interface HeatmapMatrix {
  rows: number;
  cols: number;
  values: number[];
  downsampled: boolean;
  block: [number, number];
}

export interface StepQuantityDetail extends MatrixStats {
  /** the course's formula, e.g. `dW[2] = (1/m) dZ[2] A[1]ᵀ` (`*` is the element-wise product) */
  formula: string;
  heatmap: HeatmapMatrix;
}

export interface StepLayerDetail {
  layer: number;
  activation: string;
  quantities: Record<StepQuantity | ParamQuantity, StepQuantityDetail>;
}

/** A forward and backward pass with the parameters after `iteration` updates (before the next). */
export interface StepDetail {
  iteration: number;
  cost: number;
  /** the cost formula, e.g. `J = −(1/m) Σ [y log a + (1 − y) log(1 − a)]` */
  costFormula: string;
  m: number;
  layers: StepLayerDetail[];
}

// ---------------------------------------------------------------------------------------------
// The gradient check

/** `passed` below 1e-7 (as the course); `warning` from 1e-7 to 1e-5; `failed` above. */
export type GradientVerdict = 'passed' | 'warning' | 'failed';

export interface GradientCheckLayer {
  layer: number;
  /** ‖grad − approx‖ / (‖grad‖ + ‖approx‖) over this layer's checked parameters */
  difference: number;
  /** parameters of the layer (W and b) and how many were checked */
  parameters: number;
  checked: number;
  gradientNorm: number;
  approxNorm: number;
}

export interface GradientCheckResult {
  difference: number;
  passed: boolean;
  verdict: GradientVerdict;
  epsilon: number;
  iteration: number;
  /** the examples used (the first `examples` of the training set's m) */
  examples: number;
  m: number;
  /** parameters of the network and how many were checked (all, or a sample in each layer) */
  parameters: number;
  checked: number;
  layers: GradientCheckLayer[];
}

// ---------------------------------------------------------------------------------------------
// Logistic regression as a computation graph (week 2)

/**
 * One example through x, w, b → z = wᵀx + b → a = σ(z) → L(a, y) = −(y log a + (1 − y) log(1 − a)),
 * and back: da = −y/a + (1 − y)/(1 − a), dz = a − y, dw = x dz, db = dz. Vectors have n values.
 */
export interface LogisticGraph {
  example: number;
  iteration: number;
  x: number[];
  y: number;
  w: number[];
  b: number;
  z: number;
  a: number;
  loss: number;
  da: number;
  dz: number;
  dw: number[];
  db: number;
  formulas: Record<'z' | 'a' | 'loss' | 'da' | 'dz' | 'dw' | 'db', string>;
}

// ---------------------------------------------------------------------------------------------
// Pictures

/** How an `input HxWxC` spec's examples are laid out: H·W·C values per example, C order. */
export interface ImageLayout {
  height: number;
  width: number;
  channels: number;
  /** the spec's `scale=` (features = pixels × scale) */
  scale: number;
}

/** A test example the network gets wrong. */
export interface MislabelledExample {
  /** 0-based, in the test set */
  index: number;
  label: number;
  /** A[L], the predicted probability of label 1 */
  probability: number;
  /** H·W·C values in the data set's layout (row by row, channels last), before scaling */
  pixels: number[];
}

export interface ImagePrediction {
  probability: number;
  /** 1 when probability > 0.5 */
  label: 0 | 1;
}
