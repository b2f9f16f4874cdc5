// The course's networks in examples/ check clean: the real check, as `nnspec check` runs it
// (parse, then the data facts read with the trainer's reader), with zero diagnostics.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkFile } from '../../../src/cli/check';
import { checkSpec, parseSpec } from '../../../src/language';
import { inspectData } from '../../../src/trainer/datasets';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
const specs = readdirSync(EXAMPLES).filter((f) => f.endsWith('.nnspec')).sort();

describe('examples/ check clean', () => {
  it('has the course networks', () => {
    for (const name of ['logistic-regression.nnspec', 'planar.nnspec', 'cat-2layer.nnspec', 'cat-4layer.nnspec']) {
      assert.ok(specs.includes(name), `examples/${name} is missing`);
    }
  });

  for (const name of specs) {
    it(`${name}: no diagnostics, with its data read`, async () => {
      const { diagnostics, dataFacts: facts, parsed } = await checkFile(path.join(EXAMPLES, name), inspectData);
      assert.deepEqual(
        diagnostics.map((d) => `${d.range.start.line + 1}: ${d.severity} ${d.code}: ${d.message}`),
        [],
      );
      // the data was really read, so the data checks (input, labels, parameters) ran
      assert.ok(parsed.spec.train, 'a training set');
      const train = facts.train;
      assert.ok(train && !('error' in train), `training data read: ${JSON.stringify(train)}`);
      assert.equal(train.features, parsed.spec.inputSize);
    });
  }

  it('an absurd net on the same data still gets the parameter hint', async () => {
    // planar.nnspec's flower.csv (2 features, 400 examples: 800 numbers) with 1000 tanh units
    const planar = await checkFile(path.join(EXAMPLES, 'planar.nnspec'), inspectData);
    const absurd = parseSpec(planar.parsed.lines.join('\n').replace('dense 4 tanh', 'dense 1000 tanh'));
    const d = checkSpec(absurd, planar.dataFacts);
    assert.deepEqual(d.map((x) => [x.code, x.severity, x.range.start.line]), [['nnspec-many-parameters', 'hint', 4]]);
  });
});
