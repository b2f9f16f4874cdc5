// The L-layer network of the course, vectorised over the m examples (columns): forward
// propagation with caches, the cost, backward propagation, gradient descent, predictions and
// a two-sided numerical gradient check. Formulas follow the course notebooks so that a run
// can be compared with NumPy number for number.

import { layerSizes, type Activation, type InitScheme, type Loss, type NetworkSpec } from '../shared/model/spec';
import { typescriptBackend, type KernelBackend } from './backend';
import {
  binaryCrossEntropyGradient,
  binaryCrossEntropySum,
  countEqual,
  leakyReluBackward,
  matrix,
  reluBackward,
  rowSums,
  sameShape,
  scaleInPlace,
  shapeOf,
  sigmoidBackward,
  squaredErrorGradient,
  squaredErrorSum,
  tanhBackward,
  threshold,
  type CancelCheck,
  type Matrix,
} from './kernels';
import { sigmoid as sigmoidOf, tanh as tanhOf } from './elementary';
import { assertTrainable } from './errors';
import { confusionAccuracy, countConfusion, emptyConfusion, type Confusion } from './metrics';
import { NumpyRandom } from './numpyRandom';

export interface LayerParams {
  W: Matrix;
  b: Matrix;
}

export interface LayerCache {
  /** A[l-1], the layer's input */
  Aprev: Matrix;
  Z: Matrix;
  A: Matrix;
}

export interface LayerGrads {
  dW: Matrix;
  db: Matrix;
}

export const LEAKY_SLOPE = 0.01;

/**
 * Z := Z + b (broadcast over the columns) and A := g(Z), in one pass: the bias add and the
 * activation of the forward step, with the same arithmetic as doing them one after the other.
 */
export function biasActivate(name: Activation, Z: Matrix, b: Matrix, A: Matrix): void {
  if (b.rows !== Z.rows || b.cols !== 1) throw new Error(`addColumn: cannot broadcast ${shapeOf(b)} over ${shapeOf(Z)}`);
  sameShape(Z, A, 'activation');
  const { rows, cols } = Z;
  const z = Z.data;
  const a = A.data;
  for (let i = 0; i < rows; i++) {
    const bias = b.data[i];
    const from = i * cols;
    const to = from + cols;
    switch (name) {
      case 'sigmoid':
        for (let j = from; j < to; j++) {
          const v = z[j] + bias;
          z[j] = v;
          a[j] = sigmoidOf(v);
        }
        break;
      case 'tanh':
        for (let j = from; j < to; j++) {
          const v = z[j] + bias;
          z[j] = v;
          a[j] = tanhOf(v);
        }
        break;
      case 'relu':
        for (let j = from; j < to; j++) {
          const v = z[j] + bias;
          z[j] = v;
          a[j] = v > 0 ? v : 0;
        }
        break;
      case 'leaky_relu':
        for (let j = from; j < to; j++) {
          const v = z[j] + bias;
          z[j] = v;
          a[j] = v > 0 ? v : LEAKY_SLOPE * v;
        }
        break;
      case 'linear':
        for (let j = from; j < to; j++) {
          const v = z[j] + bias;
          z[j] = v;
          a[j] = v;
        }
        break;
    }
  }
}

/** dZ = dA ∘ g'(Z), using the cached A where the course does (sigmoid, tanh); into `dZ` when given. */
export function activationBackward(name: Activation, dA: Matrix, cache: LayerCache, dZ: Matrix = matrix(dA.rows, dA.cols)): Matrix {
  switch (name) {
    case 'sigmoid':
      return sigmoidBackward(dA, cache.A, dZ);
    case 'tanh':
      return tanhBackward(dA, cache.A, dZ);
    case 'relu':
      return reluBackward(dA, cache.Z, dZ);
    case 'leaky_relu':
      return leakyReluBackward(dA, cache.Z, LEAKY_SLOPE, dZ);
    case 'linear':
      sameShape(dA, dZ, 'linear');
      dZ.data.set(dA.data);
      return dZ;
  }
}

/** n[0..L] from the spec. */
export function layerDims(spec: NetworkSpec): number[] {
  assertTrainable(spec);
  return layerSizes(spec);
}

