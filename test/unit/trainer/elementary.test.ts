// The activations' own exp and tanh (src/trainer/elementary.ts) against V8's Math.exp and
// Math.tanh: within 2 units in the last place everywhere, and exact on every special value.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exp, sigmoid, tanh } from '../../../src/trainer/elementary';

const bits = new Float64Array(2);
const ints = new BigInt64Array(bits.buffer);

/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  bits[0] = a;
  bits[1] = b;
  const d = ints[0] - ints[1];
  return Number(d < 0n ? -d : d);
}

/** A deterministic stream of doubles in [lo, hi). */
function* uniform(seed: number, count: number, lo: number, hi: number): Generator<number> {
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const t = (Math.imul(s ^ (s >>> 15), 2246822519) >>> 0) / 2 ** 32;
    yield lo + (hi - lo) * t;
  }
}

function worst(f: (x: number) => number, g: (x: number) => number, xs: Iterable<number>): { ulps: number; at: number } {
  let w = { ulps: 0, at: NaN };
  for (const x of xs) {
    const u = ulps(f(x), g(x));
    if (u > w.ulps) w = { ulps: u, at: x };
  }
  return w;
}

describe('exp', () => {
  for (const [lo, hi] of [
    [-1, 1],
    [-30, 30],
    [-745.2, 709.8],
    [-1e-6, 1e-6],
  ]) {
    it(`is within 2 ulp of Math.exp on [${lo}, ${hi}] (400,000 values)`, () => {
      const w = worst(exp, Math.exp, uniform(lo * 7 + hi, 400_000, lo, hi));
      assert.ok(w.ulps <= 2, `${w.ulps} ulp at ${w.at}: ${exp(w.at)} vs ${Math.exp(w.at)}`);
    });
  }
  it('is exact on the special values: ±0, ±Infinity, NaN, overflow, underflow, subnormal results', () => {
    assert.equal(exp(0), 1);
    assert.equal(exp(-0), 1);
    assert.equal(exp(Infinity), Infinity);
    assert.equal(exp(-Infinity), 0);
    assert.ok(Number.isNaN(exp(NaN)));
    assert.equal(exp(710), Infinity);
    assert.equal(exp(-746), 0);
    assert.equal(exp(709.78), Math.exp(709.78));
    for (const x of [-708.5, -720, -740, -744.4]) assert.ok(ulps(exp(x), Math.exp(x)) <= 2, `${x}: ${exp(x)} vs ${Math.exp(x)}`);
  });
});

describe('tanh', () => {
  for (const [lo, hi] of [
    [-0.7, 0.7],
    [-3, 3],
    [-25, 25],
    [-1e-5, 1e-5],
  ]) {
    it(`is within 2 ulp of Math.tanh on [${lo}, ${hi}] (400,000 values)`, () => {
      const w = worst(tanh, Math.tanh, uniform(lo * 11 + hi, 400_000, lo, hi));
      assert.ok(w.ulps <= 2, `${w.ulps} ulp at ${w.at}: ${tanh(w.at)} vs ${Math.tanh(w.at)}`);
    });
  }
  it('is exact on the special values and odd', () => {
    assert.ok(Object.is(tanh(0), 0));
    assert.ok(Object.is(tanh(-0), -0));
    assert.equal(tanh(Infinity), 1);
    assert.equal(tanh(-Infinity), -1);
    assert.ok(Number.isNaN(tanh(NaN)));
    assert.equal(tanh(5e-324), 5e-324);
    for (const x of [0.625, 0.6250000000000001, 1, 22, 22.000001, 400]) {
      assert.equal(tanh(-x), -tanh(x));
      assert.ok(ulps(tanh(x), Math.tanh(x)) <= 2, `${x}: ${tanh(x)} vs ${Math.tanh(x)}`);
    }
  });
});

describe('sigmoid', () => {
  it('is 1 / (1 + e^−x), saturating to exactly 0 and 1', () => {
    assert.equal(sigmoid(0), 0.5);
    assert.equal(sigmoid(-800), 0);
    assert.equal(sigmoid(800), 1);
    assert.equal(sigmoid(40), 1);
    const w = worst(sigmoid, (x) => 1 / (1 + Math.exp(-x)), uniform(3, 200_000, -40, 40));
    assert.ok(w.ulps <= 3, `${w.ulps} ulp at ${w.at}`);
  });
});
