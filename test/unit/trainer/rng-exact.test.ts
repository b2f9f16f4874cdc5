// Bit-for-bit comparison of the trainer's random numbers with NumPy's (no tolerances).
//
// The reference is test/fixtures/reference/rng-bits.json, written by
//   python3 scripts/numpy_fixtures.py
// on Linux x86_64 with glibc >= 2.28 and a CPU with FMA and AVX2 (elsewhere the script keeps
// the committed file: NumPy's randn calls the C library's log, and only glibc's FMA build is
// what src/trainer/exactLog.ts reproduces).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { exactLog, exactLogReference, fma } from '../../../src/trainer/exactLog';
import { NumpyRandom } from '../../../src/trainer/numpyRandom';

interface RngBits {
  randn: { seed: number; count: number; sha256: string; head: string }[];
  log: [string, string, string, string][];
  log_specials: [string, string, string][];
  fma: [string, string, string, string][];
}

const fixture: RngBits = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'reference', 'rng-bits.json'), 'utf8'),
);

const view = new DataView(new ArrayBuffer(8));

/** A double from 16 hex digits of its IEEE-754 bits (most significant first). */
function fromBits(hex: string): number {
  view.setBigUint64(0, BigInt('0x' + hex));
  return view.getFloat64(0);
}

function toBits(x: number): string {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/** The draws as little-endian float64 bytes, as NumPy's `.astype('<f8').tobytes()`. */
function littleEndianBytes(values: Float64Array): Buffer {
  const buf = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) buf.writeDoubleLE(values[i], i * 8);
  return buf;
}

describe('NumpyRandom.randn against np.random.seed(S); np.random.randn(n)', () => {
  for (const { seed, count, sha256, head } of fixture.randn) {
    it(`seed ${seed}: ${count} draws, every bit`, () => {
      const draws = new NumpyRandom(seed).randn(count);
      const wrong: string[] = [];
      for (let i = 0; i < head.length / 16; i++) {
        const expected = head.slice(16 * i, 16 * i + 16);
        const actual = toBits(draws[i]);
        if (actual !== expected) wrong.push(`#${i}: ${actual} (${draws[i]}) vs NumPy ${expected} (${fromBits(expected)})`);
      }
      assert.deepEqual(wrong, [], `draws differing from NumPy's:\n${wrong.slice(0, 10).join('\n')}`);
      assert.equal(createHash('sha256').update(littleEndianBytes(draws)).digest('hex'), sha256, 'SHA-256 of all draws');
    });
  }
});

describe('exactLog: glibc log, bit for bit', () => {
  const cases = fixture.log.map(([x, glibc, correct, note]) => ({ x: fromBits(x), glibc, correct, note }));

  it('matches glibc on hard inputs (near 1, tiny, subnormal, powers of two, randn inputs)', () => {
    const wrong = cases
      .filter((c) => toBits(exactLog(c.x)) !== c.glibc)
      .map((c) => `${c.note}: log(${c.x}) = ${toBits(exactLog(c.x))}, glibc ${c.glibc}`);
    assert.deepEqual(wrong, []);
  });

  it('the unoptimised transcription matches glibc too', () => {
    const wrong = cases
      .filter((c) => toBits(exactLogReference(c.x)) !== c.glibc)
      .map((c) => `${c.note}: log(${c.x}) = ${toBits(exactLogReference(c.x))}, glibc ${c.glibc}`);
    assert.deepEqual(wrong, []);
  });

  it('is correctly rounded except where glibc is not (and there 1 ulp off, like glibc)', () => {
    let notCorrectlyRounded = 0;
    for (const c of cases) {
      if (c.glibc === c.correct) {
        assert.equal(toBits(exactLog(c.x)), c.correct, `${c.note}: log(${c.x})`);
      } else {
        notCorrectlyRounded++;
        const ulps = BigInt('0x' + c.glibc) - BigInt('0x' + c.correct);
        assert.ok(ulps === 1n || ulps === -1n, `${c.note}: glibc ${c.glibc} vs correctly rounded ${c.correct}`);
      }
    }
    // The fixture deliberately holds inputs where glibc (and so NumPy) is not correctly rounded:
    // a correctly rounded log would fail the comparisons above.
    assert.ok(notCorrectlyRounded >= 100, `${notCorrectlyRounded} inputs where glibc is not correctly rounded`);
  });

  it('differs from Math.log where it must', () => {
    const differ = cases.filter((c) => toBits(Math.log(c.x)) !== c.glibc).length;
    assert.ok(differ > 0, 'V8 Math.log agreed with glibc everywhere: the fixture no longer tests anything');
  });

  it('handles 1, zeros, negatives, infinities and NaN as glibc does', () => {
    for (const [x, glibc, note] of fixture.log_specials) {
      const expected = fromBits(glibc);
      const actual = exactLog(fromBits(x));
      assert.ok(Object.is(actual, expected), `${note}: log(${fromBits(x)}) = ${actual}, glibc ${expected}`);
    }
  });
});

describe('fma: exactly rounded a*b + c', () => {
  it('matches exact rational arithmetic, including rounding ties and cancellation', () => {
    const wrong: string[] = [];
    for (const [a, b, c, r] of fixture.fma) {
      const actual = fma(fromBits(a), fromBits(b), fromBits(c));
      if (toBits(actual) !== r && !(actual === 0 && fromBits(r) === 0)) wrong.push(`fma(${a}, ${b}, ${c}) = ${toBits(actual)}, exact ${r}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('is not plain a*b + c on these cases', () => {
    const plainWrong = fixture.fma.filter(([a, b, c, r]) => toBits(fromBits(a) * fromBits(b) + fromBits(c)) !== r).length;
    assert.ok(plainWrong > 10, `${plainWrong}`);
  });
});
