// The reference kernels: the matrix product (`gemm`, which the WebAssembly kernels in wasm/
// reproduce bit for bit and which stays the fallback where WebAssembly SIMD is missing), row
// sums, updates, the activations' derivatives, the losses and their gradients, and the counts
// behind the accuracy. Matrices are row-major Float64Arrays; examples are columns. Transposes
// are flags, never copies. Assertion messages name the shapes.
//
// Long kernels take an optional `cancel` check and call it between blocks of work, so that a
// stop request aborts a multi-second product within milliseconds (it throws CancelledError).

export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Thrown by a cancellation check: the run was stopped in the middle of an iteration. */
export class CancelledError extends Error {
  constructor() {
    super('Training was stopped.');
    this.name = 'CancelledError';
  }
}

/** Called between blocks of work; throws CancelledError when the run must stop. */
export type CancelCheck = () => void;

/** A product smaller than this (multiply-adds) is not worth checking for cancellation. */
const CHECK_WORK = 1 << 16;

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (data && data.length !== rows * cols) throw new Error(`matrix: ${data.length} values do not fill (${rows}, ${cols})`);
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

export function shapeOf(m: Matrix): string {
  return `(${m.rows}, ${m.cols})`;
}

/** The shape of op(A)·op(B), or an error naming both shapes when they do not align. */
export function productShape(A: Matrix, B: Matrix, transposeA: boolean, transposeB: boolean): [number, number] {
  const n = transposeA ? A.cols : A.rows;
  const k = transposeA ? A.rows : A.cols;
  const kB = transposeB ? B.cols : B.rows;
  const p = transposeB ? B.rows : B.cols;
  if (k !== kB) {
    throw new Error(`matmul: shapes ${shapeOf(A)}${transposeA ? 'ᵀ' : ''} and ${shapeOf(B)}${transposeB ? 'ᵀ' : ''} do not align (${k} ≠ ${kB})`);
  }
  return [n, p];
}

/** C = op(A) · op(B), a new matrix (see `gemm`). */
export function matmul(A: Matrix, B: Matrix, transposeA = false, transposeB = false, cancel?: CancelCheck): Matrix {
  const [n, p] = productShape(A, B, transposeA, transposeB);
  return gemm(matrix(n, p), A, B, transposeA, transposeB, 1, cancel);
}

/**
 * C := alpha · op(A) · op(B), with op(X) = Xᵀ when the flag is set; returns C. The reference
 * product: every C[i, j] is summed term by term in increasing k, which the WebAssembly kernels
 * (src/trainer/wasm) reproduce bit for bit. Loops are ordered so the innermost loop walks
 * contiguous memory in every case. `cancel` is called between blocks of the outer loop of a
 * large product, so that a stop need not wait for the whole product.
 */
export function gemm(C: Matrix, A: Matrix, B: Matrix, transposeA = false, transposeB = false, alpha = 1, cancel?: CancelCheck): Matrix {
  const [n, p] = productShape(A, B, transposeA, transposeB);
  if (C.rows !== n || C.cols !== p) throw new Error(`matmul: the product is (${n}, ${p}) but its destination is ${shapeOf(C)}`);
  const k = transposeA ? A.rows : A.cols;
  const a = A.data;
  const b = B.data;
  const c = C.data;
  const check = cancel !== undefined && n * k * p >= CHECK_WORK ? cancel : undefined;
  if (!transposeA && !transposeB) {
    // C[i,:] += A[i,t] * B[t,:]
    c.fill(0);
    for (let i = 0; i < n; i++) {
      if (check) check();
      const ci = i * p;
      for (let t = 0; t < k; t++) {
        const av = a[i * k + t];
        if (av === 0) continue;
        const bt = t * p;
        for (let j = 0; j < p; j++) c[ci + j] += av * b[bt + j];
      }
    }
  } else if (!transposeA && transposeB) {
    // C[i,j] = dot(A[i,:], B[j,:])
    for (let i = 0; i < n; i++) {
      if (check) check();
      const ai = i * k;
      for (let j = 0; j < p; j++) {
        const bj = j * k;
        let s = 0;
        for (let t = 0; t < k; t++) s += a[ai + t] * b[bj + t];
        c[i * p + j] = s;
      }
    }
  } else if (transposeA && !transposeB) {
    // C[i,:] += A[t,i] * B[t,:]
    c.fill(0);
    for (let t = 0; t < k; t++) {
      if (check) check();
      const at = t * n;
      const bt = t * p;
      for (let i = 0; i < n; i++) {
        const av = a[at + i];
        if (av === 0) continue;
        const ci = i * p;
        for (let j = 0; j < p; j++) c[ci + j] += av * b[bt + j];
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (check) check();
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += a[t * n + i] * b[j * k + t];
        c[i * p + j] = s;
      }
    }
  }
  if (alpha !== 1) scaleInPlace(C, alpha);
  return C;
}

