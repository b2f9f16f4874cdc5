// The WebAssembly SIMD backend: the products of kernels.as.ts (dist/kernels.wasm) over one shared
// WebAssembly memory that holds every buffer of the run, split between the calling thread and one
// helper thread (kernelHelper.ts) when a product is large enough to pay for it.
//
// - Buffers: `matrix()` hands out Float64Array views into the memory (a bump allocator; the
//   memory grows as needed, at most 4 GiB, and is dropped with the backend). Shared memory is
//   never detached by growing, so every view stays valid.
// - Products: `gemm` reads B where it is, 4 columns at a time (only a transposed B that changes,
//   an activation, is packed into 4-column panels first, by `pack`). A constant operand (the
//   training X) is copied into the memory once, if it is not there, and checked for values that
//   are not finite. The weight gradient of the first layer, dW = dZ·Xᵀ/m, is computed as
//   dWᵀ = X·dZᵀ (`gemmT`), reading X by rows and leaving out the examples where four units'
//   dZ are all 0 (ReLU layers have many), which changes no bit when X is finite.
// - Threads: the helper thread instantiates the same module over the same memory and waits on a
//   control block (control.ts). A large product is cut into chunks (of panels, or of row tiles),
//   and both threads claim the next chunk from a shared counter (Atomics.add) until none is left:
//   when the other process on the machine takes a core for a while, the thread that still runs
//   does the rest instead of waiting for a fixed half. Each C[i, j] is summed by one thread in
//   the reference order, so the split changes no bit. Between the products of an iteration the
//   helper spins for a moment before it sleeps, so that the next product does not wait for it to
//   wake. The caller checks `cancel` between its chunks; when it throws, the helper is told to
//   stop at its next panel and is waited for (a millisecond at most) before the error goes on.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Activation } from '../../shared/model/spec';
import type { KernelBackend } from '../backend';
import { gemm as referenceGemm, productShape, sameShape, shapeOf, subtractScaledInPlace, type CancelCheck, type Matrix } from '../kernels';
import { controlViews, OP, RESERVED, runChunk, SUB_BLOCK, W, waitFor, type Control, type KernelExports, type Op } from './control';

const PAGE = 65536;
/** 4 GiB: the most a 32-bit WebAssembly memory can address. */
export const WASM_MAX_BYTES = 65536 * PAGE;
const ALIGN = 64;

/** Below this many multiply-adds a product stays on the calling thread. */
export const PARALLEL_WORK = 1 << 19;
/** Multiply-adds per chunk (about a millisecond), between two cancellation checks. */
const CHUNK_WORK = 1 << 23;
/** Below this many multiply-adds the TypeScript loop beats the call (measured on the planar net). */
export const WASM_MIN_WORK = 1 << 8;
/**
 * Steps of k per block of a product: a block of A (M × KC) of about this many bytes stays in
 * the core's cache while every panel of B passes over it, each block a job of its own.
 */
const A_BLOCK_BYTES = 1 << 18;
/** Steps of k per block of a packed B, within each chunk of panels: a block of a panel is KC·32 bytes (128 KB). */
const KC_PACKED = 4096;
/** `gemmT`: the steps of k per block, so that a block of the packed Aᵀ (panels·KC·32 bytes) stays near 256 KB. */
const T_BLOCK_BYTES = 1 << 18;
/** A constant not in the memory is packed through a buffer of about this many bytes. */
const FOREIGN_BLOCK_BYTES = 1 << 20;
/** How long the training thread spins for the helper's last chunk before it sleeps. */
const SPIN_MS = 2;

/** The activations the module computes (`activate`'s kind). */
const ACTIVATION_KIND: Record<Activation, number> = { tanh: 1, sigmoid: 2, relu: 3, leaky_relu: 4, linear: 5 };

