// The WebAssembly SIMD backend: the products of kernels.as.ts (dist/kernels.wasm) over one shared
// WebAssembly memory that holds every buffer of the run, split between the calling thread and one
// helper thread when a product is large enough to pay for it.
//
// - Buffers: `matrix()` hands out Float64Array views into the memory (a bump allocator; the
//   memory grows as needed, at most 4 GiB, and is dropped with the backend). Shared memory is
//   never detached by growing, so every view stays valid.
// - Products: op(B) is packed into 4-column panels (`pack`), then `gemm` computes the panels.
//   A constant operand (the training X) is packed once per orientation and kept.
// - Threads: the helper thread instantiates the same module over the same memory and waits on a
//   control block (Atomics.wait). A large product is cut into chunks of panels, and both threads
//   claim the next chunk from a shared counter (Atomics.add) until none is left: when the other
//   process on the machine takes a core for a while, the thread that still runs does the rest
//   instead of waiting for a fixed half. Each C[i, j] is summed by one thread in the reference
//   order, so the split changes no bit. The caller checks `cancel` between its chunks; when it
//   throws, the helper is told to stop at its next panel and is waited for (a millisecond at
//   most) before the error goes on.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Activation } from '../../shared/spec';
import type { KernelBackend } from '../backend';
import { gemm as referenceGemm, productShape, shapeOf, type CancelCheck, type Matrix } from '../kernels';

const PAGE = 65536;
/** 4 GiB: the most a 32-bit WebAssembly memory can address. */
export const WASM_MAX_BYTES = 65536 * PAGE;
const ALIGN = 64;

/** Below this many multiply-adds a product stays on the calling thread. */
export const PARALLEL_WORK = 1 << 19;
/** Multiply-adds per chunk (about a millisecond), between two cancellation checks. */
const CHUNK_WORK = 1 << 23;
/** Below this many multiply-adds the TypeScript loop beats packing and the call (measured on the planar net). */
export const WASM_MIN_WORK = 1 << 8;
/** Steps of k per block: a block of a 4-column panel is KC·32 bytes (128 KB), kept in cache. */
const KC = 4096;

// control block: i32 words at CTL
const CTL = 0;
const SEQ = 0; // job number, written by the caller
const DONE = 1; // last job finished, written by the helper
const ABORT = 2; // non-zero: stop at the next panel
const OP = 3; // 0 release, 1 gemm, 2 pack
const ARGS = 4; // u32 arguments from here (13 words at most)
const NEXT = 20; // the next unclaimed panel
const PANELS = 21; // panels in the job
const STEP = 22; // panels per chunk
const ALPHA_BYTE = 128; // f64 argument
const SCRATCH_MAIN = 256; // 4×4 doubles each
const SCRATCH_HELPER = 384;
const RESERVED = 512;

interface Exports {
  gemm(c: number, N: number, a: number, rs: number, cs: number, bp: number, M: number, K: number, KC: number, p0: number, p1: number, alpha: number, scratch: number, abort: number): number;
  pack(dst: number, src: number, K: number, N: number, trans: number, p0: number, p1: number): void;
  activate(kind: number, z: number, b: number, a: number, cols: number, r0: number, r1: number): void;
}

/** The activations the module computes (`activate`'s kind). */
const ACTIVATION_KIND: Partial<Record<Activation, number>> = { tanh: 1, sigmoid: 2 };

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

