// The templates of `nnspec: New Spec from Template` are the course's networks: each checks
// clean when its data sits where its comment says (examples/ has that layout).

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TEMPLATES } from '../../../src/host/templates';
import { checkSpec, collectDataFacts, parseSpec } from '../../../src/language';
import { inspectData } from '../../../src/trainer/datasets';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

describe('spec templates', () => {
  it('cover the course networks, each with a unique id and file name', () => {
    const ids = TEMPLATES.map((t) => t.id);
    for (const id of ['logistic', 'planar', 'cat-2layer', 'cat-4layer']) assert.ok(ids.includes(id), id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(new Set(TEMPLATES.map((t) => t.fileName)).size, TEMPLATES.length);
    for (const t of TEMPLATES) assert.match(t.fileName, /\.nnspec$/);
  });

  for (const template of TEMPLATES) {
    it(`${template.id} checks clean with its data in place`, async () => {
      const parsed = parseSpec(template.text);
      const facts = await collectDataFacts(parsed, EXAMPLES, inspectData);
      const diagnostics = checkSpec(parsed, facts);
      assert.deepEqual(diagnostics.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`), []);
      assert.ok(parsed.spec.layers.length >= 1 && parsed.spec.train, 'a network with training data');
    });
  }
});