/** Why WebAssembly SIMD cannot be used here, or undefined when it can. */
export function wasmUnavailable(bytes?: Uint8Array<ArrayBuffer>): string | undefined {
  if (typeof WebAssembly !== 'object') return 'WebAssembly is not available';
  if (typeof SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is not available';
  if (!bytes) return 'the kernel module dist/kernels.wasm was not found (run `npm run build`)';
  try {
    if (!WebAssembly.validate(bytes)) return 'the kernel module does not validate here: this runtime lacks WebAssembly SIMD or threads, or the file is damaged';
  } catch (err) {
    return `the kernel module could not be validated: ${(err as Error).message}`;
  }
  return undefined;
}

let compiled: { module?: WebAssembly.Module; reason?: string } | undefined;

/**
 * Where the kernels' files (kernels.wasm, kernelHelper.js) are: beside the bundle that runs
 * (dist/), from the TypeScript source (tests, the bench) in dist/, or in the folder of an
 * explicit module file.
 */
function kernelFolders(wasmPath?: string): string[] {
  return wasmPath ? [path.dirname(wasmPath)] : [__dirname, path.join(__dirname, '..', '..', '..', 'dist')];
}

/** The kernel module, compiled once per thread; `reason` says why it is not available. */
export function kernelModule(wasmPath?: string): { module?: WebAssembly.Module; reason?: string } {
  if (compiled && !wasmPath) return compiled;
  const candidates = wasmPath ? [wasmPath] : kernelFolders().map((folder) => path.join(folder, 'kernels.wasm'));
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  for (const file of candidates) {
    try {
      bytes = new Uint8Array(readFileSync(file));
      break;
    } catch {
      // next candidate
    }
  }
  const reason = wasmUnavailable(bytes);
  const result = reason ? { reason } : { module: new WebAssembly.Module(bytes!) };
  if (!wasmPath) compiled = result;
  return result;
}

// ---------------------------------------------------------------------------- the helper thread

let helper: Worker | undefined;
let helperBusy = false;

/**
 * Starts the helper thread now, so that a run about to load its data finds it running (a thread
 * takes tens of milliseconds to start). Does nothing when it runs already or cannot start (the
 * run then says why).
 */
export function startKernelHelper(wasmPath?: string): void {
  try {
    helperThread(wasmPath);
  } catch {
    // createWasmBackend reports it
  }
}

/** The helper thread, started the first time (its program, kernelHelper.ts, is bundled beside the kernel module). */
function helperThread(wasmPath?: string): Worker {
  if (!helper) {
    const script = kernelFolders(wasmPath).map((folder) => path.join(folder, 'kernelHelper.js')).find((file) => existsSync(file));
    if (!script) throw new Error('its program dist/kernelHelper.js was not found (run `npm run build`)');
    const worker = new Worker(script);
    worker.unref();
    worker.on('error', () => {
      if (helper === worker) helper = undefined;
    });
    worker.on('exit', () => {
      if (helper === worker) helper = undefined;
    });
    helper = worker;
  }
  return helper;
}

function attach(worker: Worker, module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type: string }): void => {
      if (msg.type !== 'attached') return;
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onExit = (): void => {
      cleanup();
      reject(new Error('the kernel helper thread exited'));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ type: 'attach', module, memory });
  });
}

// ---------------------------------------------------------------------------- the backend

export interface WasmBackendOptions {
  /** 1: the calling thread only; 2: share large products with a helper thread (default 2) */
  threads?: 1 | 2;
  /** the kernel module's file (default: dist/kernels.wasm) */
  wasmPath?: string;
}

/** Counts of what the backend did, for tests: products in WebAssembly, split, left out, and why. */
export interface WasmStats {
  wasm: number;
  parallel: number;
  small: number;
  foreign: number;
  /** first-layer weight gradients computed as X·dZᵀ (`gemmT`) */
  transposed: number;
  /** examples those products left out (all four units' dZ were 0), summed over their panels */
  skipped: number;
}

/**
 * A constant operand (the training X): the layouts of it that the products have asked for so
 * far, each made once, and whether every value is finite. Its 4-column panels serve both the
 * forward product (X as B) and a first layer's weight gradient (rows of X in `gemmT`); a first
 * layer of fewer than four units has its gradient against panels of Xᵀ instead.
 */
interface Constant {
  data: Float64Array;
  rows: number;
  cols: number;
  finite: boolean;
  /** X where it is, when that is in the memory */
  inPlace?: number;
  /** X in 4-column panels */
  panels?: number;
  /** Xᵀ in 4-column panels */
  transposed?: number;
}