/**
 * Initial parameters: `np.random.seed(seed)`, then for l = 1..L one
 * `np.random.randn(n[l], n[l-1])` draw, scaled by the scheme. Biases are zero. The matrices come
 * from `backend` (so that its products can use them in place).
 */
export function initializeParameters(dims: number[], init: InitScheme, seed: number, backend: KernelBackend = typescriptBackend): LayerParams[] {
  const rng = new NumpyRandom(seed);
  const params: LayerParams[] = [];
  for (let l = 1; l < dims.length; l++) {
    const rows = dims[l];
    const cols = dims[l - 1];
    const W = backend.matrix(rows, cols);
    if (init.kind !== 'zeros') {
      const scale = init.kind === 'random' ? init.scale : init.kind === 'xavier' ? 1 / Math.sqrt(cols) : Math.sqrt(2 / cols);
      const draw = rng.randn(rows * cols);
      // the course divides by sqrt(n) for xavier: keep that operation so results match bit for bit
      if (init.kind === 'xavier') for (let i = 0; i < draw.length; i++) W.data[i] = draw[i] / Math.sqrt(cols);
      else for (let i = 0; i < draw.length; i++) W.data[i] = draw[i] * scale;
    }
    params.push({ W, b: backend.matrix(rows, 1) });
  }
  return params;
}

/** Destinations for a forward and backward pass, so that nothing is allocated per pass. */
export interface PassBuffers {
  backend: KernelBackend;
  /** Z[l] and A[l] (n[l], m) */
  Z: Matrix[];
  A: Matrix[];
  /** dA[l] (n[l], m): dA[L] from the loss, then W[l+1]ᵀdZ[l+1] */
  dA: Matrix[];
  dZ: Matrix[];
  grads: LayerGrads[];
}

/** Every buffer of a forward and backward pass over m examples, from one backend. */
export function passBuffers(backend: KernelBackend, dims: number[], m: number): PassBuffers {
  const layers = dims.slice(1);
  return {
    backend,
    Z: layers.map((n) => backend.matrix(n, m)),
    A: layers.map((n) => backend.matrix(n, m)),
    dA: layers.map((n) => backend.matrix(n, m)),
    dZ: layers.map((n) => backend.matrix(n, m)),
    grads: layers.map((n, i) => ({ dW: backend.matrix(n, dims[i]), db: backend.matrix(n, 1) })),
  };
}

/**
 * Forward propagation with caches: Z[l] = W[l]A[l-1] + b[l], A[l] = g(Z[l]). Into `into` when
 * given, otherwise into new matrices. `cancel` is checked between layers and inside the large
 * products, so a stop request aborts the pass (CancelledError) within milliseconds.
 */
export function forward(
  params: LayerParams[],
  activations: Activation[],
  X: Matrix,
  cancel?: CancelCheck,
  into?: Pick<PassBuffers, 'backend' | 'Z' | 'A'>,
): { AL: Matrix; caches: LayerCache[] } {
  const backend = into?.backend ?? typescriptBackend;
  let A = X;
  const caches: LayerCache[] = [];
  params.forEach(({ W, b }, i) => {
    if (W.cols !== A.rows) throw new Error(`Layer ${i + 1}: W${shapeOf(W)} cannot multiply A[${i}]${shapeOf(A)}`);
    cancel?.();
    const Z = into?.Z[i] ?? backend.matrix(W.rows, A.cols);
    const next = into?.A[i] ?? backend.matrix(W.rows, A.cols);
    backend.gemm(Z, W, A, false, false, 1, cancel);
    if (!backend.biasActivate?.(activations[i], Z, b, next)) biasActivate(activations[i], Z, b, next);
    caches.push({ Aprev: A, Z, A: next });
    A = next;
  });
  return { AL: A, caches };
}

/** The cost J; throws (naming both shapes) when A[L] and Y do not have the same shape. */
export function computeCost(loss: Loss, AL: Matrix, Y: Matrix): number {
  const m = Y.cols;
  if (loss === 'binary_cross_entropy') return -binaryCrossEntropySum(AL, Y) / m;
  return squaredErrorSum(AL, Y) / (2 * m);
}

