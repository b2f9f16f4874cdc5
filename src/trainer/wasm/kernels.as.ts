// AssemblyScript source of the trainer's WebAssembly SIMD kernels (built by scripts/build-wasm.mjs
// into dist/kernels.wasm; not part of the TypeScript program): the matrix product `gemm`, the
// first layer's weight gradient `gemmT` with `compact`, `pack`, the bias add with the activation
// (`activate`) and the update (`subScaled`). Costs, the activations' derivatives and the rest stay
// in TypeScript (src/trainer/kernels.ts, model.ts). Every function gives the same bits as its
// TypeScript reference.
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
 * `rows` (1 to 4, a constant at every call) rows of C against one 4-column panel of B: up to
 * eight f64x2 accumulators. The panel's k-th row is at bp + k·bstep: 32 for a packed panel, the
 * row length of B for B read in place. Inlined with a constant `rows`, the tests on it fold
 * away, leaving the straight-line 4-, 3-, 2- and 1-row kernels.
 */
@inline
function tileRows(rows: i32, c: usize, ldc: usize, a: usize, rs: usize, cs: usize, bp: usize, bstep: usize, k0: i32, k1: i32, acc: bool, last: bool, alpha: f64): void {
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
  let pb = bp + <usize>k0 * bstep;
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
    pb += bstep;
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
function tile(rows: i32, c: usize, ldc: usize, a: usize, rs: usize, cs: usize, bp: usize, bstep: usize, k0: i32, k1: i32, acc: bool, last: bool, alpha: f64): void {
  if (rows == 4) tileRows(4, c, ldc, a, rs, cs, bp, bstep, k0, k1, acc, last, alpha);
  else if (rows == 3) tileRows(3, c, ldc, a, rs, cs, bp, bstep, k0, k1, acc, last, alpha);
  else if (rows == 2) tileRows(2, c, ldc, a, rs, cs, bp, bstep, k0, k1, acc, last, alpha);
  else tileRows(1, c, ldc, a, rs, cs, bp, bstep, k0, k1, acc, last, alpha);
}

/**
 * C[:, 4·p0 .. 4·p1): the panels p0..p1 of the product, for the steps k0..k1 of k, in blocks of
 * at most KC steps (so that a block of A stays in cache while the panels pass over it; C keeps
 * the sums between blocks, which keeps the summation order; a caller that goes through the
 * blocks itself, one call each, passes KC = k1 − k0). The last block (ending at K) multiplies by
 * alpha.
 * Panel p of B starts at bp + p·pstride and its k-th row is bstep bytes further on per k: a
 * packed panel (`pack`: bstep 32, pstride 32·K) or B itself, read in place (bstep 8·N, pstride
 * 32), whose last panel, when N is not a multiple of 4, reads up to three values past a row
 * into lanes that are never stored (every buffer has 64 bytes after it).
 * `scratch` is 4×4 doubles of this thread's own, for the last panel when N is not a multiple of
 * 4. Checks the i32 at `abort` (0: none) between panels: returns 1 when it was set (the product
 * is unfinished), 0 when done.
 */
export function gemm(
  c: usize, N: i32, a: usize, rs: i32, cs: i32, bp: usize, bstep: i32, pstride: i32, M: i32, K: i32, k0: i32, k1: i32, KC: i32,
  p0: i32, p1: i32, alpha: f64, scratch: usize, abort: usize,
): i32 {
  for (let kb = k0; kb < k1; kb += KC) {
    if (gemmBlock(c, N, a, rs, cs, bp, bstep, pstride, M, K, kb, min(k1, kb + KC), p0, p1, alpha, scratch, abort)) return 1;
  }
  return 0;
}

@inline
function gemmBlock(
  c: usize, N: i32, a: usize, rs: i32, cs: i32, bp: usize, bstep: i32, pstride: i32, M: i32, K: i32, k0: i32, k1: i32,
  p0: i32, p1: i32, alpha: f64, scratch: usize, abort: usize,
): bool {
  const ldc = <usize>N;
  const urs = <usize>rs;
  const ucs = <usize>cs;
  const ubstep = <usize>bstep;
  const accumulate = k0 > 0;
  const isLast = k1 == K;
  for (let p = p0; p < p1; p++) {
    if (abort != 0 && atomic.load<i32>(abort) != 0) return true;
    const panel = bp + <usize>p * <usize>pstride;
    const j0 = p << 2;
    const cols = min(4, N - j0);
    for (let i = 0; i < M; i += 4) {
      const rows = min(4, M - i);
      const dst = c + ((<usize>i * ldc + <usize>j0) << 3);
      const src = a + ((<usize>i * urs) << 3);
      if (cols == 4) {
        tile(rows, dst, ldc, src, urs, ucs, panel, ubstep, k0, k1, accumulate, isLast, alpha);
      } else {
        // the last panel of a product whose N is not a multiple of 4: through the scratch tile
        if (accumulate) for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) {
          store<f64>(scratch + (<usize>(r * 4 + q) << 3), load<f64>(dst + ((<usize>r * ldc + <usize>q) << 3)));
        }
        tile(rows, scratch, 4, src, urs, ucs, panel, ubstep, k0, k1, accumulate, isLast, alpha);
        for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) {
          store<f64>(dst + ((<usize>r * ldc + <usize>q) << 3), load<f64>(scratch + (<usize>(r * 4 + q) << 3)));
        }
      }
    }
  }
  return false;
}