class WasmBackend implements KernelBackend {
  readonly kind = 'wasm';
  readonly description: string;
  readonly stats: WasmStats = { wasm: 0, parallel: 0, small: 0, foreign: 0, transposed: 0, skipped: 0 };
  private top = RESERVED;
  private disposed = false;
  /** the memory's SharedArrayBuffer objects that views were made of (see `view`) */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private readonly constants = new WeakMap<Float64Array, Constant>();
  /** reusable space: packed panels of B, and gemmT's packed dZᵀ */
  private readonly scratch = new Map<string, { offset: number; bytes: number }>();
  private readonly ctl: Control;
  private seq = 0;

  constructor(
    private readonly k: KernelExports,
    private readonly memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    this.ctl = controlViews(memory.buffer);
    this.description = `WebAssembly SIMD, ${threads} thread${threads === 1 ? '' : 's'}`;
  }

  private alloc(bytes: number): number {
    if (this.disposed) throw new Error('kernel backend used after dispose');
    const offset = this.top;
    const end = offset + Math.ceil((bytes + ALIGN) / ALIGN) * ALIGN; // 64 bytes of padding after every buffer
    if (end > WASM_MAX_BYTES) {
      throw new RangeError(`the run needs more than the 4 GiB a WebAssembly memory can hold (${(end / 2 ** 30).toFixed(1)} GiB so far)`);
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // grow by at least a quarter, so that many small buffers do not grow it page by page
      const pages = Math.min(65536 - have / PAGE, Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 4)));
      this.memory.grow(pages);
    }
    this.top = end;
    return offset;
  }

  /** `bytes` of reusable space for `what`, grown (a new allocation) when it is too small. */
  private space(what: string, bytes: number): number {
    let s = this.scratch.get(what);
    if (!s || s.bytes < bytes) {
      s = { offset: this.alloc(bytes), bytes };
      this.scratch.set(what, s);
    }
    return s.offset;
  }

  matrix(rows: number, cols: number): Matrix {
    const offset = this.alloc(rows * cols * 8);
    return { rows, cols, data: this.view(offset, rows * cols) };
  }

  /**
   * A Float64Array over the memory, whose buffer object is then known as the memory's: a shared
   * memory's `buffer` is a new object after every grow, and again whenever a thread that shares
   * the memory has taken note of a grow, so the object is recorded as each view is made.
   */
  private view(offset: number, length: number): Float64Array {
    const data = new Float64Array(this.memory.buffer, offset, length);
    this.buffers.add(data.buffer);
    return data;
  }

  private inMemory(m: Matrix): boolean {
    return this.buffers.has(m.data.buffer);
  }

  /** Where the kernels find a matrix in the memory and its row length, or undefined. */
  private address(m: Matrix): { offset: number; ld: number } | undefined {
    return this.inMemory(m) ? { offset: m.data.byteOffset, ld: m.cols } : undefined;
  }

  constant(X: Matrix): void {
    if (this.constants.has(X.data)) return;
    let finite = true;
    for (let i = 0; i < X.data.length && finite; i++) finite = Number.isFinite(X.data[i]);
    this.constants.set(X.data, { data: X.data, rows: X.rows, cols: X.cols, finite, inPlace: this.inMemory(X) ? X.data.byteOffset : undefined });
  }

  /** X (`transposed`: Xᵀ) in 4-column panels, packed the first time it is asked for. */
  private constantPanels(x: Constant, transposed: boolean): number {
    const key = transposed ? 'transposed' : 'panels';
    let offset = x[key];
    if (offset === undefined) {
      // op(B) is K × N
      const [K, N] = transposed ? [x.cols, x.rows] : [x.rows, x.cols];
      const panels = Math.ceil(N / 4);
      offset = this.alloc(panels * K * 32);
      if (x.inPlace !== undefined) this.run(OP.PACK, K * N, panels, [offset, K * 32, x.inPlace, x.cols, K, N, transposed ? 1 : 0], 0);
      else this.packForeign(x, offset, transposed);
      x[key] = offset;
    }
    return offset;
  }

  biasActivate(name: Activation, Z: Matrix, b: Matrix, A: Matrix): boolean {
    if (!this.inMemory(Z) || !this.inMemory(b) || !this.inMemory(A)) return false;
    if (b.rows !== Z.rows || b.cols !== 1) throw new Error(`addColumn: cannot broadcast ${shapeOf(b)} over ${shapeOf(Z)}`);
    if (A.rows !== Z.rows || A.cols !== Z.cols) throw new Error(`activation: shapes ${shapeOf(Z)} and ${shapeOf(A)} differ`);
    this.k.activate(ACTIVATION_KIND[name], Z.data.byteOffset, b.data.byteOffset, A.data.byteOffset, Z.cols, 0, Z.rows);
    return true;
  }

  subtractScaled(A: Matrix, B: Matrix, alpha: number): void {
    if (!this.inMemory(A) || !this.inMemory(B)) {
      subtractScaledInPlace(A, B, alpha);
      return;
    }
    sameShape(A, B, 'update');
    const n = A.data.length;
    // memory-bound: both threads from a few blocks on (counted as 8 multiply-adds a value)
    this.run(OP.SUB, 8 * n, Math.ceil(n / SUB_BLOCK), [A.data.byteOffset, B.data.byteOffset, n], alpha);
  }

  /** Packs B (64 × 64) into `into` (64 × 64), as X and as Xᵀ: for the warm-up. */
  warmPack(into: Matrix, B: Matrix): void {
    this.k.pack(into.data.byteOffset, 64 * 32, B.data.byteOffset, 64, 64, 64, 0, 0, 16);
    this.k.pack(into.data.byteOffset, 64 * 32, B.data.byteOffset, 64, 64, 64, 1, 0, 16);
  }

  /**
   * Packs a constant that is not in the memory (X: rows × cols) into panels at `offset`, a block
   * of its rows at a time through a buffer in the memory: of X as B (rows are steps of k), or of
   * Xᵀ (four rows a panel).
   */
  private packForeign(x: Constant, offset: number, transposed: boolean): void {
    const { rows, cols, data } = x;
    const K = transposed ? cols : rows;
    const block = Math.max(4, Math.floor(FOREIGN_BLOCK_BYTES / (8 * cols) / 4) * 4);
    const buffer = this.space('foreign', Math.min(rows, block) * cols * 8);
    const view = this.view(buffer, Math.min(rows, block) * cols);
    for (let r0 = 0; r0 < rows; r0 += block) {
      const r1 = Math.min(rows, r0 + block);
      view.set(data.subarray(r0 * cols, r1 * cols));
      if (transposed) this.k.pack(offset + (r0 / 4) * K * 32, K * 32, buffer, cols, K, r1 - r0, 1, 0, Math.ceil((r1 - r0) / 4));
      else this.k.pack(offset + r0 * 32, K * 32, buffer, cols, r1 - r0, cols, 0, 0, Math.ceil(cols / 4));
    }
  }

  gemm(C: Matrix, A: Matrix, B: Matrix, transposeA: boolean, transposeB: boolean, alpha: number, cancel?: CancelCheck): void {
    const [M, N] = productShape(A, B, transposeA, transposeB);
    if (C.rows !== M || C.cols !== N) throw new Error(`matmul: the product is (${M}, ${N}) but its destination is ${shapeOf(C)}`);
    const K = transposeA ? A.rows : A.cols;
    const x = this.constants.get(B.data);
    if (M * N * K < WASM_MIN_WORK && !x) {
      this.stats.small++;
      referenceGemm(C, A, B, transposeA, transposeB, alpha, cancel);
      return;
    }
    const c = this.inMemory(C) ? C.data.byteOffset : undefined;
    const a = this.address(A);
    const b = x ? undefined : this.address(B);
    if (c === undefined || a === undefined || (!x && b === undefined)) {
      this.stats.foreign++;
      referenceGemm(C, A, B, transposeA, transposeB, alpha, cancel);
      return;
    }
    this.stats.wasm++;
    if (K === 0) {
      C.data.fill(0);
      return;
    }
    const panels = Math.ceil(N / 4);
    const rs = transposeA ? 1 : K;
    const cs = transposeA ? M : 1;
    if (transposeB && !transposeA && (!x || M >= 4)) {
      // a weight gradient dZ·Bᵀ, as B·dZᵀ: dZᵀ packed, B read by rows (the training X from its
      // panels, leaving out the examples where a panel's four units all have dZ = 0)
      const rows = x ? { offset: this.constantPanels(x, false), rowStride: 4, pstride: x.rows * 4 } : { offset: b!.offset, rowStride: b!.ld, pstride: 4 };
      this.transposedProduct(c, a.offset, rows, M, N, K, x?.finite === true, alpha, cancel);
      return;
    }
    if (!x && !transposeB) {
      // B (K × N) read in place, 4 columns at a time, a block of k at a time for both threads
      // (two threads take whole cache lines: chunks of an even number of panels)
      const kc = Math.max(64, Math.floor(A_BLOCK_BYTES / (8 * M)));
      for (let k0 = 0; k0 < K; k0 += kc) {
        const k1 = Math.min(K, k0 + kc);
        this.run(OP.GEMM, M * N * (k1 - k0), panels, [c, N, a.offset, rs, cs, b!.offset, b!.ld * 8, 32, M, K, k0, k1, k1 - k0], alpha, cancel, 2);
      }
      return;
    }
    let bp: number;
    if (x) {
      // the training X (or Xᵀ, for a first layer of fewer than four units, whose weight gradient
      // is a row or three against panels of four features): packed once, into panels that each
      // thread streams through in order
      bp = this.constantPanels(x, transposeB);
    } else {
      // Aᵀ·Bᵀ, which training never asks for: Bᵀ (stored N × K) packed into panels first
      bp = this.space('panels', panels * K * 32);
      this.run(OP.PACK, K * N, panels, [bp, K * 32, b!.offset, b!.ld, K, N, 1], 0);
    }
    this.run(OP.GEMM, M * N * K, panels, [c, N, a.offset, rs, cs, bp, 32, K * 32, M, K, 0, K, KC_PACKED], alpha, cancel);
  }

  /**
   * C (M × N) := alpha · A · Bᵀ (A: M × K at `a`), as Cᵀ = B · Aᵀ (`gemmT`): Aᵀ packed into
   * panels of four rows of A, B read by rows where it is, in blocks of k, each split by row tiles
   * of B. B's row n, column k is at b.offset + 8·(n·rowStride + (k >> 2)·pstride + (k & 3)): a
   * row-major B has rowStride = its row length and pstride = 4, the panels of a constant
   * rowStride = 4 and pstride = 4·N. With `skip`, the k where a panel's four rows of A are all 0
   * are left out (B must then be finite).
   */
  private transposedProduct(c: number, a: number, b: { offset: number; rowStride: number; pstride: number }, M: number, N: number, K: number, skip: boolean, alpha: number, cancel?: CancelCheck): void {
    this.stats.transposed++;
    const panels = Math.ceil(M / 4);
    const kc = Math.max(64, Math.floor(T_BLOCK_BYTES / (panels * 32)));
    const nb = Math.ceil(K / kc);
    const vals = this.space('dzT', panels * K * 32);
    const idx = this.space('dzT-index', panels * K * 4);
    const starts = this.space('dzT-starts', panels * (nb + 1) * 4);
    const kept = this.k.compact(a, K, M, K, vals, idx, K, starts, kc, nb, skip ? 1 : 0, b.pstride);
    this.stats.skipped += panels * K - kept;
    const tiles = Math.ceil(N / 4);
    for (let blk = 0; blk < nb; blk++) {
      // each kept k is 4·N multiply-adds (four rows of A, every row of B)
      this.run(OP.GEMM_T, Math.ceil((kept * 4 * N) / nb), tiles, [c, N, b.offset, b.rowStride, N, M, vals, idx, K, starts, nb, blk], alpha, cancel);
    }
  }

  /**
   * Runs job `op` over its units [0, count) in chunks: on this thread alone, or on this thread
   * and the helper when the work (multiply-adds) is large enough, each claiming the next chunk
   * until none is left. Chunks are a multiple of `align` units.
   */
  private run(op: Op, work: number, count: number, args: number[], alpha: number, cancel?: CancelCheck, align = 1): void {
    const { i32, u32 } = this.ctl;
    const parallel = this.threads > 1 && work >= PARALLEL_WORK && count >= 2;
    const perChunk = Math.max(1, Math.floor(CHUNK_WORK / Math.max(1, work / count)));
    // shared: at least eight chunks a thread, so that the last one to finish waits little
    let step = parallel ? Math.max(1, Math.min(perChunk, Math.floor(count / 16))) : perChunk;
    if (align > 1 && step < count) step = Math.max(align, step - (step % align));
    for (let i = 0; i < args.length; i++) u32[W.ARGS + i] = args[i];
    this.ctl.alpha[0] = alpha;
    let job = 0;
    if (parallel) {
      this.stats.parallel++;
      u32[W.COUNT] = count;
      u32[W.STEP] = step;
      Atomics.store(u32, W.NEXT, 0);
      i32[W.OP] = op;
      i32[W.ABORT] = 0;
      job = ++this.seq;
      Atomics.store(i32, W.SEQ, job);
      Atomics.notify(i32, W.SEQ);
    }
    try {
      for (let next = 0; ; ) {
        const c0 = parallel ? Atomics.add(u32, W.NEXT, step) : next;
        if (c0 >= count) break;
        next = c0 + step;
        if (cancel) cancel();
        runChunk(this.k, this.ctl, op, c0, Math.min(count, c0 + step), 0);
      }
    } catch (err) {
      if (parallel) Atomics.store(i32, W.ABORT, 1);
      throw err;
    } finally {
      if (parallel) waitFor(i32, W.DONE, job, true, SPIN_MS);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.threads > 1) {
      const { i32 } = this.ctl;
      i32[W.OP] = OP.RELEASE;
      const job = ++this.seq;
      Atomics.store(i32, W.SEQ, job);
      Atomics.notify(i32, W.SEQ);
      if (helper) waitFor(i32, W.DONE, job, true, SPIN_MS);
      helperBusy = false;
    }
  }
}