/** Row sums as a (rows, 1) column. */
export function rowSums(A: Matrix, out: Matrix = matrix(A.rows, 1)): Matrix {
  if (out.rows !== A.rows || out.cols !== 1) throw new Error(`rowSums: ${shapeOf(out)} cannot hold the row sums of ${shapeOf(A)}`);
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    const o = i * A.cols;
    for (let j = 0; j < A.cols; j++) s += A.data[o + j];
    out.data[i] = s;
  }
  return out;
}

/** A := A − alpha·B, in place. */
export function subtractScaledInPlace(A: Matrix, B: Matrix, alpha: number): void {
  sameShape(A, B, 'update');
  for (let i = 0; i < A.data.length; i++) A.data[i] -= alpha * B.data[i];
}

export function scaleInPlace(A: Matrix, s: number): Matrix {
  for (let i = 0; i < A.data.length; i++) A.data[i] *= s;
  return A;
}

export function sameShape(A: Matrix, B: Matrix, what: string): void {
  if (A.rows !== B.rows || A.cols !== B.cols) throw new Error(`${what}: shapes ${shapeOf(A)} and ${shapeOf(B)} differ`);
}

// ---------------------------------------------------------------------------- activations' derivatives
// (the activations themselves, with the bias add, are one pass: biasActivate in model.ts)

/** dZ = dA ∘ A(1 − A), with A = σ(Z) from the cache. */
export function sigmoidBackward(dA: Matrix, A: Matrix, dZ: Matrix = matrix(dA.rows, dA.cols)): Matrix {
  sameShape(dA, A, 'sigmoidBackward');
  sameShape(dA, dZ, 'sigmoidBackward');
  const d = dZ.data;
  const da = dA.data;
  const a = A.data;
  for (let i = 0; i < d.length; i++) {
    const s = a[i];
    d[i] = da[i] * s * (1 - s);
  }
  return dZ;
}

/** dZ = dA ∘ (1 − A²), with A = tanh(Z) from the cache. */
export function tanhBackward(dA: Matrix, A: Matrix, dZ: Matrix = matrix(dA.rows, dA.cols)): Matrix {
  sameShape(dA, A, 'tanhBackward');
  sameShape(dA, dZ, 'tanhBackward');
  const d = dZ.data;
  const da = dA.data;
  const a = A.data;
  for (let i = 0; i < d.length; i++) d[i] = da[i] * (1 - a[i] * a[i]);
  return dZ;
}

/** dZ = dA where Z > 0, 0 elsewhere. */
export function reluBackward(dA: Matrix, Z: Matrix, dZ: Matrix = matrix(dA.rows, dA.cols)): Matrix {
  sameShape(dA, Z, 'reluBackward');
  sameShape(dA, dZ, 'reluBackward');
  const d = dZ.data;
  const da = dA.data;
  const z = Z.data;
  for (let i = 0; i < d.length; i++) d[i] = z[i] > 0 ? da[i] : 0;
  return dZ;
}

