// The course's lab: sweeps, the step inspector, the gradient check, logistic regression as a
// computation graph, the metrics and the pictures. The result types that src/lab/ computes (the
// CLI prints them as JSON, the designer draws them), the questions the extension host asks the
// lab worker, the lab's state in the designer (LabState, changed by LabEvents on both sides), and
// the messages between the host and the designer webview for it. No vscode, DOM or node imports.
//
// Host -> webview: `LabToWebview` (part of ToWebview). Webview -> host: `LabToHost` (part of
// ToHost), checked with `isLabToHost` before the host acts on it (a webview message is untrusted).

import type { ErrorInfo } from './errors';
import { appendCosts, type CostPoint } from './runs';
import type { NetworkSpec } from './spec';
import { isInt, isObject, onlyKeys } from './validate';
import type { ClassificationMetrics, SavedModel } from './workerProtocol';

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

// ---------------------------------------------------------------------------------------------
// The extension host and the lab worker (src/lab/labWorker.ts): each question is a request,
// answered by a LabAnswer of the same type or an error (its message is what the user reads).

/** Which parameters a question is about: the spec's initial ones, or given ones (a run's, a model's). */
export type LabParameters = { kind: 'initial' } | { kind: 'given'; iteration: number; parameters: SavedModel['parameters'] };

interface LabJobBase {
  spec: NetworkSpec;
  /** the folder the spec's data paths are relative to */
  specDir: string;
  /** the user's limits for reading the data */
  limits?: { maxFileBytes?: number; memoryBudgetBytes?: number };
  at: LabParameters;
}

export type LabJob =
  | (LabJobBase & { type: 'step' })
  | (LabJobBase & { type: 'graph'; example: number })
  | (LabJobBase & { type: 'gradcheck' })
  | (LabJobBase & { type: 'mislabelled'; limit: number });

export type LabAnswer =
  | { type: 'step'; detail: StepDetail }
  | { type: 'graph'; graph: LogisticGraph }
  | { type: 'gradcheck'; result: GradientCheckResult }
  | { type: 'mislabelled'; layout: ImageLayout; examples: MislabelledExample[]; total: number };

// ---------------------------------------------------------------------------------------------
// The lab's state in the designer: one per spec, kept by the host and sent whole to a view that
// loads or follows another spec; each change is a LabEvent, relayed to the views unchanged and
// applied on both sides by the same `applyLabEvent` (as the runs: src/shared/runs.ts).

/** One run of a sweep as the designer shows it. */
export interface SweepRunView {
  index: number;
  settings: SweepSettings;
  status: 'queued' | 'running' | 'done' | 'failed';
  /** iterations done, and to do */
  iteration: number;
  total: number;
  /** recorded costs, thinned by appendCosts */
  costs: CostPoint[];
  /** when it ended: its numbers (its costs are in `costs`) */
  result?: Omit<SweepRunResult, 'costs'>;
}

export interface SweepRecord {
  id: number;
  /** the spec (document URI) and its version when the sweep started */
  uri: string;
  version: number;
  axes: SweepAxis[];
  /** workers training at once */
  workers: number;
  startedAt: number;
  runs: SweepRunView[];
  finished: boolean;
  /** cancelled: the runs that had not ended have no result */
  stopped: boolean;
  /** from the start to the end of the whole sweep, once finished */
  seconds?: number;
}

/** The parameters a result is about, in words: "the initial parameters", "Run 2 at iteration 120 (paused)". */
export type LabSource = string;

/** A question's answer in the designer: asked, answered, or failed. */
export interface LabSlot<T> {
  status: 'pending' | 'done' | 'failed';
  value?: T;
  error?: string;
  source?: LabSource;
}

/** A picture the network was asked about (Predict an Image): as the network sees it, and the answer. */
export interface PicturePrediction extends ImagePrediction {
  name: string;
  width: number;
  height: number;
  channels: number;
  /** H·W·C values 0..255, the picture resized to the input (before the spec's scale) */
  pixels: number[];
}

export interface MislabelledSet {
  layout: ImageLayout;
  examples: MislabelledExample[];
  /** test examples wrong in all (the list may stop at a limit), and in the test set */
  total: number;
  testM?: number;
}