/**
 * A WebAssembly SIMD backend, or why there cannot be one here (then use the TypeScript one); with
 * a backend, `reason` says why it has one thread when two were asked for and the helper thread
 * did not start. The helper thread is started once per thread that asks and reused; one backend
 * at a time uses it (another asking meanwhile gets one thread).
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<{ backend?: KernelBackend & { stats: WasmStats }; reason?: string }> {
  const { module, reason } = kernelModule(options.wasmPath);
  if (!module) return { reason };
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  let threads = options.threads ?? 2;
  let oneThread: string | undefined;
  if (threads > 1) {
    // (another backend of this thread using the helper meanwhile: this one has one thread)
    if (helperBusy) threads = 1;
    else {
      try {
        await attach(helperThread(options.wasmPath), module, memory);
        helperBusy = true;
      } catch (err) {
        threads = 1;
        oneThread = `the kernels' helper thread did not start (${(err as Error).message}): the products run on one thread`;
      }
    }
  }
  const backend = new WasmBackend(k, memory, threads);
  warmUp(backend);
  return { backend, ...(oneThread ? { reason: oneThread } : {}) };
}

/**
 * V8 first runs WebAssembly from its baseline compiler and optimises a function only after it
 * has run a while; a product that starts unoptimised stays so to its end (3-10 times slower). A
 * few small products at creation get the optimised code in before the run's first product.
 */
function warmUp(backend: WasmBackend): void {
  const A = backend.matrix(8, 64);
  const B = backend.matrix(64, 64);
  const C = backend.matrix(8, 64);
  const X = backend.matrix(16, 64);
  const dW = backend.matrix(8, 16);
  const b = backend.matrix(8, 1);
  A.data.fill(0.5);
  B.data.fill(0.25);
  X.data.fill(0.125);
  backend.constant(X);
  const kinds = Object.keys(ACTIVATION_KIND) as Activation[];
  const panels = backend.matrix(64, 64);
  for (let i = 0; i < 40; i++) {
    backend.gemm(C, A, B, false, i % 2 === 1, 1);
    backend.gemm(dW, A, X, false, true, 1);
    backend.biasActivate(kinds[i % kinds.length], C, b, C);
    backend.subtractScaled(dW, dW, 0);
    // (the training X is packed once, tens of MB: in optimised code too)
    backend.warmPack(panels, B);
  }
  for (const key of Object.keys(backend.stats) as (keyof WasmStats)[]) backend.stats[key] = 0;
}
