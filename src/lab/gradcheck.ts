// The course's gradient check (gradient_check_n): for each parameter θᵢ, the two-sided
// difference quotient (J(θᵢ + ε) − J(θᵢ − ε)) / 2ε against backpropagation's dθᵢ, and the
// relative difference ‖grad − approx‖ / (‖grad‖ + ‖approx‖), over the whole network and per
// layer. Below 1e-7 the gradients are right (the course's threshold).
//
// The numerical gradient costs two costs J per parameter, so the work is bounded: the check uses
// the first `examples` training examples (256 by default), and in a layer with more than
// `maxPerLayer` parameters (1000 by default) checks that many, evenly spaced through W[l] (row
// by row) and then b[l]. J(θᵢ ± ε) is computed from the cached pass: moving a parameter of layer l
// changes one row of Z[l] (Z[l][i] ± ε A[l−1][j] for W[l][i][j], Z[l][i] ± ε for b[l][i]), so
// only that row is recomputed, then the layers above it. When even 10 parameters a layer would
// exceed `budget` multiply-adds, the check is refused with a message saying what to reduce.

import type { Activation, Loss } from '../shared/model/spec';
import type { GradientCheckLayer, GradientCheckResult, GradientVerdict } from '../shared/model/results';
import { LEAKY_SLOPE, backward, computeCost, forward, type LayerGrads, type LayerParams } from '../trainer/model';
import { matrix, type Matrix } from '../trainer/kernels';
import { typescriptBackend } from '../trainer/backend';

export const GRADCHECK_EPSILON = 1e-7;
/** Below this the gradients are right (as the course); up to WARN_BELOW they are probably right. */
export const PASS_BELOW = 1e-7;
export const WARN_BELOW = 1e-5;
export const DEFAULT_EXAMPLES = 256;
export const DEFAULT_MAX_PER_LAYER = 1000;
/** Multiply-adds the numerical gradient may take (a few seconds of the TypeScript kernels). */
export const DEFAULT_BUDGET = 2e9;
/** Fewer sampled parameters a layer than this: the check is refused rather than made meaningless. */
const MIN_PER_LAYER = 10;

export interface GradientCheckOptions {
  epsilon?: number;
  /** use the first this many examples (default 256) */
  examples?: number;
  /** check at most this many parameters in each layer (default 1000) */
  maxPerLayer?: number;
  /** the most multiply-adds the numerical gradient may take (default 2e9) */
  budget?: number;
  /** updates done before these parameters, for the result */
  iteration?: number;
  /** the analytic gradients to check (default: backpropagation's); the tests give wrong ones */
  gradients?: LayerGrads[];
}

/** The check cannot be done as asked (too much work); the message says what to change. */
export class GradientCheckRefused extends Error {}

export function verdictOf(difference: number): GradientVerdict {
  return difference < PASS_BELOW ? 'passed' : difference < WARN_BELOW ? 'warning' : 'failed';
}

/** The full result with the two vectors, in check order (layer by layer, W then b). */
export interface GradientCheckDetail extends GradientCheckResult {
  gradient: number[];
  approx: number[];
  /** which parameters were checked, per layer: indices into [W[l] row by row, then b[l]] */
  indices: number[][];
}

function firstColumns(M: Matrix, k: number): Matrix {
  if (k === M.cols) return M;
  const out = matrix(M.rows, k);
  for (let i = 0; i < M.rows; i++) out.data.set(M.data.subarray(i * M.cols, i * M.cols + k), i * k);
  return out;
}

function activate(name: Activation, v: number): number {
  switch (name) {
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'tanh':
      return Math.tanh(v);
    case 'relu':
      return v > 0 ? v : 0;
    case 'leaky_relu':
      return v > 0 ? v : LEAKY_SLOPE * v;
    case 'linear':
      return v;
  }
}

/** Which of `count` parameters to check: all, or `cap` evenly spaced. */
export function sampleIndices(count: number, cap: number): number[] {
  if (count <= cap) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: cap }, (_, k) => Math.floor((k * count) / cap));
}

