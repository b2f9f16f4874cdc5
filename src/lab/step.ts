// The step inspector: one forward and backward pass of the course, with every cache, at the
// parameters after N updates (before update N + 1). `nnspec step` prints its statistics; the
// designer draws the matrices as heatmaps (`stepDetail`). Nothing here changes the parameters:
// the pass is the one the next update would use, without the update.

import type { Activation, Loss, NetworkSpec } from '../shared/spec';
import {
  STEP_QUANTITIES,
  type HeatmapMatrix,
  type MatrixStats,
  type ParamQuantity,
  type StepDetail,
  type StepLayerDetail,
  type StepQuantity,
  type StepQuantityDetail,
} from '../shared/labProtocol';
import type { Dataset } from '../trainer/datasets';
import type { Matrix } from '../trainer/kernels';
import { backward, computeCost, forward, type LayerGrads, type LayerParams, type Network } from '../trainer/model';
import { TrainingRun, type KernelChoice } from '../trainer/run';

/** Every matrix of one pass: index l − 1 holds layer l's. */
export interface PassState {
  /** updates done before this pass */
  iteration: number;
  /** J at these parameters (the cost training records at this iteration) */
  cost: number;
  m: number;
  activations: Activation[];
  loss: Loss;
  params: LayerParams[];
  Z: Matrix[];
  A: Matrix[];
  /** dA[l]: the derivative of the cost with respect to A[l] (for l = L, from the loss) */
  dA: Matrix[];
  dZ: Matrix[];
  grads: LayerGrads[];
}

/**
 * Forward and backward propagation at the network's current parameters, into its own buffers,
 * without an update. The matrices stay valid until the network steps again or is disposed.
 */
export function passAt(network: Network, iteration: number): PassState {
  const { AL, caches } = forward(network.params, network.activations, network.X, undefined, network.buffers);
  const cost = computeCost(network.loss, AL, network.Y);
  const grads = backward(network.params, network.activations, caches, AL, network.Y, network.loss, undefined, network.buffers);
  const b = network.buffers;
  return {
    iteration,
    cost,
    m: network.X.cols,
    activations: network.activations,
    loss: network.loss,
    params: network.params,
    Z: b.Z,
    A: b.A,
    dA: b.dA,
    dZ: b.dZ,
    grads,
  };
}

/**
 * A run trained for `iteration` updates (0: the initial parameters), on the fastest kernels
 * unless told otherwise (they give the same numbers). Throws DivergedError when the cost becomes
 * NaN on the way. The caller disposes the run.
 */
export async function runTo(
  spec: NetworkSpec,
  train: Dataset,
  iteration: number,
  options: { kernels?: KernelChoice; threads?: 1 | 2; cancel?: () => void; onStep?: (done: number, total: number) => void } = {},
): Promise<TrainingRun> {
  const { run } = await TrainingRun.start(spec, train, undefined, {
    maxIterations: iteration,
    // costs are not what the inspector is after: record as few as the run allows
    recordEvery: Number.MAX_SAFE_INTEGER,
    kernels: options.kernels,
    threads: options.threads,
    cancel: options.cancel,
  });
  try {
    while (!run.done) {
      run.step();
      options.onStep?.(run.iteration, run.total);
    }
  } catch (err) {
    run.dispose();
    throw err;
  }
  return run;
}

export function matrixStats(M: Matrix): MatrixStats {
  const d = M.data;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    squares += v * v;
  }
  return { shape: [M.rows, M.cols], min, max, mean: sum / d.length, norm: Math.sqrt(squares) };
}

/** The matrix of `quantity` for layer l (1-based) in a pass. */
export function passMatrix(state: PassState, l: number, quantity: StepQuantity | ParamQuantity): Matrix {
  const i = l - 1;
  switch (quantity) {
    case 'Z':
      return state.Z[i];
    case 'A':
      return state.A[i];
    case 'dA':
      return state.dA[i];
    case 'dZ':
      return state.dZ[i];
    case 'dW':
      return state.grads[i].dW;
    case 'db':
      return state.grads[i].db;
    case 'W':
      return state.params[i].W;
    case 'b':
      return state.params[i].b;
  }
}

/** What `nnspec step --json` prints for one layer: the six quantities, and W and b as extras. */
export interface StepLayerJson extends Record<StepQuantity | ParamQuantity, MatrixStats> {
  layer: number;
  activation: Activation;
}

export interface StepJson {
  iteration: number;
  cost: number;
  m: number;
  layers: StepLayerJson[];
}

export function stepSummary(state: PassState): StepJson {
  return {
    iteration: state.iteration,
    cost: state.cost,
    m: state.m,
    layers: state.activations.map((activation, i) => {
      const l = i + 1;
      const layer = { layer: l, activation } as StepLayerJson;
      for (const q of [...STEP_QUANTITIES, 'W', 'b'] as const) layer[q] = matrixStats(passMatrix(state, l, q));
      return layer;
    }),
  };
}

const G: Record<Activation, (z: string) => string> = {
  sigmoid: (z) => `σ(${z})`,
  tanh: (z) => `tanh(${z})`,
  relu: (z) => `relu(${z})`,
  leaky_relu: (z) => `leaky_relu(${z})`,
  linear: (z) => z,
};

const G_PRIME: Record<Activation, (l: number) => string> = {
  sigmoid: (l) => ` * A[${l}](1 − A[${l}])`,
  tanh: (l) => ` * (1 − A[${l}]²)`,
  relu: (l) => ` * (Z[${l}] > 0)`,
  leaky_relu: (l) => ` * (1 where Z[${l}] > 0, else 0.01)`,
  linear: () => '',
};

/**
 * The course's formula for each quantity of layer l of L (`*` is the element-wise product,
 * `ᵀ` the transpose, Σ over the m examples, i.e. the columns).
 */
