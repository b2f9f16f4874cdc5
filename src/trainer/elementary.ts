// exp and tanh for the activations, written out instead of calling Math.exp and Math.tanh.
//
// Why: V8 computes Math.exp and Math.tanh in C++ (fdlibm), and optimised JavaScript pays a call
// into the runtime for each value; a tanh costs about 12 ns there against 6 ns for the same
// algorithm inlined here, and on the small networks of the course (the planar net's 1,600 tanh
// per iteration) the activations are most of an iteration. NumPy's vectorised tanh is faster
// still; this keeps us level.
//
// The algorithms are the classic ones of the Cephes library (S. L. Moshier): exp by reduction
// to r = x − n·ln 2 (ln 2 split in two so that n·C1 is exact) and a rational approximation
// e^r = 1 + 2r·P(r²)/(Q(r²) − r·P(r²)); tanh by a rational approximation x + x³·P(x²)/Q(x²) for
// |x| ≤ 0.625 and 1 − 2/(e^{2|x|} + 1) above. Both are within 2 units in the last place of
// Math.exp and Math.tanh (test/unit/trainer/elementary.test.ts checks millions of values and every
// special case: ±0, ±Infinity, NaN, overflow and underflow). The training results are therefore
// not bit-identical to an engine that uses Math.tanh, but the same on every platform and
// runtime, and within the NumPy fixtures' 1e-10.

const LOG2E = 1.4426950408889634;
/** ln 2 = C1 + C2, with C1 exactly representable in few bits so that n·C1 is exact */
const C1 = 6.93145751953125e-1;
const C2 = 1.42860682030941723212e-6;
const EP0 = 1.26177193074810590878e-4;
const EP1 = 3.02994407707441961300e-2;
const EP2 = 9.99999999999999999910e-1;
const EQ0 = 3.00198505138664455042e-6;
const EQ1 = 2.52448340349684104192e-3;
const EQ2 = 2.27265548208155028766e-1;
const EQ3 = 2.00000000000000000009e0;
/** Largest x whose exp is finite, and the x below which exp underflows to 0. */
const MAX_ARG = 709.782712893384;
const MIN_ARG = -745.1332191019412;

/** 2^k for k in [−1074, 1023], at POW2[k + POW2_BIAS]: scaling by a power of two is exact. */
const POW2_BIAS = 1100;
const POW2 = new Float64Array(2200);
for (let k = -1074; k <= 1023; k++) POW2[k + POW2_BIAS] = 2 ** k;

/** e^x, within 2 ulp of Math.exp. */
export function exp(x: number): number {
  if (!(x <= MAX_ARG)) return x !== x ? x : Infinity;
  if (x < MIN_ARG) return 0;
  const n = Math.floor(LOG2E * x + 0.5);
  let r = x - n * C1;
  r -= n * C2;
  const rr = r * r;
  const p = r * ((EP0 * rr + EP1) * rr + EP2);
  const y = 1 + 2 * (p / (((EQ0 * rr + EQ1) * rr + EQ2) * rr + EQ3 - p));
  // y·2^n, in two exact steps where 2^n alone is out of range
  if (n > 1023) return y * 2 * POW2[n - 1 + POW2_BIAS];
  if (n < -1022) return y * POW2[n + 60 + POW2_BIAS] * POW2[-60 + POW2_BIAS];
  return y * POW2[n + POW2_BIAS];
}

const TP0 = -9.64399179425052238628e-1;
const TP1 = -9.92877231001918586564e1;
const TP2 = -1.61468768441708447952e3;
const TQ0 = 1.12811678491632931402e2;
const TQ1 = 2.23548839060100448583e3;
const TQ2 = 4.84406305325125486048e3;

/** tanh(x), within 2 ulp of Math.tanh. */
export function tanh(x: number): number {
  const z = Math.abs(x);
  if (z > 0.625) {
    if (z > 22) return x > 0 ? 1 : -1; // tanh(22) is 1 to double precision
    const t = 1 - 2 / (exp(2 * z) + 1);
    return x > 0 ? t : -t;
  }
  if (x === 0 || x !== x) return x; // keeps −0 and NaN
  const s = x * x;
  return x + (x * s * ((TP0 * s + TP1) * s + TP2)) / (((s + TQ0) * s + TQ1) * s + TQ2);
}

/** σ(x) = 1 / (1 + e^−x). */
export function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}