/** What each question answers. */
export interface LabValues {
  step: StepDetail;
  gradcheck: GradientCheckResult;
  graph: LogisticGraph;
  mislabelled: MislabelledSet;
  prediction: PicturePrediction;
}
export type LabTopic = keyof LabValues;
export const LAB_TOPICS: readonly LabTopic[] = ['step', 'gradcheck', 'graph', 'mislabelled', 'prediction'];

export type LabState = { sweep?: SweepRecord } & { [K in LabTopic]?: LabSlot<LabValues[K]> };

export const EMPTY_LAB: LabState = {};

/** A change to a spec's lab state. */
export type LabEvent =
  | { [K in LabTopic]: { kind: 'slot'; topic: K; slot: LabSlot<LabValues[K]> } }[LabTopic]
  | { kind: 'sweepStarted'; sweep: SweepRecord }
  | { kind: 'sweepRunStarted'; sweepId: number; index: number }
  | { kind: 'sweepRunProgress'; sweepId: number; index: number; iteration: number; costs: CostPoint[] }
  | { kind: 'sweepRunDone'; sweepId: number; result: SweepRunResult }
  | { kind: 'sweepFinished'; sweepId: number; stopped: boolean; seconds: number };

function updateRun(state: LabState, sweepId: number, index: number, change: (r: SweepRunView) => SweepRunView): LabState {
  const sweep = state.sweep;
  if (!sweep || sweep.id !== sweepId || !sweep.runs.some((r) => r.index === index)) return state;
  return { ...state, sweep: { ...sweep, runs: sweep.runs.map((r) => (r.index === index ? change(r) : r)) } };
}

