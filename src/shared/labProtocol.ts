// The course's lab: sweeps, the step inspector, the gradient check, logistic regression as a
// computation graph, the metrics and the pictures. The result types that src/lab/ computes (the
// CLI prints them as JSON, the designer will draw them), and the messages between the extension
// host and the designer webview for them. No vscode, DOM or node imports.
//
// Host -> webview: `LabToWebview`. Webview -> host: `LabToHost`, checked with `isLabToHost`
// before the host acts on it (a webview message is untrusted input).

import type { ErrorInfo } from './errors';
import type { ClassificationMetrics } from './workerProtocol';

export type { ClassificationMetrics, ConfusionCounts } from './workerProtocol';

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

// ---------------------------------------------------------------------------------------------
// Host -> webview

export interface SweepStartedMessage {
  type: 'sweepStarted';
  sweepId: number;
  axes: SweepAxis[];
  /** every run of the grid, in grid order */
  runs: { index: number; settings: SweepSettings }[];
  /** workers training at once */
  workers: number;
}

export interface SweepRunStartedMessage {
  type: 'sweepRunStarted';
  sweepId: number;
  index: number;
}

export interface SweepRunProgressMessage {
  type: 'sweepRunProgress';
  sweepId: number;
  index: number;
  iteration: number;
  /** [iteration, cost] recorded since the previous message */
  costs: [number, number][];
}

export interface SweepRunDoneMessage {
  type: 'sweepRunDone';
  sweepId: number;
  result: SweepRunResult;
}

export interface SweepFinishedMessage {
  type: 'sweepFinished';
  sweepId: number;
  /** cancelled: the runs that had not ended have no result */
  stopped: boolean;
}

export interface StepResultMessage {
  type: 'stepResult';
  detail?: StepDetail;
  error?: string;
}

export interface GradientCheckResultMessage {
  type: 'gradientCheckResult';
  result?: GradientCheckResult;
  error?: string;
}

export interface LogisticGraphMessage {
  type: 'logisticGraph';
  graph?: LogisticGraph;
  error?: string;
}

export interface MetricsMessage {
  type: 'metrics';
  train: ClassificationMetrics | null;
  test: ClassificationMetrics | null;
}

export interface MislabelledMessage {
  type: 'mislabelled';
  layout: ImageLayout;
  examples: MislabelledExample[];
  /** test examples in all (the list may stop at a limit) */
  total: number;
}

export interface ImagePredictionMessage {
  type: 'imagePrediction';
  requestId: number;
  prediction?: ImagePrediction;
  error?: string;
}

export type LabToWebview =
  | SweepStartedMessage
  | SweepRunStartedMessage
  | SweepRunProgressMessage
  | SweepRunDoneMessage
  | SweepFinishedMessage
  | StepResultMessage
  | GradientCheckResultMessage
  | LogisticGraphMessage
  | MetricsMessage
  | MislabelledMessage
  | ImagePredictionMessage;

// ---------------------------------------------------------------------------------------------
// Webview -> host

/** Run a sweep of the followed document over these axes (at most MAX_SWEEP_RUNS runs). */
export interface RunSweepMessage {
  type: 'runSweep';
  axes: SweepAxis[];
}
export interface CancelSweepMessage {
  type: 'cancelSweep';
}
/** Write a run's settings into the spec, as one edit (one undo step). */
export interface ApplySweepSettingsMessage {
  type: 'applySweepSettings';
  settings: SweepSettings;
  /** the document and version the sweep ran on; the host refuses a stale one */
  uri?: string;
  version?: number;
}
/** The step inspector at `iteration` (0: the initial parameters). */
export interface InspectStepMessage {
  type: 'inspectStep';
  iteration: number;
}
export interface CheckGradientsMessage {
  type: 'checkGradients';
}
/** The computation graph for training example `example` (0-based). */
export interface ShowLogisticGraphMessage {
  type: 'showLogisticGraph';
  example: number;
}
export interface RequestMislabelledMessage {
  type: 'requestMislabelled';
}
/**
 * Predict a picture the webview decoded and resized to the input's width × height with the
 * browser's decoders: H·W·C values 0..255 in the data set's layout (see `rgbaToPixels`).
 */
export interface PredictImageMessage {
  type: 'predictImage';
  requestId: number;
  width: number;
  height: number;
  channels: number;
  pixels: number[];
}

export type LabToHost =
  | RunSweepMessage
  | CancelSweepMessage
  | ApplySweepSettingsMessage
  | InspectStepMessage
  | CheckGradientsMessage
  | ShowLogisticGraphMessage
  | RequestMislabelledMessage
  | PredictImageMessage;