// ---------------------------------------------------------------------------- weight gradients
//
// dW := alpha · dZ · Xᵀ (dZ: units × m, X: features × m, examples in columns) is computed as
// its transpose, dWᵀ = X · dZᵀ: the rows of a tile are four features, read from four rows of X
// (where X is: an activation as it is stored, or the training data from its 4-column panels),
// and the panels are four units of dZᵀ, packed by `compact`. Column j of a row of X is
// (j >> 2)·pstride + (j & 3) values into the row, rows are rowStride values apart: a row-major
// X has pstride 4 and rowStride its row length; panels of m4 = 4·⌈m/4⌉ columns over F features
// have pstride 4·F and rowStride 4. Each dW[u, f] is still summed over the examples j in
// increasing order, term by term, as the reference does. For the training data, `compact`
// leaves out the examples where the panel's four units all have dZ = 0 (a ReLU layer has many:
// whole columns are 0 where the layer above passed no gradient back): their terms are ±0, and
// adding ±0 to a sum that starts at +0 changes no bit (such a sum is never −0), provided X is
// finite, which the caller checks once per data set.

/**
 * Packs dZᵀ (dZ: `units` × m, row-major with row length `ldz`) for `gemmT`: panel p (units
 * 4p..4p+3, zero past `units`) gets, in increasing j, the examples j whose four values are not
 * all 0 (every j when `skip` is 0): their four values at vals + p·cap·32 + 32·t, and where
 * column j is in a row of X, (j >> 2)·pstride + (j & 3), at idx + p·cap·4 + 4·t. For each block of KC examples, the entry it starts at goes to
 * starts[p·(nb + 1) + block], and the panel's count to starts[p·(nb + 1) + nb]. Returns the
 * entries of all panels.
 */
export function compact(dz: usize, ldz: i32, units: i32, m: i32, vals: usize, idx: usize, cap: i32, starts: usize, KC: i32, nb: i32, skip: i32, pstride: i32): i32 {
  const row = (<usize>ldz) << 3;
  const panels = (units + 3) >> 2;
  let kept = 0;
  for (let p = 0; p < panels; p++) {
    const u0 = p << 2;
    const cols = min(4, units - u0);
    const base = dz + <usize>u0 * row;
    let pv = vals + ((<usize>p * <usize>cap) << 5);
    let pi = idx + ((<usize>p * <usize>cap) << 2);
    const ps = starts + ((<usize>p * <usize>(nb + 1)) << 2);
    let t = 0;
    for (let b = 0; b < nb; b++) {
      store<i32>(ps + (<usize>b << 2), t);
      const j1 = min(m, (b + 1) * KC);
      for (let j = b * KC; j < j1; j++) {
        const o = base + (<usize>j << 3);
        const v0 = load<f64>(o);
        const v1 = cols > 1 ? load<f64>(o + row) : 0;
        const v2 = cols > 2 ? load<f64>(o + 2 * row) : 0;
        const v3 = cols > 3 ? load<f64>(o + 3 * row) : 0;
        if (skip == 0 || v0 != 0 || v1 != 0 || v2 != 0 || v3 != 0) {
          store<f64>(pv, v0);
          store<f64>(pv, v1, 8);
          store<f64>(pv, v2, 16);
          store<f64>(pv, v3, 24);
          store<i32>(pi, (j >> 2) * pstride + (j & 3));
          pv += 32;
          pi += 4;
          t++;
        }
      }
    }
    store<i32>(ps + (<usize>nb << 2), t);
    kept += t;
  }
  return kept;
}

