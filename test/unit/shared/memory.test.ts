// The training memory estimate (src/shared/model/memory.ts) and where the language shows it: the
// nnspec-memory-budget / nnspec-memory-too-large diagnostics on the output layer, its hover,
// the shape table.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSpec, formatSpecMemory, hoverAt, parseSpec, specMemory } from '../../../src/language';
import { estimateTrainingMemory, formatBytes, megabytes, trainingBytesPerExample } from '../../../src/shared/model/memory';
import { MemoryError } from '../../../src/trainer/errors';
import { assertFitsInMemory, TrainingRun } from '../../../src/trainer/run';

const GiB = 1024 ** 3;
const WIDE = 'input 2\ndense 1000000 relu\ndense 1 sigmoid\ndata train flower\n';

describe('estimateTrainingMemory', () => {
  it('counts parameters, gradients, caches for m (and the test pass), and the data', () => {
    // the planar net: dims [2, 4, 1], P = 4·2 + 4 + 1·4 + 1 = 17
    // (caches: Z, A, dZ, dA, and the widest layer's dZᵀ packed: 36 bytes per example and panel of four units)
    assert.deepEqual(estimateTrainingMemory([2, 4, 1], 400), {
      parameters: 8 * 17,
      gradients: 8 * 17,
      caches: 8 * 400 * 4 * 5 + 36 * 400 * 1,
      data: 8 * (3 * 2 * 400 + 400),
      total: 8 * 17 * 2 + 8 * 400 * 4 * 5 + 36 * 400 + 8 * (3 * 2 * 400 + 400),
    });
    // m = 209 packs to 212 columns; a test set of 50 adds a forward pass (Z, A) and its X, Y
    const cat = estimateTrainingMemory([12288, 20, 7, 5, 1], 209, 50);
    const P = 12288 * 20 + 20 + 20 * 7 + 7 + 7 * 5 + 5 + 5 + 1;
    assert.equal(P, 245_973);
    assert.equal(cat.parameters, 8 * P);
    assert.equal(cat.caches, 8 * 209 * 4 * 33 + 36 * 209 * 5 + 8 * 50 * 2 * 33);
    assert.equal(cat.data, 8 * (3 * 12288 * 212 + 209) + 8 * (12288 * 50 + 50));
    assert.equal(cat.total, cat.parameters + cat.gradients + cat.caches + cat.data);
    // the course's wide example: about 15 GB, almost all of it caches
    const wide = estimateTrainingMemory([2, 1_000_000, 1], 400);
    assert.equal(wide.caches, 8 * 400 * 4 * 1_000_001 + 36 * 400 * 250_000);
    assert.equal(formatBytes(wide.total), '15.3 GB');
  });

  it('what an example adds, and bytes for people', () => {
    assert.equal(trainingBytesPerExample([2, 4, 1]), 8 * (4 * 5 + 3 * 2 + 1) + 36);
    assert.equal(estimateTrainingMemory([2, 4, 1], 4).total - estimateTrainingMemory([2, 4, 1], 0).total, 4 * trainingBytesPerExample([2, 4, 1]));
    assert.deepEqual(
      [0, 1023, 1024, 1536, 1024 * 1024 - 1, megabytes(2048), 1.5 * 1024 ** 4].map(formatBytes),
      ['0 bytes', '1023 bytes', '1.0 KB', '1.5 KB', '1.0 MB', '2.0 GB', '1.5 TB'],
    );
  });
});