/** dZ = dA where Z > 0, slope·dA elsewhere. */
export function leakyReluBackward(dA: Matrix, Z: Matrix, slope: number, dZ: Matrix = matrix(dA.rows, dA.cols)): Matrix {
  sameShape(dA, Z, 'leakyReluBackward');
  sameShape(dA, dZ, 'leakyReluBackward');
  const d = dZ.data;
  const da = dA.data;
  const z = Z.data;
  for (let i = 0; i < d.length; i++) d[i] = z[i] > 0 ? da[i] : slope * da[i];
  return dZ;
}

// ---------------------------------------------------------------------------- losses

/** The output A[L] and the labels Y must have the same shape; the message names both. */
export function assertSameShapeAsLabels(AL: Matrix, Y: Matrix, what: string): void {
  if (AL.rows !== Y.rows || AL.cols !== Y.cols) {
    throw new Error(
      `${what}: the output A[L] has shape ${shapeOf(AL)} but the labels Y have shape ${shapeOf(Y)}; they must match ` +
        `(the output layer needs ${Y.rows} unit${Y.rows === 1 ? '' : 's'} for these labels)`,
    );
  }
}

/** Σ y·log(a) + (1 − y)·log(1 − a) over every element (the binary cross-entropy, unscaled, negated). */
export function binaryCrossEntropySum(AL: Matrix, Y: Matrix): number {
  assertSameShapeAsLabels(AL, Y, 'binary cross-entropy');
  const a = AL.data;
  const y = Y.data;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += y[i] * Math.log(a[i]) + (1 - y[i]) * Math.log(1 - a[i]);
  return sum;
}

/** Σ (a − y)² over every element. */
export function squaredErrorSum(AL: Matrix, Y: Matrix): number {
  assertSameShapeAsLabels(AL, Y, 'squared error');
  const a = AL.data;
  const y = Y.data;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - y[i]) * (a[i] - y[i]);
  return sum;
}

/** dA[L] of the binary cross-entropy: −(Y / A − (1 − Y) / (1 − A)). */
export function binaryCrossEntropyGradient(AL: Matrix, Y: Matrix, dA: Matrix = matrix(AL.rows, AL.cols)): Matrix {
  assertSameShapeAsLabels(AL, Y, 'binary cross-entropy gradient');
  sameShape(AL, dA, 'loss gradient');
  const d = dA.data;
  const al = AL.data;
  const yl = Y.data;
  for (let i = 0; i < d.length; i++) {
    const a = al[i];
    const y = yl[i];
    d[i] = -(y / a - (1 - y) / (1 - a));
  }
  return dA;
}

/** dA[L] of the (halved) squared error: A − Y. */
export function squaredErrorGradient(AL: Matrix, Y: Matrix, dA: Matrix = matrix(AL.rows, AL.cols)): Matrix {
  assertSameShapeAsLabels(AL, Y, 'squared error gradient');
  sameShape(AL, dA, 'loss gradient');
  const d = dA.data;
  const al = AL.data;
  const yl = Y.data;
  for (let i = 0; i < d.length; i++) d[i] = al[i] - yl[i];
  return dA;
}

// ---------------------------------------------------------------------------- predictions

/** 1 where A > threshold, 0 elsewhere. */
export function threshold(A: Matrix, t: number, out: Matrix = matrix(A.rows, A.cols)): Matrix {
  sameShape(A, out, 'threshold');
  const a = A.data;
  const o = out.data;
  for (let i = 0; i < a.length; i++) o[i] = a[i] > t ? 1 : 0;
  return out;
}

/** How many elements of A equal those of B. */
export function countEqual(A: Matrix, B: Matrix): number {
  sameShape(A, B, 'countEqual');
  const a = A.data;
  const b = B.data;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) n++;
  return n;
}
