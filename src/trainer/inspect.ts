// The step inspector's pass: one forward and backward propagation of the course at a network's
// current parameters, into the network's own buffers, without an update, and every quantity of it
// with its formula, statistics and a heatmap (`stepDetail`). In the trainer's room because the
// training worker answers it for a paused run on the run's own Network (src/trainer/trainWorker.ts);
// the lab (src/lab/step.ts) and `nnspec step` use the same functions.

import type { Activation, Loss } from '../shared/model/spec';
import { STEP_QUANTITIES, type HeatmapMatrix, type MatrixStats, type ParamQuantity, type StepDetail, type StepLayerDetail, type StepQuantity, type StepQuantityDetail } from '../shared/model/results';
import type { Matrix } from './kernels';
import { backward, computeCost, forward, type LayerGrads, type LayerParams, type Network } from './model';

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