function relativeDifference(gradient: ArrayLike<number>, approx: ArrayLike<number>): { difference: number; gradientNorm: number; approxNorm: number } {
  let num = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < gradient.length; i++) {
    num += (gradient[i] - approx[i]) ** 2;
    a += gradient[i] ** 2;
    b += approx[i] ** 2;
  }
  const gradientNorm = Math.sqrt(a);
  const approxNorm = Math.sqrt(b);
  const denom = gradientNorm + approxNorm;
  return { difference: denom === 0 ? 0 : Math.sqrt(num) / denom, gradientNorm, approxNorm };
}

/**
 * Plans the work: per layer, the parameters to check and what one of them costs (multiply-adds
 * for both J(θ ± ε)). Throws GradientCheckRefused when even MIN_PER_LAYER a layer is too much.
 */
export function planGradientCheck(dims: number[], examples: number, maxPerLayer: number, budget: number): { cap: number; perParameter: number[]; total: number } {
  const L = dims.length - 1;
  const perParameter: number[] = [];
  for (let l = 1; l <= L; l++) {
    let upper = dims[l]; // the copy of A[l] with its changed row
    for (let q = l + 1; q <= L; q++) upper += dims[q] * dims[q - 1] + dims[q];
    perParameter.push(2 * examples * upper);
  }
  const count = (l: number): number => dims[l] * dims[l - 1] + dims[l];
  const total = (cap: number): number => perParameter.reduce((s, c, i) => s + Math.min(count(i + 1), cap) * c, 0);
  let cap = maxPerLayer;
  if (total(cap) > budget) {
    let lo = 0;
    let hi = cap;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (total(mid) <= budget) lo = mid;
      else hi = mid - 1;
    }
    cap = lo;
  }
  const needed = Math.max(...dims.slice(1).map((_, i) => Math.min(count(i + 1), MIN_PER_LAYER)));
  if (cap < needed) {
    throw new GradientCheckRefused(
      `A gradient check of this network on ${examples} examples would take about ${total(MIN_PER_LAYER).toExponential(1)} multiply-adds ` +
        `even for ${MIN_PER_LAYER} parameters a layer (the limit is ${budget.toExponential(0)}): check on fewer examples (--examples), or a smaller network.`,
    );
  }
  return { cap, perParameter, total: total(cap) };
}

/**
 * The gradient check at `params` on the first `examples` columns of X, Y. The parameters are
 * read, never changed (each J(θ ± ε) is computed beside the cached pass).
 */
