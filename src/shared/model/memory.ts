// How much memory a training run needs, from the layer sizes and the number of examples alone:
// the language shows it (hover, `nnspec shapes`, a diagnostic over a budget) and the trainer
// refuses a run that does not fit before it allocates anything. Pure: no node or vscode import.

/** Bytes of a training run, by what holds them (every number is a float64: 8 bytes). */
export interface MemoryEstimate {
  /** W[l] and b[l] for every layer: 8·P, P = Σ n[l]·n[l−1] + n[l] */
  parameters: number;
  /** dW[l] and db[l]: as many as the parameters */
  gradients: number;
  /**
   * Z[l], A[l], dZ[l], dA[l] for the m training examples, dZ[l]ᵀ packed for the weight gradients
   * (the widest layer's), plus Z[l], A[l] of a forward pass over the test set
   */
  caches: number;
  /** X (n_x, m) with up to two packed copies of it for the matrix kernels, Y (1, m); the test set's X and Y */
  data: number;
  total: number;
}

const BYTES = 8;
/** dZᵀ packed for a weight gradient: four values and an index per example, per panel of four units */
const PACKED_DZ_BYTES = 4 * BYTES + 4;

/**
 * The peak bytes of batch gradient descent on a network with layer sizes `dims` = [n_x, n[1],
 * ..., n[L]], m training examples and mTest test examples:
 *
 * - parameters = gradients = 8·P, P = Σ_{l≥1} n[l]·n[l−1] + n[l];
 * - caches = 8·m·4·Σ n[l] (Z, A, dZ, dA of every layer) + 36·m·⌈max n[l] / 4⌉ (dZᵀ of the
 *   widest layer packed four units at a time for its weight gradient, with an index per example:
 *   36 bytes per example and panel) + 8·mTest·2·Σ n[l] (the test forward pass);
 * - data = 8·(3·n_x·m4 + m) + 8·(n_x·mTest + mTest), m4 = m rounded up to a multiple of 4 (X and
 *   the packed copies of it that the kernels keep, two at most; Y).
 *
 * The trainer calls the same function to refuse a run before allocating it.
 */
export function estimateTrainingMemory(dims: readonly number[], m: number, mTest = 0): MemoryEstimate {
  let params = 0;
  let units = 0;
  let widest = 0;
  for (let l = 1; l < dims.length; l++) {
    params += dims[l] * dims[l - 1] + dims[l];
    units += dims[l];
    widest = Math.max(widest, dims[l]);
  }
  const nx = dims[0] ?? 0;
  const m4 = Math.ceil(m / 4) * 4;
  const parameters = BYTES * params;
  const gradients = parameters;
  const caches = BYTES * m * 4 * units + PACKED_DZ_BYTES * m * Math.ceil(widest / 4) + BYTES * mTest * 2 * units;
  const data = BYTES * (3 * nx * m4 + m) + BYTES * (nx * mTest + mTest);
  return { parameters, gradients, caches, data, total: parameters + gradients + caches + data };
}

/** What each further training example adds to the estimate (caches and data), in bytes, on average. */
export function trainingBytesPerExample(dims: readonly number[]): number {
  let units = 0;
  let widest = 0;
  for (let l = 1; l < dims.length; l++) {
    units += dims[l];
    widest = Math.max(widest, dims[l]);
  }
  return BYTES * (4 * units + 3 * (dims[0] ?? 0) + 1) + PACKED_DZ_BYTES * Math.ceil(widest / 4);
}

const UNITS = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** Bytes for people: `512 bytes`, `1.5 KB`, `1.2 GB` (1 KB = 1024 bytes, one decimal). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return `${n} bytes`;
  if (Math.abs(n) < 1024) return `${Math.round(n)} bytes`;
  let value = n / 1024;
  let unit = 0;
  // 1023.96 KB is written 1.0 MB, not 1024.0 KB
  while (Math.abs(value) >= 1023.95 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** MB (of 2^20 bytes, as the budget setting and `--memory-budget` count) in bytes. */
export function megabytes(mb: number): number {
  return mb * 1024 * 1024;
}

/** The default memory budget: 2048 MB (2 GB). */
export const DEFAULT_MEMORY_BUDGET_MB = 2048;
