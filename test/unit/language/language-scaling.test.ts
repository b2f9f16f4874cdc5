// The language core runs in time linear in its input: for each hostile shape of text (long
// digit runs before a letter, `seed 1 1 1 ...`, very long words, many '=', long runs of
// spaces, escapes in a string, many key=value pairs, tens of thousands of layer lines, as many
// bad lines) one file of 512 KB takes at most 4× as long per KB (parse + checks + shapes +
// format) as 64 files of 8 KB (and one of 32 KB as 8 of 4 KB, first, so that a quadratic step
// fails in seconds). A quadratic step makes that 64× (8×). The small files are analysed
// together and kept until the end, so that both sides hold the same amount in memory and the
// garbage collector costs them alike (a single 8 KB file fits in V8's young generation and
// would look several times cheaper per KB for that reason alone). The median of a few
// repetitions keeps the test stable on a loaded machine. The numbers are printed (node --test
// shows them as diagnostics).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSpec, formatText, parseSpec, specShapes } from '../../../src/language';

const KB = 1024;
const MEMORY = { memoryBudgetBytes: 2 * 1024 ** 3, machineBytes: 16 * 1024 ** 3 };

/** Hostile text of about `bytes` characters. */
const SHAPES: Record<string, (bytes: number) => string> = {
  'digits then a letter': (n) => `input 2\ndense ${'9'.repeat(n)}x relu\ndense 1 sigmoid\n`,
  'seed 1 1 1 ...': (n) => `input 2\ndense 1 sigmoid\nseed${' 1'.repeat(n / 2)}\n`,
  'a very long word': (n) => `input 2\ndense 4 ${'a'.repeat(n)}\ndense 1 sigmoid\n`,
  "many '='": (n) => `input 2\ndense 1 sigmoid\ndata train flower ${'='.repeat(n)}\n`,
  'spaces before a comment word': (n) => `input 2 # a${' '.repeat(n)}b\ndense 1 sigmoid\n`,
  'escapes in a string': (n) => `input 2\ndense 1 sigmoid\ndata train "${'a\\"'.repeat(n / 3)}\n`,
  'key=value pairs': (n) => `input 2\ndense 1 sigmoid\ndata train flower${' m=1'.repeat(n / 4)}\n`,
  'layer lines': (n) => `input 2\n${'dense 4 relu\n'.repeat(Math.floor(n / 13))}dense 1 sigmoid\ndata train flower\n`,
  'bad lines': (n) => `input 2\n${'se 4 rleu "x\n'.repeat(Math.floor(n / 13))}dense 1 sigmoid\n`,
};

/** What the editor does on every keystroke, and the formatter: the results, kept. */
function analyse(text: string): unknown[] {
  const parsed = parseSpec(text);
  return [parsed, checkSpec(parsed, {}, MEMORY), specShapes(parsed, 400), formatText(text)];
}

/** Median milliseconds of `runs` analyses of all of `texts`, every result kept until the end of a run. */
function median(texts: string[], runs: number): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const kept: unknown[] = [];
    const started = performance.now();
    for (const text of texts) kept.push(analyse(text));
    times.push(performance.now() - started);
    kept.length = 0;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

const kb = (texts: string[]): number => texts.reduce((sum, t) => sum + t.length, 0) / KB;

/** Time per KB of one file of `big` KB over `big / piece` files of `piece` KB. */
function ratio(make: (bytes: number) => string, piece: number, big: number): { ratio: number; smallMs: number; largeMs: number } {
  const small = Array.from({ length: big / piece }, () => make(piece * KB));
  const large = [make(big * KB)];
  const smallMs = median(small, 3);
  const largeMs = median(large, 3);
  return { ratio: largeMs / kb(large) / (smallMs / kb(small)), smallMs, largeMs };
}

describe('language scaling: time per KB does not grow with the input', () => {
  for (const [name, make] of Object.entries(SHAPES)) {
    it(name, (t) => {
      median([make(8 * KB)], 3); // compile the code paths first
      // 32 KB first: a quadratic step fails here in seconds instead of running for hours
      const first = ratio(make, 4, 32);
      assert.ok(first.ratio < 4, `${name}: ${first.ratio.toFixed(1)}× the time per KB in one 32 KB file as in 4 KB files`);
      const { ratio: r, smallMs, largeMs } = ratio(make, 8, 512);
      const oneSmall = median([make(10 * KB)], 9);
      t.diagnostic(
        `${name}: 64 × 8 KB ${smallMs.toFixed(0)} ms, 1 × 512 KB ${largeMs.toFixed(0)} ms, ratio per KB ${r.toFixed(2)}; one 10 KB file ${oneSmall.toFixed(1)} ms`,
      );
      assert.ok(r < 4, `${name}: ${r.toFixed(1)}× the time per KB in one 512 KB file as in 8 KB files`);
      // far from a second even on a busy machine (the whole analysis of half a MB)
      assert.ok(largeMs < 2500, `${name}: ${largeMs.toFixed(0)} ms for 512 KB`);
    });
  }
});