/** dA[L], the derivative of the per-example loss with respect to A[L]; into `dA` when given. */
export function lossGradient(loss: Loss, AL: Matrix, Y: Matrix, dA?: Matrix): Matrix {
  return loss === 'binary_cross_entropy' ? binaryCrossEntropyGradient(AL, Y, dA) : squaredErrorGradient(AL, Y, dA);
}

/**
 * Backward propagation: dA[L] from the loss, then for l = L..1: dZ[l] = dA[l] ∘ g'(Z[l]),
 * dW[l] = dZ[l]A[l-1]ᵀ/m, db[l] = Σ dZ[l]/m and, except for the first layer (whose dA[0] nothing
 * uses), dA[l-1] = W[l]ᵀdZ[l]. Into `into` when given, otherwise into new matrices.
 */
export function backward(
  params: LayerParams[],
  activations: Activation[],
  caches: LayerCache[],
  AL: Matrix,
  Y: Matrix,
  loss: Loss,
  cancel?: CancelCheck,
  into?: Pick<PassBuffers, 'backend' | 'dA' | 'dZ' | 'grads'>,
): LayerGrads[] {
  const backend = into?.backend ?? typescriptBackend;
  const m = Y.cols;
  const L = params.length;
  const grads: LayerGrads[] = new Array(L);
  let dA = lossGradient(loss, AL, Y, into?.dA[L - 1]);
  for (let l = L - 1; l >= 0; l--) {
    cancel?.();
    const cache = caches[l];
    const dZ = activationBackward(activations[l], dA, cache, into?.dZ[l]);
    const { W } = params[l];
    const dW = into?.grads[l].dW ?? backend.matrix(W.rows, W.cols);
    backend.gemm(dW, dZ, cache.Aprev, false, true, 1 / m, cancel);
    const db = scaleInPlace(rowSums(dZ, into?.grads[l].db), 1 / m);
    if (l > 0) {
      const dAprev = into?.dA[l - 1] ?? backend.matrix(W.cols, dZ.cols);
      backend.gemm(dAprev, W, dZ, true, false, 1, cancel);
      dA = dAprev;
    }
    grads[l] = { dW, db };
  }
  return grads;
}

export function updateParameters(params: LayerParams[], grads: LayerGrads[], learningRate: number, backend: KernelBackend = typescriptBackend): void {
  params.forEach((p, l) => {
    backend.subtractScaled(p.W, grads[l].dW, learningRate);
    backend.subtractScaled(p.b, grads[l].db, learningRate);
  });
}

/** A[L] > 0.5 as 0/1. */
export function predict(params: LayerParams[], activations: Activation[], X: Matrix, cancel?: CancelCheck): Matrix {
  const { AL } = forward(params, activations, X, cancel);
  return threshold(AL, 0.5);
}

/** Fraction of examples whose 0/1 prediction equals the label. */
export function accuracy(params: LayerParams[], activations: Activation[], X: Matrix, Y: Matrix, cancel?: CancelCheck): number {
  const p = predict(params, activations, X, cancel);
  return countEqual(p, Y) / Y.cols;
}

/** Examples per batch when a network evaluates data other than its training set. */
const EVAL_BATCH = 256;

/**
 * A network being trained on one data set: its parameters and every buffer an iteration uses,
 * allocated once from the backend, so that an iteration allocates nothing; the training X is
 * handed to the backend as a constant (the WebAssembly backend packs it once per run).
 */
export class Network {
  readonly params: LayerParams[];
  readonly buffers: PassBuffers;
  /** buffers for evaluating other data, by batch width */
  private readonly batches = new Map<number, { X: Matrix; Z: Matrix[]; A: Matrix[] }>();
  /** the last step ran to its end: its output A[L] is still in the buffers */
  private stepped = false;
  private stepCost: number | undefined;

  constructor(
    readonly backend: KernelBackend,
    readonly dims: number[],
    readonly activations: Activation[],
    readonly loss: Loss,
    init: InitScheme,
    seed: number,
    readonly X: Matrix,
    readonly Y: Matrix,
  ) {
    if (X.rows !== dims[0]) throw new Error(`The data has ${X.rows} features per example, but the network's input is ${dims[0]}.`);
    this.params = initializeParameters(dims, init, seed, backend);
    this.buffers = passBuffers(backend, dims, X.cols);
    backend.constant(X);
  }

