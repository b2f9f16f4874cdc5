// Hostile input to the trainer: saved models with hand-edited or hostile fields, a failed run
// that names its real cause (never the learning rate for bad data or a huge init scale), and
// file contents quoted short with control characters escaped.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpec } from '../../../src/language';
import type { SavedModel } from '../../../src/shared/model/results';
import { loadDataset, parseCsv, validateData } from '../../../src/trainer/datasets';
import { DataError, DivergedError, divergenceMessage, excerpt, excerptList } from '../../../src/trainer/errors';
import { matrix } from '../../../src/trainer/kernels';
import { TrainingRun } from '../../../src/trainer/run';
import { ModelError, parseSavedModel } from '../../../src/trainer/savedModel';

const PLANAR = 'network "planar"\ninput 2\ndense 3 tanh\ndense 1 sigmoid\ndata train flower m=40\nlearning_rate 1.2\nseed 2\niterations 5\n';

async function model(): Promise<SavedModel> {
  const { spec } = parseSpec(PLANAR);
  const run = new TrainingRun(spec, await loadDataset(spec.train!, '/'));
  while (!run.done) run.step();
  return JSON.parse(JSON.stringify(run.toModel({ source: PLANAR, specPath: '/specs/planar.nnspec' })));
}

describe('saved models: every field validated with the language bounds', () => {
  it('hostile or hand-edited fields are clear ModelErrors naming the field', async () => {
    const good = await model();
    const bad = (change: (m: Record<string, any>) => void): string => {
      const m = structuredClone(good) as unknown as Record<string, any>;
      change(m);
      return JSON.stringify(m);
    };
    const cases: [string, string][] = [
      [bad((m) => (m.spec.train.m = 1e9)), 'spec.train.m (examples) must be a whole number from 1 to 1,000,000, not 1000000000.'],
      [bad((m) => (m.spec.train.m = '400')), 'spec.train.m (examples) must be a whole number from 1 to 1,000,000, not the string "400".'],
      [bad((m) => delete m.spec.init), 'spec.init is missing: a model records its initialisation, e.g. {"kind": "random", "scale": 0.01}.'],
      [bad((m) => (m.spec.init = 'he')), 'spec.init must be an object such as {"kind": "he"}, not the string "he".'],
      [bad((m) => (m.spec.init = { kind: 'random', scale: -1 })), 'spec.init.scale must be a positive number, not -1.'],
      [bad((m) => (m.spec.init = { kind: 'constructor' })), 'spec.init.kind is the string "constructor", expected one of zeros, random, xavier, he.'],
      [bad((m) => (m.spec.layers[0].units = 2e6)), 'Layer 1 (spec.layers[0]): units must be at most 1,000,000, not 2000000.'],
      [bad((m) => (m.spec.inputSize = 1.5)), 'spec.inputSize must be a positive integer, not 1.5.'],
      [bad((m) => (m.spec.iterations = 1e12)), 'spec.iterations must be a whole number from 1 to 100,000,000, not 1000000000000.'],
      [bad((m) => (m.spec.learningRate = 'fast')), 'spec.learningRate must be a positive number, not the string "fast".'],
      [bad((m) => delete m.spec.seed), 'spec.seed must be a whole number from 0 to 4,294,967,295, not missing.'],
      [bad((m) => (m.spec.loss = 'hinge')), 'spec.loss is the string "hinge", expected one of binary_cross_entropy, mse.'],
      [bad((m) => (m.spec.train.generator = 'toString')), 'spec.train.generator is the string "toString", expected one of flower, circles, xor, moons, spiral, gaussian.'],
      [bad((m) => (m.spec.train.split = 'test')), 'spec.train.split must be "train", not the string "test".'],
      [bad((m) => (m.spec.test = { kind: 'file', split: 'test', path: '/etc/passwd', scale: 1 })), 'spec.test.path must name a .csv, .h5 or .hdf5 file, not the string "/etc/passwd".'],
      [bad((m) => (m.spec.test = { kind: 'file', split: 'test', path: 'a.h5', scale: 1 })), 'spec.test is an HDF5 file: it needs "x" and "y" (the datasets of features and labels).'],
      [bad((m) => (m.spec.name = 'n'.repeat(100_000))), 'spec.name is 100,000 characters long; at most 4,096 are allowed.'],
      [bad((m) => (m.spec.test = { kind: 'file', split: 'test', path: 'a\x1b[2J\n.csv', scale: 1 })), 'spec.test.path must not contain control characters (it is the string "a\\x1b[2J\\n.csv").'],
      [bad((m) => (m.spec.loss = '\u202e' + 'x'.repeat(50))), `spec.loss is the string "\\u202e${'x'.repeat(39)}…", expected one of binary_cross_entropy, mse.`],
      [bad((m) => (m.specDir = { toString: 1 })), '"specDir" must be a string, not object.'],
      [bad((m) => (m.spec.inputDims = [3, 3])), 'spec.inputDims must be positive whole numbers whose product is spec.inputSize (2), not an array of 2.'],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseSavedModel(text),
        (e: Error) => {
          assert.ok(e instanceof ModelError, `${e.name}: ${e.message}`);
          assert.equal(e.message, message);
          return true;
        },
      );
    }
  });

  it('__proto__ and unknown keys are not carried over, and nothing is polluted', async () => {
    const text = JSON.stringify(await model())
      .replace('"spec":{', '"spec":{"__proto__":{"polluted":1},"extra":"x",')
      .replace('"format":', '"__proto__":{"polluted":2},"constructor":{"prototype":{"polluted":3}},"format":');
    const parsed = parseSavedModel(text);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.equal(Object.getPrototypeOf(parsed.spec), Object.prototype);
    assert.equal(Object.hasOwn(parsed, '__proto__'), false);
    assert.equal(Object.hasOwn(parsed.spec, '__proto__'), false);
    assert.equal(Object.hasOwn(parsed.spec, 'extra'), false);
    assert.equal(Object.hasOwn(parsed, 'constructor'), false);
    // a field only inherited from Object.prototype does not count as present
    const m = await model();
    assert.throws(() => parseSavedModel(JSON.stringify({ ...m, spec: { ...m.spec, init: undefined, toString: 'x' } })), /spec\.init is missing/);
  });

  it('a good model keeps every field', async () => {
    const good = await model();
    const parsed = parseSavedModel(JSON.stringify(good));
    assert.deepEqual(parsed.spec, good.spec);
    assert.deepEqual(parsed.parameters, good.parameters);
    assert.deepEqual([parsed.source, parsed.specPath, parsed.specDir], [PLANAR, '/specs/planar.nnspec', '/specs']);
  });
});