/**
 * `rows` (1 to 4) features of dWᵀ against one panel of four units, over the packed entries
 * t0..t1: eight accumulators, as `tileRows`, with the example of each entry read where its
 * index says; `x` is the first feature's row, the others rowStride values apart.
 * Stores the 4×4 block transposed (dW[u, f] at c + 8·(u·ldc + f)) when `direct`, else into the
 * 4×4 scratch as it is (scratch[r·4 + q] = dWᵀ[f + r, u + q]); with `acc`, it continues the
 * sums found there.
 */
@inline
function tileT(rows: i32, c: usize, ldc: usize, direct: bool, scratch: usize, x: usize, rowStride: usize, vals: usize, idx: usize, t0: i32, t1: i32, acc: bool, last: bool, alpha: f64): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  const l = ldc << 3;
  if (acc) {
    if (direct) {
      // dW rows u..u+3, columns f..f+3, back into the tile's layout
      const u0a = v128.load(c), u0b = v128.load(c, 16);
      const u1a = v128.load(c + l), u1b = v128.load(c + l, 16);
      const u2a = v128.load(c + 2 * l), u2b = v128.load(c + 2 * l, 16);
      const u3a = v128.load(c + 3 * l), u3b = v128.load(c + 3 * l, 16);
      c00 = v128.shuffle<i64>(u0a, u1a, 0, 2); c10 = v128.shuffle<i64>(u0a, u1a, 1, 3);
      c20 = v128.shuffle<i64>(u0b, u1b, 0, 2); c30 = v128.shuffle<i64>(u0b, u1b, 1, 3);
      c01 = v128.shuffle<i64>(u2a, u3a, 0, 2); c11 = v128.shuffle<i64>(u2a, u3a, 1, 3);
      c21 = v128.shuffle<i64>(u2b, u3b, 0, 2); c31 = v128.shuffle<i64>(u2b, u3b, 1, 3);
    } else {
      c00 = v128.load(scratch); c01 = v128.load(scratch, 16);
      c10 = v128.load(scratch, 32); c11 = v128.load(scratch, 48);
      c20 = v128.load(scratch, 64); c21 = v128.load(scratch, 80);
      c30 = v128.load(scratch, 96); c31 = v128.load(scratch, 112);
    }
  }
  const r = rowStride << 3;
  let pi = idx + (<usize>t0 << 2);
  let pb = vals + (<usize>t0 << 5);
  const end = idx + (<usize>t1 << 2);
  while (pi < end) {
    const pa = x + (<usize>load<i32>(pi) << 3);
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
    pi += 4;
    pb += 32;
  }
  if (last && alpha != 1) {
    const s = f64x2.splat(alpha);
    c00 = f64x2.mul(c00, s); c01 = f64x2.mul(c01, s);
    c10 = f64x2.mul(c10, s); c11 = f64x2.mul(c11, s);
    c20 = f64x2.mul(c20, s); c21 = f64x2.mul(c21, s);
    c30 = f64x2.mul(c30, s); c31 = f64x2.mul(c31, s);
  }
  if (direct) {
    v128.store(c, v128.shuffle<i64>(c00, c10, 0, 2)); v128.store(c, v128.shuffle<i64>(c20, c30, 0, 2), 16);
    v128.store(c + l, v128.shuffle<i64>(c00, c10, 1, 3)); v128.store(c + l, v128.shuffle<i64>(c20, c30, 1, 3), 16);
    v128.store(c + 2 * l, v128.shuffle<i64>(c01, c11, 0, 2)); v128.store(c + 2 * l, v128.shuffle<i64>(c21, c31, 0, 2), 16);
    v128.store(c + 3 * l, v128.shuffle<i64>(c01, c11, 1, 3)); v128.store(c + 3 * l, v128.shuffle<i64>(c21, c31, 1, 3), 16);
  } else {
    v128.store(scratch, c00); v128.store(scratch, c01, 16);
    v128.store(scratch, c10, 32); v128.store(scratch, c11, 48);
    v128.store(scratch, c20, 64); v128.store(scratch, c21, 80);
    v128.store(scratch, c30, 96); v128.store(scratch, c31, 112);
  }
}