/** The lab state after an event: the one rule the host and the webview both follow. */
export function applyLabEvent(state: LabState, event: LabEvent): LabState {
  switch (event.kind) {
    case 'slot':
      return { ...state, [event.topic]: event.slot };
    case 'sweepStarted':
      return { ...state, sweep: event.sweep };
    case 'sweepRunStarted':
      return updateRun(state, event.sweepId, event.index, (r) => ({ ...r, status: 'running' }));
    case 'sweepRunProgress':
      return updateRun(state, event.sweepId, event.index, (r) => ({ ...r, status: 'running', iteration: event.iteration, costs: appendCosts(r.costs, event.costs) }));
    case 'sweepRunDone': {
      const { costs, ...result } = event.result;
      return updateRun(state, event.sweepId, result.index, (r) => ({
        ...r,
        status: result.error ? 'failed' : 'done',
        iteration: result.iterations,
        costs: costs.length ? appendCosts([], costs) : r.costs,
        result,
      }));
    }
    case 'sweepFinished': {
      const sweep = state.sweep;
      if (!sweep || sweep.id !== event.sweepId) return state;
      return { ...state, sweep: { ...sweep, finished: true, stopped: event.stopped, seconds: event.seconds } };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Host -> webview

/** A spec's lab state, whole: when a view loads and when the designer follows another spec. */
export interface LabStateMessage {
  type: 'labState';
  uri: string;
  lab: LabState;
}

/** One change to the followed spec's lab state, as the host made it. */
export interface LabEventMessage {
  type: 'lab';
  uri: string;
  event: LabEvent;
}

/**
 * A request (Predict an Image): decode this PNG or JPEG with the browser's own decoders and resize
 * it to width × height; answered by `decodedImage`.
 */
export interface DecodeImageMessage {
  type: 'decodeImage';
  name: string;
  mime: 'image/png' | 'image/jpeg';
  /** the file's bytes, base64 */
  data: string;
  width: number;
  height: number;
  channels: number;
}

export type LabToWebview = LabStateMessage | LabEventMessage | DecodeImageMessage;

// ---------------------------------------------------------------------------------------------
// Webview -> host

/** Which parameters: the spec's initial ones, or the current run's (paused, running or finished). */
export type LabAt = 'initial' | 'run';

/** Run a sweep of the followed spec: over these axes, or (none) ask for them as the command does. */
export interface RunSweepMessage {
  type: 'runSweep';
  axes?: SweepAxis[];
}
export interface CancelSweepMessage {
  type: 'cancelSweep';
}
/** Write a sweep run's settings into the followed spec, as one edit (one undo step). */
export interface ApplySweepSettingsMessage {
  type: 'applySweepSettings';
  settings: SweepSettings;
  /** the document the sweep ran on: refused when the designer follows another one now */
  uri?: string;
  version?: number;
}
/** The step inspector at the initial parameters, or the current run's. */
export interface InspectStepMessage {
  type: 'inspectStep';
  at: LabAt;
}
export interface CheckGradientsMessage {
  type: 'checkGradients';
  at?: LabAt;
}
/** The computation graph for training example `example` (0-based). */
export interface ShowLogisticGraphMessage {
  type: 'showLogisticGraph';
  example: number;
  at: LabAt;
}
/** The test images the current run's network gets wrong. */
export interface RequestMislabelledMessage {
  type: 'requestMislabelled';
}
/** Run *nnspec: Predict an Image...* (an open dialog on the host's side). */
export interface PickImageMessage {
  type: 'pickImage';
}
/** Open the designer in a panel beside the spec, where the lab's views have room. */
export interface OpenToSideMessage {
  type: 'openToSide';
}
/**
 * The reply to `decodeImage`: the picture the webview decoded and resized to the input's width ×
 * height with the browser's decoders, as H·W·C values 0..255 in the data set's layout (see
 * `rgbaToPixels`); or why it could not.
 */
export interface DecodedImageMessage {
  type: 'decodedImage';
  width?: number;
  height?: number;
  channels?: number;
  pixels?: number[];
  error?: string;
}

export type LabToHost =
  | RunSweepMessage
  | CancelSweepMessage
  | ApplySweepSettingsMessage
  | InspectStepMessage
  | CheckGradientsMessage
  | ShowLogisticGraphMessage
  | RequestMislabelledMessage
  | PickImageMessage
  | OpenToSideMessage
  | DecodedImageMessage;

/** The most runs a sweep may have (the CLI and the designer alike). */
export const MAX_SWEEP_RUNS = 1000;
/** The largest picture a decodedImage message may carry (values). */
export const MAX_IMAGE_VALUES = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Validation (host side)

function isLabAt(v: unknown): v is LabAt {
  return v === 'initial' || v === 'run';
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
      if (!onlyKeys(msg, ['type', 'axes'])) return false;
      if (msg.axes === undefined) return true;
      if (!Array.isArray(msg.axes) || msg.axes.length === 0 || msg.axes.length > 8) return false;
      if (!msg.axes.every(isAxis)) return false;
      const keys = (msg.axes as SweepAxis[]).map((a) => a.key);
      const runs = (msg.axes as SweepAxis[]).reduce((n, a) => n * a.values.length, 1);
      return new Set(keys).size === keys.length && runs <= MAX_SWEEP_RUNS;
    }
    case 'cancelSweep':
    case 'requestMislabelled':
    case 'pickImage':
    case 'openToSide':
      return onlyKeys(msg, ['type']);
    case 'checkGradients':
      return onlyKeys(msg, ['type', 'at']) && (msg.at === undefined || isLabAt(msg.at));
    case 'applySweepSettings':
      return (
        onlyKeys(msg, ['type', 'settings', 'uri', 'version']) &&
        isSettings(msg.settings) &&
        (msg.uri === undefined || shortString(msg.uri, 4096)) &&
        (msg.version === undefined || isInt(msg.version, 0))
      );
    case 'inspectStep':
      return onlyKeys(msg, ['type', 'at']) && isLabAt(msg.at);
    case 'showLogisticGraph':
      return onlyKeys(msg, ['type', 'example', 'at']) && isInt(msg.example, 0, 1_000_000_000) && isLabAt(msg.at);
    case 'decodedImage': {
      if (!onlyKeys(msg, ['type', 'width', 'height', 'channels', 'pixels', 'error'])) return false;
      if (msg.error !== undefined) return shortString(msg.error, 1000) && msg.pixels === undefined;
      if (!isInt(msg.width, 1, 4096) || !isInt(msg.height, 1, 4096) || !isInt(msg.channels, 1, 4)) return false;
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