export function gradientCheck(params: LayerParams[], activations: Activation[], loss: Loss, X: Matrix, Y: Matrix, options: GradientCheckOptions = {}): GradientCheckDetail {
  const epsilon = options.epsilon ?? GRADCHECK_EPSILON;
  const k = Math.max(1, Math.min(X.cols, options.examples ?? DEFAULT_EXAMPLES));
  const dims = [X.rows, ...params.map((p) => p.W.rows)];
  const L = params.length;
  const plan = planGradientCheck(dims, k, options.maxPerLayer ?? DEFAULT_MAX_PER_LAYER, options.budget ?? DEFAULT_BUDGET);
  const Xk = firstColumns(X, k);
  const Yk = firstColumns(Y, k);
  const { AL, caches } = forward(params, activations, Xk);
  const base = computeCost(loss, AL, Yk);
  if (!Number.isFinite(base)) throw new GradientCheckRefused(`The cost at these parameters is ${base}: there is no gradient to check.`);
  const grads = options.gradients ?? backward(params, activations, caches, AL, Yk, loss);

  // buffers for the layers above a changed row, so that nothing is allocated per parameter
  const changed = caches.map((c) => matrix(c.A.rows, k));
  const aboveZ = caches.map((c) => matrix(c.A.rows, k));
  const aboveA = caches.map((c) => matrix(c.A.rows, k));

  /** J with row i of Z[l] (0-based l) replaced by Z[l][i] + delta * (row j of A[l−1], or 1 for a bias). */
  const costWith = (l: number, i: number, j: number, delta: number): number => {
    const { Z, A, Aprev } = caches[l];
    const A2 = changed[l];
    A2.data.set(A.data);
    const act = activations[l];
    for (let c = 0; c < k; c++) {
      const z = Z.data[i * k + c] + delta * (j < 0 ? 1 : Aprev.data[j * k + c]);
      A2.data[i * k + c] = activate(act, z);
    }
    if (l === L - 1) return computeCost(loss, A2, Yk);
    const { AL: out } = forward(params.slice(l + 1), activations.slice(l + 1), A2, undefined, {
      backend: typescriptBackend,
      Z: aboveZ.slice(l + 1),
      A: aboveA.slice(l + 1),
    });
    return computeCost(loss, out, Yk);
  };

  const gradient: number[] = [];
  const approx: number[] = [];
  const indices: number[][] = [];
  const layers: GradientCheckLayer[] = [];
  for (let l = 0; l < L; l++) {
    const { W } = params[l];
    const count = W.rows * W.cols + W.rows;
    const picked = sampleIndices(count, plan.cap);
    const g: number[] = [];
    const a: number[] = [];
    for (const p of picked) {
      let i: number;
      let j: number;
      let analytic: number;
      if (p < W.rows * W.cols) {
        i = Math.floor(p / W.cols);
        j = p % W.cols;
        analytic = grads[l].dW.data[p];
      } else {
        i = p - W.rows * W.cols;
        j = -1;
        analytic = grads[l].db.data[i];
      }
      const plus = costWith(l, i, j, epsilon);
      const minus = costWith(l, i, j, -epsilon);
      a.push((plus - minus) / (2 * epsilon));
      g.push(analytic);
    }
    const d = relativeDifference(g, a);
    layers.push({ layer: l + 1, difference: d.difference, parameters: count, checked: picked.length, gradientNorm: d.gradientNorm, approxNorm: d.approxNorm });
    gradient.push(...g);
    approx.push(...a);
    indices.push(picked);
  }
  const { difference } = relativeDifference(gradient, approx);
  const verdict = verdictOf(difference);
  return {
    difference,
    passed: verdict === 'passed',
    verdict,
    epsilon,
    iteration: options.iteration ?? 0,
    examples: k,
    m: X.cols,
    parameters: layers.reduce((s, l) => s + l.parameters, 0),
    checked: gradient.length,
    layers,
    gradient,
    approx,
    indices,
  };
}

/** Without the vectors: what the CLI's JSON and the designer get. */
export function gradientCheckResult(d: GradientCheckDetail): GradientCheckResult {
  const { gradient: _g, approx: _a, indices: _i, ...result } = d;
  return result;
}

const VERDICT_TEXT: Record<GradientVerdict, string> = {
  passed: 'passed: backpropagation agrees with the numerical gradient (difference below 1e-7).',
  warning:
    'warning: the difference is between 1e-7 and 1e-5. Probably right, but look closer: a ReLU whose input is within ε of 0 ' +
    '(a kink), or gradients so small that rounding in J dominates, also give this; a bug usually gives more than 1e-5.',
  failed: 'failed: backpropagation does not agree with the numerical gradient (difference above 1e-5): the gradients are wrong.',
};

/** The text `nnspec gradcheck` prints. */
export function formatGradientCheck(r: GradientCheckResult): string {
  const sample = r.checked < r.parameters;
  const lines = [
    `Gradient check at iteration ${r.iteration}, ε = ${r.epsilon}: ‖grad − approx‖ / (‖grad‖ + ‖approx‖)`,
    `on ${r.examples === r.m ? `all ${r.m}` : `the first ${r.examples} of the ${r.m}`} training examples, ` +
      (sample ? `${r.checked.toLocaleString('en-US')} of the ${r.parameters.toLocaleString('en-US')} parameters (a sample in the larger layers)` : `all ${r.parameters.toLocaleString('en-US')} parameters`),
    '',
    ...r.layers.map(
      (l) =>
        `  layer ${l.layer}: difference ${l.difference.toExponential(3)}  (${l.checked === l.parameters ? `${l.parameters} parameters` : `${l.checked} of ${l.parameters} parameters`}, ‖grad‖ ${l.gradientNorm.toExponential(3)})`,
    ),
    `  network: difference ${r.difference.toExponential(3)}`,
    '',
    `Gradient check ${VERDICT_TEXT[r.verdict]}`,
  ];
  return lines.join('\n') + '\n';
}