describe('memory checks', () => {
  const check = (text: string, options = {}) => checkSpec(parseSpec(text), {}, options).filter((d) => d.code.startsWith('nnspec-memory'));

  it('input 2 / dense 1000000 relu / dense 1 sigmoid with m = 400: a warning over the budget, an error over the machine', () => {
    const [warning] = check(WIDE, { memoryBudgetBytes: 2 * GiB, machineBytes: 64 * GiB, memoryBudgetSource: 'the setting nnspec.training.memoryBudgetMB' });
    assert.equal(warning.code, 'nnspec-memory-budget');
    assert.equal(warning.severity, 'warning');
    assert.deepEqual(warning.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 15 } });
    assert.equal(
      warning.message,
      'Training this network needs about 15.3 GB of memory (parameters 30.5 MB, gradients 30.5 MB, caches 15.3 GB and data 21.9 KB for m = 400), more than the memory budget of 2.0 GB (the setting nnspec.training.memoryBudgetMB). Use fewer units or fewer examples, or raise the budget.',
    );
    const [error] = check(WIDE, { memoryBudgetBytes: 2 * GiB, machineBytes: 8 * GiB });
    assert.equal(error.code, 'nnspec-memory-too-large');
    assert.equal(error.severity, 'error');
    assert.match(error.message, /needs about 15\.3 GB .* more than this machine has \(8\.0 GB\)\. Use fewer units or fewer examples\.$/);
    // within both: nothing; without limits (a caller that does not ask): nothing
    assert.deepEqual(check(WIDE, { memoryBudgetBytes: 16 * GiB, machineBytes: 64 * GiB }), []);
    assert.deepEqual(check(WIDE), []);
  });

  it('with m unknown, the parameters and gradients alone are a lower bound', () => {
    const text = 'input 1000\ndense 1000000 relu\ndense 1 sigmoid\ndata train "big.csv"\n';
    const [d] = check(text, { memoryBudgetBytes: 2 * GiB, machineBytes: 64 * GiB });
    assert.equal(d.code, 'nnspec-memory-budget');
    assert.match(d.message, /needs at least 14\.9 GB of memory for its parameters \(7\.5 GB\) and gradients \(7\.5 GB\), plus 39\.1 MB per training example/);
    // a small network with m unknown: no warning
    assert.deepEqual(check('input 2\ndense 1 sigmoid\ndata train "d.csv"\n', { memoryBudgetBytes: 1, machineBytes: 1 }).length, 1);
    assert.deepEqual(check('input 2\ndense 1 sigmoid\ndata train "d.csv"\n', { memoryBudgetBytes: 1000, machineBytes: 1000 }), []);
  });

  it('waits while a layer or the input does not parse', () => {
    const options = { memoryBudgetBytes: 2 * GiB, machineBytes: 8 * GiB };
    assert.deepEqual(check('input 2\ndense 1000000x relu\ndense 1 sigmoid\ndata train flower\n', options), []);
    assert.deepEqual(check('input 2 x\ndense 1000000 relu\ndense 1 sigmoid\ndata train flower\n', options), []);
    assert.deepEqual(check('input 2\ndense 1000000 relu\ndense 1 sigmoid x\ndata train flower\n', options), []);
  });
});

describe('memory in the hover and the shape table', () => {
  it('the output layer shows the breakdown with m, or what scales with m', () => {
    const parsed = parseSpec('input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train flower\ndata test flower m=100\n');
    const known = hoverAt(parsed, { line: 2, character: 2 }, 400)?.markdown ?? '';
    assert.match(known, /\*\*Memory to train\*\*/);
    assert.match(known, /\| caches Z, A, dZ, dA, dZᵀ packed \| 84\.4 KB \|/);
    assert.match(known, /For m = 400 training examples and 100 test examples\./);
    const unknown = hoverAt(parseSpec('input 2\ndense 4 tanh\ndense 1 sigmoid\n'), { line: 2, character: 2 })?.markdown ?? '';
    assert.match(unknown, /\| \*\*total\*\* \(without the examples\) \| \*\*272 bytes\*\* \|/);
    assert.match(unknown, /scale with m: 252 bytes per training example/);
    // a hidden layer does not show it
    assert.doesNotMatch(hoverAt(parsed, { line: 1, character: 2 }, 400)?.markdown ?? '', /Memory/);
  });

  it('formatSpecMemory: one line for nnspec shapes', () => {
    const parsed = parseSpec('input 2\ndense 4 tanh\ndense 1 sigmoid\n');
    assert.equal(
      formatSpecMemory(specMemory(parsed, 400)!),
      'memory to train: 98.7 KB (parameters 136 bytes, gradients 136 bytes, caches 76.6 KB, data 21.9 KB; m = 400)',
    );
    assert.equal(
      formatSpecMemory(specMemory(parsed)!),
      'memory to train: 272 bytes (parameters 136 bytes, gradients 136 bytes) plus 252 bytes per training example (m unknown)',
    );
    assert.equal(specMemory(parseSpec('input 2\ndense x tanh\ndense 1 sigmoid\n'), 400), undefined);
  });
});

describe('the trainer refuses with the same estimate, before allocating', () => {
  const X = (n: number, m: number) => ({ X: { rows: n, cols: m, data: new Float64Array(n * m) }, Y: { rows: 1, cols: m, data: new Float64Array(m) } });
  const spec = parseSpec('input 3\ndense 5000 relu\ndense 1 sigmoid\n').spec;
  const need = estimateTrainingMemory([3, 5000, 1], 100, 10).total;
  it('over the budget: a MemoryError naming the need and the budget', () => {
    assert.throws(
      () => assertFitsInMemory(spec, X(3, 100), X(3, 10), { memoryBudgetBytes: need - 1, memoryBudgetSource: 'the test budget', machineBytes: 2 ** 40 }),
      (err: Error) => err instanceof MemoryError && err.message.includes(formatBytes(need)) && err.message.includes('the test budget') && err.message.includes(formatBytes(need - 1)),
    );
    assertFitsInMemory(spec, X(3, 100), X(3, 10), { memoryBudgetBytes: need, machineBytes: 2 ** 40 });
  });
  it("over the machine's memory, whatever the budget", () => {
    assert.throws(() => assertFitsInMemory(spec, X(3, 100), X(3, 10), { machineBytes: need - 1 }), /more than this machine has/);
  });
  it('TrainingRun.start refuses before creating the run', async () => {
    await assert.rejects(TrainingRun.start(spec, X(3, 100), undefined, { memoryBudgetBytes: 1024 }), MemoryError);
  });
});
