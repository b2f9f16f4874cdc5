// NumPy's legacy random generator (np.random.seed / rand / randn), bit for bit:
// MT19937 seeded as `np.random.seed(S)` seeds an integer, doubles with 53 random bits,
// and the legacy polar Gaussian that caches its second value. Its log is glibc's, reproduced
// bit for bit in ./exactLog (V8's Math.log rounds differently on ~7 % of inputs).

import { exactLog } from './exactLog';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

export class NumpyRandom {
  private readonly mt = new Uint32Array(N);
  private index = N;
  private hasGauss = false;
  private gauss = 0;

  constructor(seed: number) {
    this.seed(seed);
  }

  /** `np.random.seed(seed)` for an integer 0 <= seed < 2^32. */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`Seed must be between 0 and 2**32 - 1, not ${seed}`);
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.mt[i] = s;
      // s = 1812433253 * (s ^ (s >>> 30)) + i + 1, modulo 2^32
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
    this.index = N;
    this.hasGauss = false;
    this.gauss = 0;
  }

  private twist(): void {
    const mt = this.mt;
    let i = 0;
    let y: number;
    for (; i < N - M; i++) {
      y = (mt[i] & UPPER) | (mt[i + 1] & LOWER);
      mt[i] = mt[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; i < N - 1; i++) {
      y = (mt[i] & UPPER) | (mt[i + 1] & LOWER);
      mt[i] = mt[i + M - N] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    this.index = 0;
  }

  /** The next raw 32-bit output. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `np.random.random_sample()`: a double in [0, 1) with 53 random bits. */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** One `np.random.randn()` value (legacy polar method). */
  gaussian(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.gauss;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    // Same operations, in the same order, as NumPy's legacy_gauss:
    // f = sqrt(-2.0 * log(r2) / r2); gauss = f * x1; return f * x2. (sqrt is correctly rounded.)
    const f = Math.sqrt((-2 * exactLog(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** `np.random.randn(n)` as a flat array (C order for several dimensions). */
  randn(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.gaussian();
    return out;
  }
}
