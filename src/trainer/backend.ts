// Where the matrix products of a run are computed. The model code asks its backend for every
// buffer it will use (once per run) and for every product; it never knows which backend it has.
// Two exist: the TypeScript reference (kernels.ts), and WebAssembly SIMD on one or two threads
// (wasm/wasmBackend.ts), which gives bit-identical results. The WebAssembly one also does the
// bias add with the activation and the update; everything else a run computes (costs, the
// activations' derivatives, bias gradients) is the same TypeScript code on either.

import type { Activation } from '../shared/model/spec';
import { gemm, matrix, subtractScaledInPlace, type CancelCheck, type Matrix } from './kernels';

export interface KernelBackend {
  /** how the products are computed, for the output channel: "WebAssembly SIMD, 2 threads" */
  readonly description: string;
  readonly kind: 'wasm' | 'typescript';
  /** threads that share the large products */
  readonly threads: number;
  /** A zeroed (rows, cols) matrix that this backend's products read and write in place. */
  matrix(rows: number, cols: number): Matrix;
  /** C := alpha · op(A) · op(B) (op(X) = Xᵀ when its flag is set). C must not be A or B. */
  gemm(C: Matrix, A: Matrix, B: Matrix, transposeA: boolean, transposeB: boolean, alpha: number, cancel?: CancelCheck): void;
  /**
   * Z := Z + b and A := g(Z), when this backend has its own code for it (the WebAssembly one,
   * for matrices in its memory, giving the same bits as `biasActivate` in model.ts); false when
   * it has not, and the caller does it.
   */
  biasActivate?(name: Activation, Z: Matrix, b: Matrix, A: Matrix): boolean;
  /** A := A − alpha·B, the gradient descent update (as `subtractScaledInPlace`, bit for bit). */
  subtractScaled(A: Matrix, B: Matrix, alpha: number): void;
  /**
   * X will be read, unchanged, by many products from now on (a run's training data): the
   * backend may keep copies of it laid out for its products. X must not change afterwards.
   */
  constant(X: Matrix): void;
  /** Frees what the backend holds; its matrices must not be used afterwards. */
  dispose(): void;
}

/** The TypeScript reference kernels: plain Float64Arrays, products in kernels.ts. */
export const typescriptBackend: KernelBackend = {
  description: 'TypeScript',
  kind: 'typescript',
  threads: 1,
  matrix: (rows, cols) => matrix(rows, cols),
  gemm: (C, A, B, transposeA, transposeB, alpha, cancel) => {
    gemm(C, A, B, transposeA, transposeB, alpha, cancel);
  },
  subtractScaled: (A, B, alpha) => subtractScaledInPlace(A, B, alpha),
  constant: () => undefined,
  dispose: () => undefined,
};
