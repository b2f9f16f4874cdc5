// The L-layer network of the course, vectorised over the m examples (columns): forward
// propagation with caches, the cost, backward propagation, gradient descent, predictions and
// a two-sided numerical gradient check. Formulas follow the course notebooks so that a run
// can be compared with NumPy number for number.

import type { Activation, InitScheme, Loss, NetworkSpec } from '../shared/spec';
import {
  addColumnInPlace,
  binaryCrossEntropyGradient,
  binaryCrossEntropySum,
  clone,
  countEqual,
  leakyRelu,
  leakyReluBackward,
  matmul,
  matrix,
  relu,
  reluBackward,
  rowSums,
  scaleInPlace,
  shapeOf,
  sigmoid,
  sigmoidBackward,
  squaredErrorGradient,
  squaredErrorSum,
  subtractScaledInPlace,
  tanh,
  tanhBackward,
  threshold,
  type CancelCheck,
  type Matrix,
} from './kernels';
import { assertTrainable } from './errors';
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

export function activate(name: Activation, Z: Matrix): Matrix {
  switch (name) {
    case 'sigmoid':
      return sigmoid(Z);
    case 'tanh':
      return tanh(Z);
    case 'relu':
      return relu(Z);
    case 'leaky_relu':
      return leakyRelu(Z, LEAKY_SLOPE);
    case 'linear':
      return clone(Z);
  }
}

/** dZ = dA ∘ g'(Z), using the cached A where the course does (sigmoid, tanh). */
export function activationBackward(name: Activation, dA: Matrix, cache: LayerCache): Matrix {
  switch (name) {
    case 'sigmoid':
      return sigmoidBackward(dA, cache.A);
    case 'tanh':
      return tanhBackward(dA, cache.A);
    case 'relu':
      return reluBackward(dA, cache.Z);
    case 'leaky_relu':
      return leakyReluBackward(dA, cache.Z, LEAKY_SLOPE);
    case 'linear':
      return clone(dA);
  }
}

/** n[0..L] from the spec. */
export function layerDims(spec: NetworkSpec): number[] {
  assertTrainable(spec);
  return [spec.inputSize, ...spec.layers.map((l) => l.units)];
}

/**
 * Initial parameters: `np.random.seed(seed)`, then for l = 1..L one
 * `np.random.randn(n[l], n[l-1])` draw, scaled by the scheme. Biases are zero.
 */
export function initializeParameters(dims: number[], init: InitScheme, seed: number): LayerParams[] {
  const rng = new NumpyRandom(seed);
  const params: LayerParams[] = [];
  for (let l = 1; l < dims.length; l++) {
    const rows = dims[l];
    const cols = dims[l - 1];
    const W = matrix(rows, cols);
    if (init.kind !== 'zeros') {
      const scale = init.kind === 'random' ? init.scale : init.kind === 'xavier' ? 1 / Math.sqrt(cols) : Math.sqrt(2 / cols);
      const draw = rng.randn(rows * cols);
      // the course divides by sqrt(n) for xavier: keep that operation so results match bit for bit
      if (init.kind === 'xavier') for (let i = 0; i < draw.length; i++) W.data[i] = draw[i] / Math.sqrt(cols);
      else for (let i = 0; i < draw.length; i++) W.data[i] = draw[i] * scale;
    }
    params.push({ W, b: matrix(rows, 1) });
  }
  return params;
}

/**
 * Forward propagation with caches. `cancel` is checked between layers and inside the large
 * matrix products, so a stop request aborts the pass (CancelledError) within milliseconds.
 */
