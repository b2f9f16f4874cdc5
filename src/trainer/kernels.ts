// The hot kernels, behind one small module so a faster implementation can replace it without
// touching the model code. Matrices are row-major Float64Arrays; examples are columns.
// Transposes are flags, never copies. Assertion messages name the shapes.

export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (data && data.length !== rows * cols) throw new Error(`matrix: ${data.length} values do not fill (${rows}, ${cols})`);
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

export function shapeOf(m: Matrix): string {
  return `(${m.rows}, ${m.cols})`;
}

/**
 * C = op(A) · op(B), with op(X) = Xᵀ when the flag is set. Loops are ordered so the innermost
 * loop walks contiguous memory in every case.
 */
export function matmul(A: Matrix, B: Matrix, transposeA = false, transposeB = false): Matrix {
  const n = transposeA ? A.cols : A.rows;
  const k = transposeA ? A.rows : A.cols;
  const kB = transposeB ? B.cols : B.rows;
  const p = transposeB ? B.rows : B.cols;
  if (k !== kB) {
    throw new Error(`matmul: shapes ${shapeOf(A)}${transposeA ? 'ᵀ' : ''} and ${shapeOf(B)}${transposeB ? 'ᵀ' : ''} do not align (${k} ≠ ${kB})`);
  }
  const C = matrix(n, p);
  const a = A.data;
  const b = B.data;
  const c = C.data;
  if (!transposeA && !transposeB) {
    // C[i,:] += A[i,t] * B[t,:]
    for (let i = 0; i < n; i++) {
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
    for (let t = 0; t < k; t++) {
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
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += a[t * n + i] * b[j * k + t];
        c[i * p + j] = s;
      }
    }
  }
  return C;
}

/** A + b broadcast over the columns (b is (rows, 1)), in place. */
export function addColumnInPlace(A: Matrix, b: Matrix): Matrix {
  if (b.rows !== A.rows || b.cols !== 1) throw new Error(`addColumn: cannot broadcast ${shapeOf(b)} over ${shapeOf(A)}`);
  const { rows, cols, data } = A;
  for (let i = 0; i < rows; i++) {
    const v = b.data[i];
    const o = i * cols;
    for (let j = 0; j < cols; j++) data[o + j] += v;
  }
  return A;
}

/** Row sums as a (rows, 1) column. */
export function rowSums(A: Matrix): Matrix {
  const out = matrix(A.rows, 1);
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    const o = i * A.cols;
    for (let j = 0; j < A.cols; j++) s += A.data[o + j];
    out.data[i] = s;
  }
  return out;
}

export function map(A: Matrix, f: (x: number) => number): Matrix {
  const out = matrix(A.rows, A.cols);
  for (let i = 0; i < A.data.length; i++) out.data[i] = f(A.data[i]);
  return out;
}

/** Element-wise A ∘ B. */
export function hadamard(A: Matrix, B: Matrix): Matrix {
  sameShape(A, B, 'hadamard');
  const out = matrix(A.rows, A.cols);
  for (let i = 0; i < A.data.length; i++) out.data[i] = A.data[i] * B.data[i];
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

export function clone(A: Matrix): Matrix {
  return matrix(A.rows, A.cols, A.data.slice());
}

/** Columns [start, end) of A. */
export function columns(A: Matrix, indices: number[]): Matrix {
  const out = matrix(A.rows, indices.length);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < indices.length; j++) out.data[i * indices.length + j] = A.data[i * A.cols + indices[j]];
  }
  return out;
}
