// What the training thread and its kernel helper thread share: the control block at the start of
// the kernels' shared memory, the kernel module's exports, and `runChunk`, the one function both
// threads call to compute a chunk of a job. A job is a product cut into chunks (of panels, or of
// row tiles); the threads claim chunks from the counter NEXT until none is left.

/** i32 words of the control block (at byte 0 of the memory). */
export const W = {
  /** job number, written by the training thread */
  SEQ: 0,
  /** the last job the helper finished */
  DONE: 1,
  /** non-zero: stop at the next panel or row tile */
  ABORT: 2,
  /** what the job is (OP) */
  OP: 3,
  /** the next unclaimed unit of work */
  NEXT: 4,
  /** units of work in the job */
  COUNT: 5,
  /** units per chunk */
  STEP: 6,
  /** the job's u32 arguments, ARG_WORDS of them at most */
  ARGS: 8,
} as const;

export const ARG_WORDS = 24;
/** the job's f64 argument (alpha) */
export const ALPHA_BYTE = 128;
/** 4×4 doubles of each thread's own, for the tiles at the edges (thread 0: the training thread) */
export const SCRATCH_BYTES = [256, 384] as const;
/** bytes before the first buffer */
export const RESERVED = 512;

export const OP = {
  /** the helper detaches and exits its loop */
  RELEASE: 0,
  /** `gemm` over panels */
  GEMM: 1,
  /** `pack` over panels */
  PACK: 2,
  /** `gemmT` over row tiles */
  GEMM_T: 3,
  /** `subScaled` over blocks of SUB_BLOCK values */
  SUB: 4,
} as const;

/** Values per unit of work of an OP.SUB job. */
export const SUB_BLOCK = 4096;
export type Op = (typeof OP)[keyof typeof OP];

/** The exports of dist/kernels.wasm (src/trainer/wasm/kernels.as.ts says what each does). */
export interface KernelExports {
  gemm(c: number, N: number, a: number, rs: number, cs: number, bp: number, bstep: number, pstride: number, M: number, K: number, k0: number, k1: number, KC: number, p0: number, p1: number, alpha: number, scratch: number, abort: number): number;
  gemmT(c: number, ldc: number, x: number, rowStride: number, F: number, units: number, i0: number, i1: number, vals: number, idx: number, cap: number, starts: number, nb: number, b: number, alpha: number, scratch: number, abort: number): number;
  compact(dz: number, ldz: number, units: number, m: number, vals: number, idx: number, cap: number, starts: number, KC: number, nb: number, skip: number, pstride: number): number;
  pack(dst: number, pstride: number, src: number, ld: number, K: number, N: number, trans: number, p0: number, p1: number): void;
  activate(kind: number, z: number, b: number, a: number, cols: number, r0: number, r1: number): void;
  subScaled(a: number, b: number, n: number, alpha: number): void;
}

/** Views of the control block over the memory's buffer. */
export interface Control {
  i32: Int32Array;
  u32: Uint32Array;
  alpha: Float64Array;
}

export function controlViews(buffer: ArrayBufferLike): Control {
  return {
    i32: new Int32Array(buffer, 0, W.ARGS + ARG_WORDS),
    u32: new Uint32Array(buffer, 0, W.ARGS + ARG_WORDS),
    alpha: new Float64Array(buffer, ALPHA_BYTE, 1),
  };
}

/**
 * Units c0..c1 of the job in the control block (op, arguments, alpha), on thread `thread`.
 * Returns 1 when the job was aborted meanwhile (the chunk is unfinished), else 0.
 */
export function runChunk(k: KernelExports, ctl: Control, op: Op, c0: number, c1: number, thread: 0 | 1): number {
  const a = ctl.u32;
  const x = W.ARGS;
  const scratch = SCRATCH_BYTES[thread];
  const abort = W.ABORT * 4;
  switch (op) {
    case OP.GEMM:
      return k.gemm(a[x], a[x + 1], a[x + 2], a[x + 3], a[x + 4], a[x + 5], a[x + 6], a[x + 7], a[x + 8], a[x + 9], a[x + 10], a[x + 11], a[x + 12], c0, c1, ctl.alpha[0], scratch, abort);
    case OP.GEMM_T:
      return k.gemmT(a[x], a[x + 1], a[x + 2], a[x + 3], a[x + 4], a[x + 5], c0, c1, a[x + 6], a[x + 7], a[x + 8], a[x + 9], a[x + 10], a[x + 11], ctl.alpha[0], scratch, abort);
    case OP.SUB: {
      const from = c0 * SUB_BLOCK;
      k.subScaled(a[x] + from * 8, a[x + 1] + from * 8, Math.min(a[x + 2], c1 * SUB_BLOCK) - from, ctl.alpha[0]);
      return 0;
    }
    case OP.PACK:
      k.pack(a[x], a[x + 1], a[x + 2], a[x + 3], a[x + 4], a[x + 5], a[x + 6], c0, c1);
      return 0;
    default:
      return 0;
  }
}

/**
 * Waits until the i32 at `word` is `value` (`until` true) or is no longer `value` (false):
 * spinning first, for at most `spinMs` (the other thread is often a few microseconds away from
 * it, and waking a sleeping thread takes tens of them), then sleeping.
 */
export function waitFor(i32: Int32Array, word: number, value: number, until: boolean, spinMs: number): void {
  const done = (): boolean => (Atomics.load(i32, word) === value) === until;
  if (done()) return;
  const end = performance.now() + spinMs;
  for (let n = 1; !done(); n++) {
    if ((n & 255) === 0 && performance.now() > end) {
      while (!done()) Atomics.wait(i32, word, until ? Atomics.load(i32, word) : value, 50);
      return;
    }
  }
}
