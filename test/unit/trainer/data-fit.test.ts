// One rule for whether the data fits the spec (dataFitProblems, src/shared/model/data.ts): the
// editor's checks and the trainer's validateData say the same thing about the same data.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSpec, parseSpec } from '../../../src/language';
import { summarizeLabels } from '../../../src/shared/model/data';
import { validateData } from '../../../src/trainer/datasets';
import { matrix } from '../../../src/trainer/kernels';

function dataset(features: number, labels: number[]) {
  return { X: matrix(features, labels.length), Y: matrix(1, labels.length, Float64Array.from(labels)) };
}

/** What the trainer says about `data` (undefined: it fits), and what the checks say. */
function both(text: string, data: ReturnType<typeof dataset>): { trainer?: string; checks: string[] } {
  const parsed = parseSpec(text + 'data train "d.csv"\n');
  let trainer: string | undefined;
  try {
    validateData('train', data, parsed.spec);
  } catch (err) {
    trainer = (err as Error).message;
  }
  const facts = { train: { features: data.X.rows, m: data.X.cols, labels: summarizeLabels(data.Y.data) } };
  const checks = checkSpec(parsed, facts)
    .filter((d) => ['nnspec-input-mismatch', 'nnspec-labels-not-binary', 'nnspec-output-units'].includes(d.code))
    .map((d) => d.message);
  return { trainer, checks };
}

describe('the data against the spec: the checks and the trainer agree', () => {
  it('a feature count other than input', () => {
    const { trainer, checks } = both('input 2\ndense 1 sigmoid\n', dataset(3, [0, 1, 1]));
    assert.equal(trainer, 'The training data has 3 features per example, but `input` says 2: X is (3, 3), so W[1] must be (n[1], 3).');
    assert.deepEqual(checks, [trainer]);
  });

  it('labels other than 0/1 with binary cross-entropy', () => {
    const { trainer, checks } = both('input 2\ndense 1 sigmoid\n', dataset(2, [0, 2, 1]));
    assert.equal(trainer, 'Binary cross-entropy needs labels 0 and 1, but the training labels include 0, 1, 2.');
    assert.deepEqual(checks, [trainer]);
  });

  it('an output layer of more than 1 unit: the same rule with and without the data', () => {
    const { trainer, checks } = both('input 2\ndense 3 linear\nloss mse\n', dataset(2, [0, 1]));
    assert.equal(trainer, 'The output layer has 3 units, so A[L] would be (3, 2), but the training labels Y are (1, 2): one label per example. Make the last layer `dense 1 ...`.');
    // the checks say it before the data is read: m is still m
    assert.deepEqual(checks, ['The output layer has 3 units, so A[L] would be (3, m), but the labels Y are (1, m): one label per example. Make the last layer `dense 1 ...`.']);
  });

  it('data that fits: nothing from either', () => {
    assert.deepEqual(both('input 2\ndense 4 tanh\ndense 1 sigmoid\n', dataset(2, [0, 1, 1, 0])), { trainer: undefined, checks: [] });
  });
});