  /**
   * One gradient descent step on the training set. Returns the cost before the update when
   * `withCost`, or when the output is such that the cost may not be finite (then it is computed
   * to tell); otherwise undefined, and `lastCost()` computes it from the step's output if asked.
   */
  step(learningRate: number, cancel?: CancelCheck, withCost = true): number | undefined {
    this.stepped = false;
    // forward, the cost (before the update, as the course prints it), backward, the update
    const { AL, caches } = forward(this.params, this.activations, this.X, cancel, this.buffers);
    const cost = withCost || !costIsSurelyFinite(this.loss, AL, this.Y) ? computeCost(this.loss, AL, this.Y) : undefined;
    const grads = backward(this.params, this.activations, caches, AL, this.Y, this.loss, cancel, this.buffers);
    // the update itself is not interruptible, so a cancelled step leaves the parameters untouched
    updateParameters(this.params, grads, learningRate, this.backend);
    this.stepped = true;
    this.stepCost = cost;
    return cost;
  }

  /** The cost before the last step's update; undefined before the first step or after an interrupted one. */
  lastCost(): number | undefined {
    if (!this.stepped) return undefined;
    if (this.stepCost === undefined) this.stepCost = computeCost(this.loss, this.buffers.A[this.buffers.A.length - 1], this.Y);
    return this.stepCost;
  }

  /** Fraction of the examples of X (the training set, or any other) whose 0/1 prediction equals Y. */
  accuracy(X: Matrix, Y: Matrix, cancel?: CancelCheck): number {
    return confusionAccuracy(this.confusion(X, Y, cancel));
  }

  /**
   * The confusion matrix of the 0/1 predictions (A[L] > 0.5) on the examples of X (the training
   * set, or any other) against Y; its (tp + tn) / m is the accuracy.
   */
  confusion(X: Matrix, Y: Matrix, cancel?: CancelCheck): Confusion {
    if (X === this.X) {
      this.lastCost(); // kept: the output it is computed from is about to be overwritten
      const { AL } = forward(this.params, this.activations, X, cancel, this.buffers);
      return countConfusion(AL, Y);
    }
    if (X.rows !== this.dims[0]) throw new Error(`The data has ${X.rows} features per example, but the network's input is ${this.dims[0]}.`);
    const counts = emptyConfusion();
    for (let from = 0; from < X.cols; from += EVAL_BATCH) {
      const width = Math.min(EVAL_BATCH, X.cols - from);
      const batch = this.batch(width);
      copyColumns(X, from, batch.X);
      const { AL } = forward(this.params, this.activations, batch.X, cancel, { backend: this.backend, ...batch });
      countConfusion(AL, Y, from, counts);
    }
    return counts;
  }

  private batch(width: number): { X: Matrix; Z: Matrix[]; A: Matrix[] } {
    let b = this.batches.get(width);
    if (!b) {
      const layers = this.dims.slice(1);
      b = {
        X: this.backend.matrix(this.dims[0], width),
        Z: layers.map((n) => this.backend.matrix(n, width)),
        A: layers.map((n) => this.backend.matrix(n, width)),
      };
      this.batches.set(width, b);
    }
    return b;
  }
}

/**
 * True when every output value keeps the cost finite (a sigmoid output strictly between 0 and 1
 * for the cross-entropy, |A − Y| below 1e145 for the squared error), so that it need not be
 * computed to detect divergence: a cheap scan instead of a logarithm per example.
 */
export function costIsSurelyFinite(loss: Loss, AL: Matrix, Y: Matrix): boolean {
  const a = AL.data;
  if (loss === 'binary_cross_entropy') {
    for (let i = 0; i < a.length; i++) if (!(a[i] > 0 && a[i] < 1)) return false;
    return true;
  }
  const y = Y.data;
  if (a.length !== y.length) return false;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - y[i]) < 1e145)) return false;
  return true;
}

/** Columns from..from+out.cols of X into out. */
function copyColumns(X: Matrix, from: number, out: Matrix): void {
  for (let i = 0; i < X.rows; i++) out.data.set(X.data.subarray(i * X.cols + from, i * X.cols + from + out.cols), i * out.cols);
}