/**
 * Rows (features) 4·i0 .. 4·i1 of dWᵀ = X · dZᵀ for the block `b` of examples (of `nb`), every
 * panel of units: dW (units × F, row length ldc) := alpha · dZ · Xᵀ once the last block is done
 * (the earlier blocks leave their partial sums in dW, unscaled). X's rows are rowStride
 * values apart (see above).
 * The entries come from `compact`. Checks the i32 at `abort` (0: none) between row tiles:
 * returns 1 when it was set, 0 when done.
 */
export function gemmT(
  c: usize, ldc: i32, x: usize, rowStride: i32, F: i32, units: i32, i0: i32, i1: i32,
  vals: usize, idx: usize, cap: i32, starts: usize, nb: i32, b: i32, alpha: f64, scratch: usize, abort: usize,
): i32 {
  const uldc = <usize>ldc;
  const urs = <usize>rowStride;
  const panels = (units + 3) >> 2;
  const acc = b > 0;
  const last = b == nb - 1;
  for (let i = i0; i < i1; i++) {
    if (abort != 0 && atomic.load<i32>(abort) != 0) return 1;
    const f = i << 2;
    const rows = min(4, F - f);
    const xr = x + ((<usize>f * urs) << 3);
    for (let p = 0; p < panels; p++) {
      const u = p << 2;
      const cols = min(4, units - u);
      const ps = starts + ((<usize>p * <usize>(nb + 1) + <usize>b) << 2);
      const t0 = load<i32>(ps);
      const t1 = load<i32>(ps, 4);
      const pv = vals + ((<usize>p * <usize>cap) << 5);
      const pi = idx + ((<usize>p * <usize>cap) << 2);
      const dst = c + ((<usize>u * uldc + <usize>f) << 3);
      if (rows == 4 && cols == 4) {
        tileT(4, dst, uldc, true, scratch, xr, urs, pv, pi, t0, t1, acc, last, alpha);
      } else {
        // a tile at the edge (fewer than four features or units): through the scratch tile
        if (acc) for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) {
          store<f64>(scratch + (<usize>(r * 4 + q) << 3), load<f64>(dst + ((<usize>q * uldc + <usize>r) << 3)));
        }
        if (rows == 4) tileT(4, dst, uldc, false, scratch, xr, urs, pv, pi, t0, t1, acc, last, alpha);
        else if (rows == 3) tileT(3, dst, uldc, false, scratch, xr, urs, pv, pi, t0, t1, acc, last, alpha);
        else if (rows == 2) tileT(2, dst, uldc, false, scratch, xr, urs, pv, pi, t0, t1, acc, last, alpha);
        else tileT(1, dst, uldc, false, scratch, xr, urs, pv, pi, t0, t1, acc, last, alpha);
        for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) {
          store<f64>(dst + ((<usize>q * uldc + <usize>r) << 3), load<f64>(scratch + (<usize>(r * 4 + q) << 3)));
        }
      }
    }
  }
  return 0;
}

/**
 * Packs panels p0..p1 of B (K×N) for `gemm`, panel p at dst + p·pstride bytes: from src B (K×N,
 * row-major, rows `ld` values apart) or, when `trans`, from src Bᵀ (N×K, row-major, rows `ld`
 * values apart). Columns past N are zero. Only the first K steps of k of each panel are written,
 * so that a B that is not in the memory can be packed a block of rows at a time (dst moved on
 * by 32 bytes per row already packed, pstride that of the whole panels).
 */
