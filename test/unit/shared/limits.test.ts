// The one reading of the limit settings (src/shared/model/limits.ts): the editor's checks, the
// data worker and the runs all take their limits from it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_FILE_MB, limitsFromSettings, MIN_MEMORY_BUDGET_MB } from '../../../src/shared/model/limits';
import { DEFAULT_MEMORY_BUDGET_MB } from '../../../src/shared/model/memory';

const MB = 1024 * 1024;

describe('limitsFromSettings', () => {
  it('takes the settings within their ranges', () => {
    assert.deepEqual(limitsFromSettings({ memoryBudgetMB: 4096, maxFileMB: 100 }), { memoryBudgetMB: 4096, memoryBudgetBytes: 4096 * MB, maxFileBytes: 100 * MB });
    assert.equal(limitsFromSettings({ memoryBudgetMB: MIN_MEMORY_BUDGET_MB }).memoryBudgetMB, 64);
    assert.equal(limitsFromSettings({ maxFileMB: 1 }).maxFileBytes, MB);
  });

  it('reads a value outside a setting\'s range, or not a number, as its default', () => {
    const defaults = { memoryBudgetMB: DEFAULT_MEMORY_BUDGET_MB, memoryBudgetBytes: DEFAULT_MEMORY_BUDGET_MB * MB, maxFileBytes: DEFAULT_MAX_FILE_MB * MB };
    assert.deepEqual(limitsFromSettings({}), defaults);
    for (const bad of [63, 0, -5, NaN, Infinity, '4096', null, {}]) {
      assert.deepEqual(limitsFromSettings({ memoryBudgetMB: bad, maxFileMB: bad === 63 ? 0 : bad }), defaults, String(bad));
    }
  });
});