export function stepFormulas(l: number, L: number, activation: Activation, loss: Loss): Record<StepQuantity | ParamQuantity, string> {
  const dA =
    l < L
      ? `dA[${l}] = W[${l + 1}]ᵀ dZ[${l + 1}]`
      : loss === 'binary_cross_entropy'
        ? `dA[${l}] = −(Y / A[${l}] − (1 − Y) / (1 − A[${l}]))`
        : `dA[${l}] = A[${l}] − Y`;
  return {
    Z: `Z[${l}] = W[${l}] A[${l - 1}] + b[${l}]`,
    A: `A[${l}] = ${G[activation](`Z[${l}]`)}`,
    dA,
    dZ: `dZ[${l}] = dA[${l}]${G_PRIME[activation](l)}`,
    dW: `dW[${l}] = (1/m) dZ[${l}] A[${l - 1}]ᵀ`,
    db: `db[${l}] = (1/m) Σ dZ[${l}] (summed over the m columns)`,
    W: `W[${l}] := W[${l}] − α dW[${l}] (after each update)`,
    b: `b[${l}] := b[${l}] − α db[${l}] (after each update)`,
  };
}

export function costFormula(loss: Loss): string {
  return loss === 'binary_cross_entropy' ? 'J = −(1/m) Σ [Y log A[L] + (1 − Y) log(1 − A[L])]' : 'J = (1/(2m)) Σ (A[L] − Y)²';
}

/** Largest side of a heatmap: larger matrices are shown as means of blocks. */
export const HEATMAP_SIDE = 64;

/** A matrix for a heatmap: all values up to maxSide × maxSide, else the means of blocks. */
export function heatmap(M: Matrix, maxSide = HEATMAP_SIDE): HeatmapMatrix {
  const rb = Math.max(1, Math.ceil(M.rows / maxSide));
  const cb = Math.max(1, Math.ceil(M.cols / maxSide));
  if (rb === 1 && cb === 1) return { rows: M.rows, cols: M.cols, values: Array.from(M.data), downsampled: false, block: [1, 1] };
  const rows = Math.ceil(M.rows / rb);
  const cols = Math.ceil(M.cols / cb);
  const values = new Array<number>(rows * cols).fill(0);
  for (let r = 0; r < rows; r++) {
    const r1 = Math.min(M.rows, (r + 1) * rb);
    for (let c = 0; c < cols; c++) {
      const c1 = Math.min(M.cols, (c + 1) * cb);
      let sum = 0;
      for (let i = r * rb; i < r1; i++) for (let j = c * cb; j < c1; j++) sum += M.data[i * M.cols + j];
      values[r * cols + c] = sum / ((r1 - r * rb) * (c1 - c * cb));
    }
  }
  return { rows, cols, values, downsampled: true, block: [rb, cb] };
}

/** The whole pass for the designer: every quantity with its formula, statistics and heatmap. */
export function stepDetail(state: PassState, maxSide = HEATMAP_SIDE): StepDetail {
  const L = state.activations.length;
  const layers: StepLayerDetail[] = state.activations.map((activation, i) => {
    const l = i + 1;
    const formulas = stepFormulas(l, L, activation, state.loss);
    const quantities = {} as Record<StepQuantity | ParamQuantity, StepQuantityDetail>;
    for (const q of [...STEP_QUANTITIES, 'W', 'b'] as const) {
      const M = passMatrix(state, l, q);
      quantities[q] = { ...matrixStats(M), formula: formulas[q], heatmap: heatmap(M, maxSide) };
    }
    return { layer: l, activation, quantities };
  });
  return { iteration: state.iteration, cost: state.cost, costFormula: costFormula(state.loss), m: state.m, layers };
}

/** A number in a table: 6 significant digits, exponent form for the very large and small. */
export function num(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(6).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** The text `nnspec step` prints: forward layer by layer, then backward, with the formulas. */
export function formatStep(state: PassState): string {
  const summary = stepSummary(state);
  const L = state.activations.length;
  const header = ['', 'shape', 'min', 'mean', 'max', 'norm', 'formula'];
  const rows: string[][] = [];
  const section = (title: string): void => {
    rows.push([title]);
  };
  const add = (l: number, q: StepQuantity | ParamQuantity): void => {
    const s = summary.layers[l - 1][q];
    const formula = stepFormulas(l, L, state.activations[l - 1], state.loss)[q];
    rows.push([`${q}[${l}]`, `(${s.shape[0]}, ${s.shape[1]})`, num(s.min), num(s.mean), num(s.max), num(s.norm), formula]);
  };
  section('Forward propagation');
  for (let l = 1; l <= L; l++) for (const q of ['Z', 'A'] as const) add(l, q);
  section('Backward propagation');
  for (let l = L; l >= 1; l--) for (const q of ['dA', 'dZ', 'dW', 'db'] as const) add(l, q);
  section('Parameters');
  for (let l = 1; l <= L; l++) for (const q of ['W', 'b'] as const) add(l, q);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.filter((r) => r.length > 1).map((r) => r[k].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, k) => (k === cells.length - 1 ? c : k >= 2 && k <= 5 ? c.padStart(widths[k]) : c.padEnd(widths[k])))
      .join('  ')
      .trimEnd();
  const out = [
    `Iteration ${state.iteration} (${state.iteration === 0 ? 'the initial parameters' : `after ${state.iteration} update${state.iteration === 1 ? '' : 's'}`}, before update ${state.iteration + 1}), m = ${state.m}`,
    `Cost ${costFormula(state.loss)} = ${state.cost}`,
    '',
    '  ' + line(header),
  ];
  for (const r of rows) out.push(r.length === 1 ? `${r[0]}:` : '  ' + line(r));
  return out.join('\n') + '\n';
}