export function forward(params: LayerParams[], activations: Activation[], X: Matrix, cancel?: CancelCheck): { AL: Matrix; caches: LayerCache[] } {
  let A = X;
  const caches: LayerCache[] = [];
  params.forEach(({ W, b }, i) => {
    if (W.cols !== A.rows) throw new Error(`Layer ${i + 1}: W${shapeOf(W)} cannot multiply A[${i}]${shapeOf(A)}`);
    cancel?.();
    const Z = addColumnInPlace(matmul(W, A, false, false, cancel), b);
    const next = activate(activations[i], Z);
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

/** dA[L], the derivative of the per-example loss with respect to A[L]. */
export function lossGradient(loss: Loss, AL: Matrix, Y: Matrix): Matrix {
  return loss === 'binary_cross_entropy' ? binaryCrossEntropyGradient(AL, Y) : squaredErrorGradient(AL, Y);
}

export function backward(
  params: LayerParams[],
  activations: Activation[],
  caches: LayerCache[],
  AL: Matrix,
  Y: Matrix,
  loss: Loss,
  cancel?: CancelCheck,
): LayerGrads[] {
  const m = Y.cols;
  const grads: LayerGrads[] = new Array(params.length);
  let dA = lossGradient(loss, AL, Y);
  for (let l = params.length - 1; l >= 0; l--) {
    cancel?.();
    const cache = caches[l];
    const dZ = activationBackward(activations[l], dA, cache);
    const dW = scaleInPlace(matmul(dZ, cache.Aprev, false, true, cancel), 1 / m);
    const db = scaleInPlace(rowSums(dZ), 1 / m);
    if (l > 0) dA = matmul(params[l].W, dZ, true, false, cancel);
    grads[l] = { dW, db };
  }
  return grads;
}

export function updateParameters(params: LayerParams[], grads: LayerGrads[], learningRate: number): void {
  params.forEach((p, l) => {
    subtractScaledInPlace(p.W, grads[l].dW, learningRate);
    subtractScaledInPlace(p.b, grads[l].db, learningRate);
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

/**
 * Two-sided numerical gradient check: ‖grad − approx‖ / (‖grad‖ + ‖approx‖), with
 * approx = (J(θ + ε) − J(θ − ε)) / 2ε for every parameter. Below 1e-7 is a pass.
 */
export function gradientCheck(
  params: LayerParams[],
  activations: Activation[],
  loss: Loss,
  X: Matrix,
  Y: Matrix,
  epsilon = 1e-7,
): { difference: number; gradient: number[]; approx: number[] } {
  const { AL, caches } = forward(params, activations, X);
  const grads = backward(params, activations, caches, AL, Y, loss);
  const gradient: number[] = [];
  const approx: number[] = [];
  const cost = (): number => computeCost(loss, forward(params, activations, X).AL, Y);
  params.forEach((p, l) => {
    for (const [theta, g] of [
      [p.W, grads[l].dW],
      [p.b, grads[l].db],
    ] as const) {
      for (let i = 0; i < theta.data.length; i++) {
        const original = theta.data[i];
        theta.data[i] = original + epsilon;
        const plus = cost();
        theta.data[i] = original - epsilon;
        const minus = cost();
        theta.data[i] = original;
        approx.push((plus - minus) / (2 * epsilon));
        gradient.push(g.data[i]);
      }
    }
  });
  let num = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < gradient.length; i++) {
    num += (gradient[i] - approx[i]) ** 2;
    a += gradient[i] ** 2;
    b += approx[i] ** 2;
  }
  const denom = Math.sqrt(a) + Math.sqrt(b);
  return { difference: denom === 0 ? 0 : Math.sqrt(num) / denom, gradient, approx };
}

/** One batch gradient descent step; returns the cost before the update (as the course prints it). */
export function trainStep(
  params: LayerParams[],
  activations: Activation[],
  loss: Loss,
  X: Matrix,
  Y: Matrix,
  learningRate: number,
  cancel?: CancelCheck,
): number {
  const { AL, caches } = forward(params, activations, X, cancel);
  const cost = computeCost(loss, AL, Y);
  const grads = backward(params, activations, caches, AL, Y, loss, cancel);
  // the update itself is not interruptible, so a cancelled step leaves the parameters untouched
  updateParameters(params, grads, learningRate);
  return cost;
}