/** The kernel module, compiled once per thread; `reason` says why it is not available. */
export function kernelModule(wasmPath?: string): { module?: WebAssembly.Module; reason?: string } {
  if (compiled && !wasmPath) return compiled;
  const candidates = wasmPath
    ? [wasmPath]
    : [
        path.join(__dirname, 'kernels.wasm'), // the bundles: dist/*.js beside dist/kernels.wasm
        path.join(__dirname, '..', '..', '..', 'dist', 'kernels.wasm'), // the TypeScript source (tests, bench)
      ];
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

/** The helper thread's whole program (run with `eval`, so that it needs no file of its own). */
const HELPER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (msg) => {
  if (msg.type !== 'attach') return;
  const { module, memory } = msg;
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const w = new Int32Array(memory.buffer, ${CTL}, 32);
  const u = new Uint32Array(memory.buffer, ${CTL}, 32);
  const f = new Float64Array(memory.buffer, ${CTL + ALPHA_BYTE}, 1);
  let seq = Atomics.load(w, ${SEQ});
  parentPort.postMessage({ type: 'attached' });
  for (;;) {
    Atomics.wait(w, ${SEQ}, seq);
    seq = Atomics.load(w, ${SEQ});
    const op = w[${OP}];
    const a = ${ARGS};
    const panels = u[${PANELS}], step = u[${STEP}];
    // chunk by chunk, claimed from the shared counter (and the optimised code, once V8 has it,
    // is used from the next chunk on)
    while (op !== 0 && Atomics.load(w, ${ABORT}) === 0) {
      const p = Atomics.add(u, ${NEXT}, step);
      if (p >= panels) break;
      const p1 = Math.min(panels, p + step);
      if (op === 1) k.gemm(u[a], u[a + 1], u[a + 2], u[a + 3], u[a + 4], u[a + 5], u[a + 6], u[a + 7], u[a + 8], p, p1, f[0], ${SCRATCH_HELPER}, ${CTL + ABORT * 4});
      else k.pack(u[a], u[a + 1], u[a + 2], u[a + 3], u[a + 4], p, p1);
    }
    Atomics.store(w, ${DONE}, seq);
    Atomics.notify(w, ${DONE});
    if (op === 0) break;
  }
});
`;

let helper: Worker | undefined;
let helperBusy = false;

function helperThread(): Worker {
  if (!helper) {
    helper = new Worker(HELPER_SOURCE, { eval: true });
    helper.unref();
    helper.on('error', () => {
      helper = undefined;
    });
    helper.on('exit', () => {
      helper = undefined;
    });
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

/** Counts of what the backend did, for tests: products taken by the TypeScript loop, and why. */
export interface WasmStats {
  wasm: number;
  parallel: number;
  small: number;
  foreign: number;
}

class WasmBackend implements KernelBackend {
  readonly kind = 'wasm';
  readonly description: string;
  readonly stats: WasmStats = { wasm: 0, parallel: 0, small: 0, foreign: 0 };
  private top = RESERVED;
  private disposed = false;
  /** the memory's SharedArrayBuffer objects: a new one after every grow */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  /** packed copies of constant operands, by orientation */
  private readonly packs = new WeakMap<Float64Array, { plain?: number; transposed?: number }>();
  private scratch = { offset: 0, bytes: 0 };
  private readonly w: Int32Array;
  private readonly u: Uint32Array;
  private readonly alpha: Float64Array;
  private seq = 0;

  constructor(
    private readonly k: Exports,
    private readonly memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    this.buffers.add(memory.buffer);
    this.w = new Int32Array(memory.buffer, CTL, 32);
    this.u = new Uint32Array(memory.buffer, CTL, 32);
    this.alpha = new Float64Array(memory.buffer, CTL + ALPHA_BYTE, 1);
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
      this.buffers.add(this.memory.buffer);
    }
    this.top = end;
    return offset;
  }

  matrix(rows: number, cols: number): Matrix {
    const offset = this.alloc(rows * cols * 8);
    return { rows, cols, data: new Float64Array(this.memory.buffer, offset, rows * cols) };
  }

  private inMemory(m: Matrix): boolean {
    return this.buffers.has(m.data.buffer);
  }

  constant(X: Matrix): void {
    if (!this.packs.has(X.data)) this.packs.set(X.data, {});
  }

  biasActivate(name: Activation, Z: Matrix, b: Matrix, A: Matrix): boolean {
    const kind = ACTIVATION_KIND[name];
    if (kind === undefined || !this.inMemory(Z) || !this.inMemory(b) || !this.inMemory(A)) return false;
    if (b.rows !== Z.rows || b.cols !== 1) throw new Error(`addColumn: cannot broadcast ${shapeOf(b)} over ${shapeOf(Z)}`);
    if (A.rows !== Z.rows || A.cols !== Z.cols) throw new Error(`activation: shapes ${shapeOf(Z)} and ${shapeOf(A)} differ`);
    this.k.activate(kind, Z.data.byteOffset, b.data.byteOffset, A.data.byteOffset, Z.cols, 0, Z.rows);
    return true;
  }

  /** The panels of op(B) as the product needs them (K × N): kept for a constant, else packed now. */
  private panels(B: Matrix, transposeB: boolean, K: number, N: number): number | undefined {
    const panelBytes = Math.ceil(N / 4) * K * 32;
    const kept = this.packs.get(B.data);
    if (kept) {
      const key = transposeB ? 'transposed' : 'plain';
      let offset = kept[key];
      if (offset === undefined) {
        offset = this.alloc(panelBytes);
        packFrom(new Float64Array(this.memory.buffer, offset, panelBytes / 8), B.data, K, N, transposeB);
        kept[key] = offset;
      }
      return offset;
    }
    if (!this.inMemory(B)) return undefined;
    if (this.scratch.bytes < panelBytes) this.scratch = { offset: this.alloc(panelBytes), bytes: panelBytes };
    const panelsCount = Math.ceil(N / 4);
    this.run(2, K * N, panelsCount, (p0, p1) => this.k.pack(this.scratch.offset, B.data.byteOffset, K, N, transposeB ? 1 : 0, p0, p1), [this.scratch.offset, B.data.byteOffset, K, N, transposeB ? 1 : 0]);
    return this.scratch.offset;
  }

  gemm(C: Matrix, A: Matrix, B: Matrix, transposeA: boolean, transposeB: boolean, alpha: number, cancel?: CancelCheck): void {
    const [M, N] = productShape(A, B, transposeA, transposeB);
    if (C.rows !== M || C.cols !== N) throw new Error(`matmul: the product is (${M}, ${N}) but its destination is ${shapeOf(C)}`);
    const K = transposeA ? A.rows : A.cols;
    const work = M * N * K;
    if (work < WASM_MIN_WORK && !this.packs.has(B.data)) {
      this.stats.small++;
      referenceGemm(C, A, B, transposeA, transposeB, alpha, cancel);
      return;
    }
    const bp = this.inMemory(C) && this.inMemory(A) ? this.panels(B, transposeB, K, N) : undefined;
    if (bp === undefined) {
      this.stats.foreign++;
      referenceGemm(C, A, B, transposeA, transposeB, alpha, cancel);
      return;
    }
    this.stats.wasm++;
    if (K === 0) {
      C.data.fill(0);
      return;
    }
    const c = C.data.byteOffset;
    const a = A.data.byteOffset;
    const rs = transposeA ? 1 : K;
    const cs = transposeA ? M : 1;
    this.alpha[0] = alpha;
    this.run(1, work, Math.ceil(N / 4), (p0, p1) => this.k.gemm(c, N, a, rs, cs, bp, M, K, KC, p0, p1, alpha, SCRATCH_MAIN, 0), [c, N, a, rs, cs, bp, M, K, KC], cancel);
  }

  /**
   * Runs `part` over panels [0, panels) in chunks: on this thread alone, or on this thread and
   * the helper (op, with args, then p0 and p1) when the work is large enough, each claiming the
   * next chunk until none is left.
   */
  private run(op: 1 | 2, work: number, panels: number, part: (p0: number, p1: number) => void, args: number[], cancel?: CancelCheck): void {
    const parallel = this.threads > 1 && work >= PARALLEL_WORK && panels >= 2;
    const perChunk = Math.max(1, Math.floor(CHUNK_WORK / Math.max(1, work / panels)));
    // shared: at least eight chunks a thread, so that the last one to finish waits little
    const step = parallel ? Math.max(1, Math.min(perChunk, Math.floor(panels / 16))) : perChunk;
    const u = this.u;
    let job = 0;
    if (parallel) {
      this.stats.parallel++;
      for (let i = 0; i < args.length; i++) u[ARGS + i] = args[i];
      u[PANELS] = panels;
      u[STEP] = step;
      Atomics.store(u, NEXT, 0);
      this.w[OP] = op;
      this.w[ABORT] = 0;
      job = ++this.seq;
      Atomics.store(this.w, SEQ, job);
      Atomics.notify(this.w, SEQ);
    }
    try {
      for (let next = 0; ; ) {
        const p = parallel ? Atomics.add(u, NEXT, step) : next;
        if (p >= panels) break;
        next = p + step;
        if (cancel) cancel();
        part(p, Math.min(panels, p + step));
      }
    } catch (err) {
      if (parallel) Atomics.store(this.w, ABORT, 1);
      throw err;
    } finally {
      if (parallel) this.waitFor(job);
    }
  }

  private waitFor(job: number): void {
    while (Atomics.load(this.w, DONE) !== job) Atomics.wait(this.w, DONE, Atomics.load(this.w, DONE), 50);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.threads > 1) {
      this.w[OP] = 0;
      const job = ++this.seq;
      Atomics.store(this.w, SEQ, job);
      Atomics.notify(this.w, SEQ);
      if (helper) this.waitFor(job);
      helperBusy = false;
    }
  }
}

/** Packs op(B) (K × N) into 4-column panels, k-major, zero-padded: the layout `gemm` reads. */
function packFrom(out: Float64Array, b: Float64Array, K: number, N: number, transposed: boolean): void {
  if (transposed) {
    // b is N × K: each panel reads four rows of b side by side, and writes one run
    for (let j = 0; j < N; j++) {
      const base = (j >> 2) * K * 4 + (j & 3);
      const row = j * K;
      for (let k = 0; k < K; k++) out[base + k * 4] = b[row + k];
    }
  } else {
    // b is K × N: read row by row; every panel gets four values per row
    for (let k = 0; k < K; k++) {
      const row = k * N;
      for (let j = 0; j < N; j++) out[(j >> 2) * K * 4 + k * 4 + (j & 3)] = b[row + j];
    }
  }
}

/**
 * A WebAssembly SIMD backend, or why there cannot be one here (then use the TypeScript one).
 * With two threads, the helper thread is started once per thread that asks and reused; one
 * backend at a time uses it (another asking meanwhile gets one thread).
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<{ backend?: KernelBackend & { stats: WasmStats }; reason?: string }> {
  const { module, reason } = kernelModule(options.wasmPath);
  if (!module) return { reason };
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
  let threads = options.threads ?? 2;
  if (threads > 1) {
    if (helperBusy) threads = 1;
    else {
      try {
        await attach(helperThread(), module, memory);
        helperBusy = true;
      } catch {
        threads = 1;
      }
    }
  }
  const backend = new WasmBackend(k, memory, threads);
  warmUp(backend);
  return { backend };
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
  A.data.fill(0.5);
  B.data.fill(0.25);
  for (let i = 0; i < 40; i++) backend.gemm(C, A, B, false, i % 2 === 1, 1);
  for (const key of Object.keys(backend.stats) as (keyof WasmStats)[]) backend.stats[key] = 0;
}
