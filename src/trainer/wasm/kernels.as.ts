// AssemblyScript source of the WebAssembly SIMD matrix product (built by scripts/build-wasm.mjs
// into dist/kernels.wasm; not part of the TypeScript program). Everything else the trainer
// computes stays in TypeScript: this module only multiplies.
//
//   C[M×N] := alpha · op(A)[M×K] · B[K×N]
//
// op(A)(i, k) is read at a + 8·(i·rs + k·cs), so one kernel serves A (rs = K, cs = 1) and Aᵀ
// (rs = 1, cs = M). B comes packed in panels of 4 columns, k-major (panel p holds B[k, 4p..4p+3]
// for every k, zero-padded past N), written by `pack`. A 4×4 block of C lives in eight f64x2
// registers; each turn of the k loop adds one product term to all sixteen, in increasing k, so
// every C[i, j] is summed in exactly the order of the TypeScript reference loop (bit-identical
// results, and the same whichever thread computes which panels). Memory is imported (shared
// between the training thread and its helper) and the module has no data segments.

/**
 * `rows` (1 to 4, a constant at every call) rows of C against one 4-column panel: up to eight
 * f64x2 accumulators. Inlined with a constant `rows`, the tests on it fold away, leaving the
 * straight-line 4-, 3-, 2- and 1-row kernels.
 */
@inline
function tileRows(rows: i32, c: usize, ldc: usize, a: usize, rs: usize, cs: usize, bp: usize, k0: i32, k1: i32, acc: bool, last: bool, alpha: f64): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  const l = ldc << 3;
  if (acc) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    if (rows > 1) { c10 = v128.load(c + l); c11 = v128.load(c + l, 16); }
    if (rows > 2) { c20 = v128.load(c + 2 * l); c21 = v128.load(c + 2 * l, 16); }
    if (rows > 3) { c30 = v128.load(c + 3 * l); c31 = v128.load(c + 3 * l, 16); }
  }
  const r = rs << 3;
  const step = cs << 3;
  let pa = a + <usize>k0 * step;
  let pb = bp + (<usize>k0 << 5);
  for (let k = k0; k < k1; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let s = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(s, b0));
    c01 = f64x2.add(c01, f64x2.mul(s, b1));
    if (rows > 1) {
      s = v128.load64_splat(pa + r);
      c10 = f64x2.add(c10, f64x2.mul(s, b0));
      c11 = f64x2.add(c11, f64x2.mul(s, b1));
    }
    if (rows > 2) {
      s = v128.load64_splat(pa + 2 * r);
      c20 = f64x2.add(c20, f64x2.mul(s, b0));
      c21 = f64x2.add(c21, f64x2.mul(s, b1));
    }
    if (rows > 3) {
      s = v128.load64_splat(pa + 3 * r);
      c30 = f64x2.add(c30, f64x2.mul(s, b0));
      c31 = f64x2.add(c31, f64x2.mul(s, b1));
    }
    pa += step;
    pb += 32;
  }
  if (last && alpha != 1) {
    const s = f64x2.splat(alpha);
    c00 = f64x2.mul(c00, s); c01 = f64x2.mul(c01, s);
    c10 = f64x2.mul(c10, s); c11 = f64x2.mul(c11, s);
    c20 = f64x2.mul(c20, s); c21 = f64x2.mul(c21, s);
    c30 = f64x2.mul(c30, s); c31 = f64x2.mul(c31, s);
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  if (rows > 1) { v128.store(c + l, c10); v128.store(c + l, c11, 16); }
  if (rows > 2) { v128.store(c + 2 * l, c20); v128.store(c + 2 * l, c21, 16); }
  if (rows > 3) { v128.store(c + 3 * l, c30); v128.store(c + 3 * l, c31, 16); }
}