describe('a failed run names its real cause', () => {
  it('a huge init scale: NaN at iteration 0, before any update, so not the learning rate', async () => {
    const text = PLANAR.replace('seed 2', 'seed 2\ninit random 1e200');
    const { spec } = parseSpec(text);
    const run = new TrainingRun(spec, await loadDataset(spec.train!, '/'));
    assert.throws(
      () => run.step(),
      (e: Error) => {
        assert.ok(e instanceof DivergedError);
        assert.equal(e.iteration, 0);
        assert.match(e.message, /^The cost became (NaN|infinite) at iteration 0, before any update, so the learning rate is not the cause/);
        assert.doesNotMatch(e.message, /too high/);
        return true;
      },
    );
    // with the spec at hand, the init line itself is named
    const message = divergenceMessage(0, NaN, { spec, data: run.train });
    assert.equal(
      message,
      'The cost became NaN at iteration 0, before any update, so the learning rate is not the cause: `init random 1e+200` makes the initial weights about 1e+200 times a standard normal, so Z overflows or A[L] saturates to exactly 0 or 1: use a scale such as 0.01, or `init he` / `init xavier`.',
    );
  });

  it('bad data: NaN or infinite features are named, the learning rate is not', () => {
    const X = matrix(2, 3, Float64Array.from([1, 2, 3, 4, Infinity, 6]));
    const message = divergenceMessage(4, NaN, { spec: { learningRate: 0.5, init: { kind: 'he' } }, data: { X } });
    assert.equal(message, 'The cost became NaN at iteration 4: the training features are not all finite numbers (X[1][1], feature 2 of example 2, is Infinity). Fix the data; the learning rate is not the cause.');
    // unscaled features are named beside the learning rate
    const big = matrix(1, 2, Float64Array.from([255, 12]));
    assert.match(divergenceMessage(7, Infinity, { spec: { learningRate: 0.5, init: { kind: 'he' } }, data: { X: big } }), /learning rate \(0\.5\) is probably too high.* Also: the features are large \(the largest \|x\| is 255\): scale them, e\.g\. `scale=1\/255`/);
    // and before training: validateData refuses non-finite features with a DataError
    const { spec } = parseSpec(PLANAR);
    assert.throws(
      () => validateData('train', { X, Y: matrix(1, 3, Float64Array.from([0, 1, 0])) }, spec),
      (e: Error) => e instanceof DataError && e.message === "The training data's features are not all finite numbers: feature 2 of example 2 is Infinity.",
    );
  });

  it('a generated set whose scale overflows is a data error before training', async () => {
    const { spec } = parseSpec(PLANAR.replace('m=40', 'm=40 scale=1e308'));
    const data = await loadDataset(spec.train!, '/');
    assert.throws(() => validateData('train', data, spec), /The training data's features are not all finite numbers: feature \d of example \d+ is -?Infinity\./);
  });

  it('a learning rate that is too high is still named as such', () => {
    assert.match(divergenceMessage(12, Infinity, 1e6), /^The cost became infinite at iteration 12: the learning rate \(1000000\) is probably too high/);
  });
});

describe('file contents in messages: short, control characters escaped', () => {
  it('excerpt() escapes controls, bidi overrides and line separators, and cuts at 40 characters', () => {
    assert.equal(excerpt('a\nb\r\tc\x00\x1b[2J\u202e\u2028\x7f'), 'a\\nb\\r\\tc\\x00\\x1b[2J\\u202e\\u2028\\x7f');
    assert.equal(excerpt('x'.repeat(41)), 'x'.repeat(40) + '…');
    assert.equal(excerpt('x'.repeat(40)), 'x'.repeat(40));
    // a surrogate pair is one character and stays whole
    assert.equal(excerpt('😀'.repeat(41)), '😀'.repeat(40) + '…');
    assert.equal(excerptList(Array.from({ length: 15 }, (_, i) => `c${i}`)), 'c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, and 3 more');
  });

  it('CSV errors quote cells and column names through excerpt()', () => {
    const long = 'n'.repeat(10_000);
    assert.throws(() => parseCsv(`x1,${long}\n1,0\n`, { path: 'd.csv', label: 'nope', scale: 1 }), (e: Error) => {
      assert.equal(e.message, `Data file 'd.csv' has no column 'nope'. Columns: x1, ${'n'.repeat(40)}….`);
      return true;
    });
    assert.throws(() => parseCsv('x1,y\n"a\x1b"b,0\n', { path: 'd.csv', scale: 1 }), /line 2: unexpected 'b' after a closing quote/);
    assert.throws(() => parseCsv('x1,y\n1,\x07\x1b[31mred\x07\n', { path: 'd.csv', scale: 1 }), (e: Error) => {
      assert.equal(e.message, "Data file 'd.csv' line 2, column 2 ('y'): '\\x07\\x1b[31mred\\x07' is not a number; nnspec reads decimal numbers such as 3, -0.5 or 1e-4.");
      return true;
    });
  });
});