export function pack(dst: usize, pstride: usize, src: usize, ld: i32, K: i32, N: i32, trans: i32, p0: i32, p1: i32): void {
  const uk = <usize>K;
  const un = <usize>ld;
  for (let p = p0; p < p1; p++) {
    const j0 = p << 2;
    const cols = min(4, N - j0);
    let out = dst + <usize>p * pstride;
    if (cols == 4 && !trans) {
      let s = src + (<usize>j0 << 3);
      for (let k = 0; k < K; k++) {
        v128.store(out, v128.load(s));
        v128.store(out, v128.load(s, 16), 16);
        s += un << 3;
        out += 32;
      }
    } else if (cols == 4) {
      const s0 = src + ((<usize>j0 * un) << 3);
      const s1 = s0 + (un << 3);
      const s2 = s1 + (un << 3);
      const s3 = s2 + (un << 3);
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
            v = trans ? load<f64>(src + ((j * un + <usize>k) << 3)) : load<f64>(src + ((<usize>k * un + j) << 3));
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

/** The slope of leaky ReLU for negative inputs (model.ts LEAKY_SLOPE). */
const LEAKY_SLOPE: f64 = 0.01;

/**
 * g of two lanes for `kind` (a constant at every call): 1 tanh, 2 sigmoid, 3 ReLU, 4 leaky ReLU,
 * 5 linear; each lane as model.ts `biasActivate` computes it (ReLU: v > 0 ? v : 0, so NaN and
 * −0 give 0; leaky: v > 0 ? v : 0.01·v).
 */
@inline
function g(kind: i32, v: v128): v128 {
  if (kind == 1) return tanhv(v);
  if (kind == 2) return sigmoidv(v);
  if (kind == 3) return v128.bitselect(v, f64x2.splat(0), f64x2.gt(v, f64x2.splat(0)));
  if (kind == 4) return v128.bitselect(v, f64x2.mul(f64x2.splat(LEAKY_SLOPE), v), f64x2.gt(v, f64x2.splat(0)));
  return v;
}

@inline
function activateRows(kind: i32, z: usize, b: usize, a: usize, cols: i32, r0: i32, r1: i32): void {
  const ucols = <usize>cols;
  for (let i = r0; i < r1; i++) {
    const bias = f64x2.splat(load<f64>(b + (<usize>i << 3)));
    let pz = z + ((<usize>i * ucols) << 3);
    let pa = a + ((<usize>i * ucols) << 3);
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const v = f64x2.add(v128.load(pz), bias);
      v128.store(pz, v);
      v128.store(pa, g(kind, v));
      pz += 16;
      pa += 16;
    }
    if (j < cols) {
      // the last value of an odd row, in lane 0
      const v = f64x2.add(v128.load64_zero(pz), bias);
      v128.store64_lane(pz, v, 0);
      v128.store64_lane(pa, g(kind, v), 0);
    }
  }
}

/**
 * Z := Z + b and A := g(Z) for a (rows × cols) Z, b (rows × 1); `kind` as for `g`.
 * Rows `r0` to `r1` (so that two threads can share a large one).
 */
export function activate(kind: i32, z: usize, b: usize, a: usize, cols: i32, r0: i32, r1: i32): void {
  if (kind == 1) activateRows(1, z, b, a, cols, r0, r1);
  else if (kind == 2) activateRows(2, z, b, a, cols, r0, r1);
  else if (kind == 3) activateRows(3, z, b, a, cols, r0, r1);
  else if (kind == 4) activateRows(4, z, b, a, cols, r0, r1);
  else activateRows(5, z, b, a, cols, r0, r1);
}

/** a[i] := a[i] − alpha·b[i] for i < n: the gradient descent update, as kernels.ts `subtractScaledInPlace`. */
export function subScaled(a: usize, b: usize, n: i32, alpha: f64): void {
  const s = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(a + o, f64x2.sub(v128.load(a + o), f64x2.mul(s, v128.load(b + o))));
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(a + o, load<f64>(a + o) - alpha * load<f64>(b + o));
  }
}