/** `rows` (1 to 4) rows of C against one panel, through the kernel for that many rows. */
@inline
function tile(rows: i32, c: usize, ldc: usize, a: usize, rs: usize, cs: usize, bp: usize, k0: i32, k1: i32, acc: bool, last: bool, alpha: f64): void {
  if (rows == 4) tileRows(4, c, ldc, a, rs, cs, bp, k0, k1, acc, last, alpha);
  else if (rows == 3) tileRows(3, c, ldc, a, rs, cs, bp, k0, k1, acc, last, alpha);
  else if (rows == 2) tileRows(2, c, ldc, a, rs, cs, bp, k0, k1, acc, last, alpha);
  else tileRows(1, c, ldc, a, rs, cs, bp, k0, k1, acc, last, alpha);
}

/**
 * C[:, 4·p0 .. 4·p1): the panels p0..p1 of the product, in blocks of at most KC steps of k (so
 * that a block of A stays in cache while the panels pass over it; C is reloaded between blocks,
 * which keeps the summation order). The last block multiplies by alpha.
 * `scratch` is 4×4 doubles of this thread's own, for the last panel when N is not a multiple of
 * 4. Checks the i32 at `abort` (0: none) between panels: returns 1 when it was set (the product
 * is unfinished), 0 when done.
 */
export function gemm(
  c: usize, N: i32, a: usize, rs: i32, cs: i32, bp: usize, M: i32, K: i32, KC: i32,
  p0: i32, p1: i32, alpha: f64, scratch: usize, abort: usize,
): i32 {
  const ldc = <usize>N;
  const urs = <usize>rs;
  const ucs = <usize>cs;
  const panelBytes = (<usize>K) << 5;
  // k blocks outermost: a block of A (M × KC) stays in cache while every panel passes over it
  for (let k0 = 0; k0 < K; k0 += KC) {
    const k1 = min(K, k0 + KC);
    const accumulate = k0 > 0;
    const isLast = k1 == K;
    for (let p = p0; p < p1; p++) {
      if (abort != 0 && atomic.load<i32>(abort) != 0) return 1;
      const panel = bp + <usize>p * panelBytes;
      const j0 = p << 2;
      const cols = min(4, N - j0);
      for (let i = 0; i < M; i += 4) {
        const rows = min(4, M - i);
        const dst = c + ((<usize>i * ldc + <usize>j0) << 3);
        const src = a + ((<usize>i * urs) << 3);
        if (cols == 4) {
          tile(rows, dst, ldc, src, urs, ucs, panel, k0, k1, accumulate, isLast, alpha);
        } else {
          // the last panel of a product whose N is not a multiple of 4: through the scratch tile
          if (accumulate) for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) {
            store<f64>(scratch + (<usize>(r * 4 + q) << 3), load<f64>(dst + ((<usize>r * ldc + <usize>q) << 3)));
          }
          tile(rows, scratch, 4, src, urs, ucs, panel, k0, k1, accumulate, isLast, alpha);
          for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) {
            store<f64>(dst + ((<usize>r * ldc + <usize>q) << 3), load<f64>(scratch + (<usize>(r * 4 + q) << 3)));
          }
        }
      }
    }
  }
  return 0;
}

/**
 * Packs panels p0..p1 of B (K×N) for `gemm`: from src B (K×N, row-major) or, when `trans`,
 * from src Bᵀ (N×K, row-major). Columns past N are zero.
 */
export function pack(dst: usize, src: usize, K: i32, N: i32, trans: i32, p0: i32, p1: i32): void {
  const uk = <usize>K;
  const un = <usize>N;
  for (let p = p0; p < p1; p++) {
    const j0 = p << 2;
    const cols = min(4, N - j0);
    let out = dst + ((<usize>p * uk) << 5);
    if (cols == 4 && !trans) {
      let s = src + (<usize>j0 << 3);
      for (let k = 0; k < K; k++) {
        v128.store(out, v128.load(s));
        v128.store(out, v128.load(s, 16), 16);
        s += un << 3;
        out += 32;
      }
    } else if (cols == 4) {
      const s0 = src + ((<usize>j0 * uk) << 3);
      const s1 = s0 + (uk << 3);
      const s2 = s1 + (uk << 3);
      const s3 = s2 + (uk << 3);
      for (let k: usize = 0; k < uk; k++) {
        const o = k << 3;
        store<f64>(out, load<f64>(s0 + o));
        store<f64>(out, load<f64>(s1 + o), 8);
        store<f64>(out, load<f64>(s2 + o), 16);
        store<f64>(out, load<f64>(s3 + o), 24);
        out += 32;
      }
    } else {
      for (let k = 0; k < K; k++) {
        for (let q = 0; q < 4; q++) {
          let v: f64 = 0;
          if (q < cols) {
            const j = <usize>(j0 + q);
            v = trans ? load<f64>(src + ((j * uk + <usize>k) << 3)) : load<f64>(src + ((<usize>k * un + j) << 3));
          }
          store<f64>(out + (<usize>q << 3), v);
        }
        out += 32;
      }
    }
  }
}