/** The most runs a sweep may have (the CLI and the designer alike). */
export const MAX_SWEEP_RUNS = 1000;
/** The largest picture a predictImage message may carry (values). */
export const MAX_IMAGE_VALUES = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Validation (host side)

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isInt(v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
function onlyKeys(o: Obj, keys: string[]): boolean {
  return Object.keys(o).every((k) => keys.includes(k));
}
function shortString(v: unknown, max = 200): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

const SWEEP_KEY = /^(layer[1-9]\d{0,5}\.(units|activation)|learning_rate|iterations|init|seed)$/;

export function isSweepKey(v: unknown): v is SweepKey {
  return typeof v === 'string' && SWEEP_KEY.test(v);
}

function isAxis(v: unknown): v is SweepAxis {
  return (
    isObject(v) &&
    onlyKeys(v, ['key', 'values']) &&
    isSweepKey(v.key) &&
    Array.isArray(v.values) &&
    v.values.length > 0 &&
    v.values.length <= MAX_SWEEP_RUNS &&
    v.values.every((x) => shortString(x, 100))
  );
}

function isSettings(v: unknown): v is SweepSettings {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length > 0 &&
    keys.length <= 16 &&
    keys.every((k) => isSweepKey(k)) &&
    Object.values(v).every((x) => (typeof x === 'number' && Number.isFinite(x)) || shortString(x, 100))
  );
}

/** True when `msg` is a well-formed webview -> host lab message (unknown types and extra keys are rejected). */
export function isLabToHost(msg: unknown): msg is LabToHost {
  if (!isObject(msg) || typeof msg.type !== 'string') return false;
  switch (msg.type) {
    case 'runSweep': {
      if (!onlyKeys(msg, ['type', 'axes']) || !Array.isArray(msg.axes) || msg.axes.length === 0 || msg.axes.length > 8) return false;
      if (!msg.axes.every(isAxis)) return false;
      const keys = (msg.axes as SweepAxis[]).map((a) => a.key);
      const runs = (msg.axes as SweepAxis[]).reduce((n, a) => n * a.values.length, 1);
      return new Set(keys).size === keys.length && runs <= MAX_SWEEP_RUNS;
    }
    case 'cancelSweep':
    case 'checkGradients':
    case 'requestMislabelled':
      return onlyKeys(msg, ['type']);
    case 'applySweepSettings':
      return (
        onlyKeys(msg, ['type', 'settings', 'uri', 'version']) &&
        isSettings(msg.settings) &&
        (msg.uri === undefined || shortString(msg.uri, 4096)) &&
        (msg.version === undefined || isInt(msg.version))
      );
    case 'inspectStep':
      return onlyKeys(msg, ['type', 'iteration']) && isInt(msg.iteration, 0, 100_000_000);
    case 'showLogisticGraph':
      return onlyKeys(msg, ['type', 'example']) && isInt(msg.example, 0, 1_000_000_000);
    case 'predictImage': {
      if (!onlyKeys(msg, ['type', 'requestId', 'width', 'height', 'channels', 'pixels'])) return false;
      if (!isInt(msg.requestId) || !isInt(msg.width, 1, 4096) || !isInt(msg.height, 1, 4096) || !isInt(msg.channels, 1, 4)) return false;
      const n = msg.width * msg.height * msg.channels;
      return (
        n <= MAX_IMAGE_VALUES &&
        Array.isArray(msg.pixels) &&
        msg.pixels.length === n &&
        msg.pixels.every((p) => typeof p === 'number' && p >= 0 && p <= 255)
      );
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Pictures: from the browser's decoded image to the data set's layout

/**
 * An RGBA image (ImageData.data: width × height × 4 bytes, row by row) as the H·W·C values a
 * spec's `input HxWxC` expects, row by row with the channels last (the course's HDF5 layout,
 * flattened in C order): C = 3 is RGB (alpha dropped), C = 4 RGBA, C = 1 the luma
 * 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601). The image must already be width × height.
 */
export function rgbaToPixels(rgba: ArrayLike<number>, width: number, height: number, channels: number): number[] {
  if (rgba.length !== width * height * 4) throw new Error(`rgbaToPixels: ${rgba.length} bytes are not a ${width}×${height} RGBA image`);
  if (![1, 3, 4].includes(channels)) throw new Error(`rgbaToPixels: ${channels} channels; an image has 1 (grey), 3 (RGB) or 4 (RGBA)`);
  const out = new Array<number>(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const r = rgba[4 * p];
    const g = rgba[4 * p + 1];
    const b = rgba[4 * p + 2];
    if (channels === 1) out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else for (let c = 0; c < channels; c++) out[p * channels + c] = rgba[4 * p + c];
  }
  return out;
}