// ---------------------------------------------------------------------------- activations
//
// Z := Z + b (b broadcast over the columns) and A := g(Z) for g = tanh or sigmoid, two values
// at a time. The same algorithms, constants and order of operations as src/trainer/elementary.ts
// (Cephes' exp and tanh), so each lane gives the same bits as the TypeScript function: a SIMD
// lane is an IEEE double operation like any other, and both branches of a choice are computed
// and the right one selected. 2^n is built from its bits where it is a normal number; the rare
// lanes outside that range go through `expScalar`, which mirrors the TypeScript exactly.

const LOG2E: f64 = 1.4426950408889634;
const C1: f64 = 6.93145751953125e-1;
const C2: f64 = 1.42860682030941723212e-6;
const EP0: f64 = 1.26177193074810590878e-4;
const EP1: f64 = 3.02994407707441961300e-2;
const EP2: f64 = 9.99999999999999999910e-1;
const EQ0: f64 = 3.00198505138664455042e-6;
const EQ1: f64 = 2.52448340349684104192e-3;
const EQ2: f64 = 2.27265548208155028766e-1;
const EQ3: f64 = 2.00000000000000000009e0;
const MAX_ARG: f64 = 709.782712893384;
const MIN_ARG: f64 = -745.1332191019412;
const TP0: f64 = -9.64399179425052238628e-1;
const TP1: f64 = -9.92877231001918586564e1;
const TP2: f64 = -1.61468768441708447952e3;
const TQ0: f64 = 1.12811678491632931402e2;
const TQ1: f64 = 2.23548839060100448583e3;
const TQ2: f64 = 4.84406305325125486048e3;

/** 2^k for −1022 ≤ k ≤ 1023, from its bits. */
@inline
function pow2(k: i64): f64 {
  return reinterpret<f64>((k + 1023) << 52);
}

/** e^x exactly as elementary.ts computes it, for every x. */
function expScalar(x: f64): f64 {
  if (!(x <= MAX_ARG)) return x != x ? x : Infinity;
  if (x < MIN_ARG) return 0;
  const n = Math.floor(LOG2E * x + 0.5);
  let r = x - n * C1;
  r -= n * C2;
  const rr = r * r;
  const p = r * ((EP0 * rr + EP1) * rr + EP2);
  const y = 1 + 2 * (p / (((EQ0 * rr + EQ1) * rr + EQ2) * rr + EQ3 - p));
  const k = <i64>n;
  if (k > 1023) return y * 2 * pow2(k - 1);
  if (k < -1022) return y * pow2(k + 60) * pow2(-60);
  return y * pow2(k);
}

/** e^x for two lanes whose 2^n is normal (−708.39 < x < 709.08); the caller checks. */
@inline
function expv(x: v128): v128 {
  const n = f64x2.floor(f64x2.add(f64x2.mul(f64x2.splat(LOG2E), x), f64x2.splat(0.5)));
  let r = f64x2.sub(x, f64x2.mul(n, f64x2.splat(C1)));
  r = f64x2.sub(r, f64x2.mul(n, f64x2.splat(C2)));
  const rr = f64x2.mul(r, r);
  const p = f64x2.mul(r, f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.splat(EP0), rr), f64x2.splat(EP1)), rr), f64x2.splat(EP2)));
  const q = f64x2.sub(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.splat(EQ0), rr), f64x2.splat(EQ1)), rr), f64x2.splat(EQ2)), rr), f64x2.splat(EQ3)), p);
  const y = f64x2.add(f64x2.splat(1), f64x2.mul(f64x2.splat(2), f64x2.div(p, q)));
  const k = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  return f64x2.mul(y, i64x2.shl(i64x2.add(k, i64x2.splat(1023)), 52));
}

/** The arguments whose 2^n is normal in `expv`: floor(x·log2 e + 0.5) within [−1022, 1023]. */
const EXPV_LO: f64 = -708.3;
const EXPV_HI: f64 = 709.0;

@inline
function expInRange(x: v128): bool {
  return i64x2.all_true(v128.and(f64x2.ge(x, f64x2.splat(EXPV_LO)), f64x2.le(x, f64x2.splat(EXPV_HI))));
}

const SIGN: i64 = 0x8000000000000000;

/** tanh of two lanes, as elementary.ts `tanh` computes each. */
@inline
function tanhv(x: v128): v128 {
  const sign = v128.and(x, i64x2.splat(SIGN));
  const z = f64x2.abs(x);
  // |x| > 0.625: ±(1 − 2/(e^{2|x|} + 1)); |x| > 22: ±1 (computed on min(|x|, 22) so that e stays in range)
  const e = expv(f64x2.mul(f64x2.splat(2), f64x2.min(z, f64x2.splat(22))));
  const t = f64x2.sub(f64x2.splat(1), f64x2.div(f64x2.splat(2), f64x2.add(e, f64x2.splat(1))));
  const large = v128.or(t, sign);
  const big = v128.or(f64x2.splat(1), sign);
  // |x| ≤ 0.625: x + x³·P(x²)/Q(x²); x = ±0 (and NaN) stays x
  const s = f64x2.mul(x, x);
  const P = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.splat(TP0), s), f64x2.splat(TP1)), s), f64x2.splat(TP2));
  const Q = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(s, f64x2.splat(TQ0)), s), f64x2.splat(TQ1)), s), f64x2.splat(TQ2));
  const small = f64x2.add(x, f64x2.div(f64x2.mul(f64x2.mul(x, s), P), Q));
  const keep = f64x2.eq(x, f64x2.splat(0));
  const low = v128.bitselect(x, small, keep);
  const high = v128.bitselect(big, large, f64x2.gt(z, f64x2.splat(22)));
  return v128.bitselect(high, low, f64x2.gt(z, f64x2.splat(0.625)));
}

/** σ of two lanes, 1/(1 + e^−x), as elementary.ts `sigmoid` computes each. */
@inline
function sigmoidv(x: v128): v128 {
  const m = f64x2.neg(x);
  let e: v128;
  if (expInRange(m)) {
    e = expv(m);
  } else {
    e = f64x2.replace_lane(f64x2.splat(expScalar(f64x2.extract_lane(m, 0))), 1, expScalar(f64x2.extract_lane(m, 1)));
  }
  return f64x2.div(f64x2.splat(1), f64x2.add(f64x2.splat(1), e));
}

/**
 * Z := Z + b and A := g(Z) for a (rows × cols) Z, b (rows × 1); kind 1 = tanh, 2 = sigmoid.
 * Rows `r0` to `r1` (so that two threads can share a large one).
 */
export function activate(kind: i32, z: usize, b: usize, a: usize, cols: i32, r0: i32, r1: i32): void {
  const ucols = <usize>cols;
  for (let i = r0; i < r1; i++) {
    const bias = f64x2.splat(load<f64>(b + (<usize>i << 3)));
    let pz = z + ((<usize>i * ucols) << 3);
    let pa = a + ((<usize>i * ucols) << 3);
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const v = f64x2.add(v128.load(pz), bias);
      v128.store(pz, v);
      v128.store(pa, kind == 1 ? tanhv(v) : sigmoidv(v));
      pz += 16;
      pa += 16;
    }
    if (j < cols) {
      // the last value of an odd row, in lane 0
      const v = f64x2.add(v128.load64_zero(pz), bias);
      v128.store64_lane(pz, v, 0);
      v128.store64_lane(pa, kind == 1 ? tanhv(v) : sigmoidv(v), 0);
    }
  }
}
