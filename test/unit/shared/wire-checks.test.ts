import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNetworkEdit } from '../../../src/shared/wire/edits';
import { isToHost } from '../../../src/shared/wire/designer';

describe('isToHost', () => {
  it('accepts every well-formed message', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'play' },
      { type: 'pause' },
      { type: 'step' },
      { type: 'step', count: 10 },
      { type: 'reset' },
      { type: 'toggleLive' },
      { type: 'newSpec' },
      { type: 'selectLayer', layer: 0 },
      { type: 'selectLayer', layer: 3 },
      { type: 'revealLine', line: 4 },
      { type: 'revealLine', line: 0, character: 6 },
      { type: 'openFile', uri: 'file:///w/a.nnspec' },
      { type: 'export', format: 'png' },
      { type: 'exportResult', format: 'svg', data: '<svg/>' },
      { type: 'exportResult', format: 'png', error: 'canvas tainted' },
      { type: 'clearRuns' },
      { type: 'applyEdit', edit: { op: 'setUnits', layer: 1, units: 4 }, version: 7 },
      { type: 'applyEdit', edit: { op: 'addLayer', at: 2, units: 3, activation: 'relu' } },
      { type: 'applyEdit', edit: { op: 'removeLayer', layer: 2 } },
      { type: 'applyEdit', edit: { op: 'moveLayer', from: 1, to: 2 } },
      { type: 'applyEdit', edit: { op: 'setActivation', layer: 2, activation: 'leaky_relu' } },
      { type: 'applyEdit', edit: { op: 'setInput', size: 12288, dims: [64, 64, 3] } },
      { type: 'applyEdit', edit: { op: 'setInput', size: 2 } },
      { type: 'applyEdit', edit: { op: 'setLearningRate', learningRate: 0.0075 } },
      { type: 'applyEdit', edit: { op: 'setIterations', iterations: 2500 } },
      { type: 'applyEdit', edit: { op: 'setInit', init: { kind: 'random', scale: 0.01 } } },
      { type: 'applyEdit', edit: { op: 'setInit', init: { kind: 'he' } } },
      { type: 'applyEdit', edit: { op: 'setSeed', seed: 0 } },
      { type: 'applyEdit', edit: { op: 'setLoss', loss: 'mse' } },
    ];
    for (const msg of good) assert.equal(isToHost(msg), true, JSON.stringify(msg));
  });

  it('rejects malformed messages', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'play',
      42,
      [],
      {},
      { type: 'launchMissiles' },
      { type: 'Play' },
      { type: 'state', document: null },
      { type: 'play', extra: true },
      { type: 'step', count: 0 },
      { type: 'step', count: 1.5 },
      { type: 'selectLayer', layer: -1 },
      { type: 'selectLayer', layer: '2' },
      { type: 'openFile' },
      { type: 'revealLine', line: -2 },
      { type: 'revealLine', line: 1, character: 'x' },
      { type: 'openFile', uri: '' },
      { type: 'export', format: 'jpg' },
      { type: 'exportResult', format: 'svg' },
      { type: 'exportResult', requestId: 1, format: 'svg', data: '<svg/>' },
      { type: 'applyEdit', edit: { op: 'setUnits', layer: 1, units: 4 }, id: 3 },
      { type: 'applyEdit' },
      { type: 'applyEdit', edit: { op: 'setUnits', layer: 1, units: 0 } },
      { type: 'applyEdit', edit: { op: 'setUnits', layer: 1, units: 2.5 } },
      { type: 'applyEdit', edit: { op: 'setUnits', layer: 0, units: 2 } },
      { type: 'applyEdit', edit: { op: 'setUnits', layer: 1, units: '4' } },
      { type: 'applyEdit', edit: { op: 'setActivation', layer: 1, activation: 'softmax' } },
      { type: 'applyEdit', edit: { op: 'addLayer', at: 1, units: 3 } },
      { type: 'applyEdit', edit: { op: 'setInput', size: 12, dims: [2, 2, 2] } },
      { type: 'applyEdit', edit: { op: 'setLearningRate', learningRate: 0 } },
      { type: 'applyEdit', edit: { op: 'setLearningRate', learningRate: Number.NaN } },
      { type: 'applyEdit', edit: { op: 'setIterations', iterations: -5 } },
      { type: 'applyEdit', edit: { op: 'setInit', init: { kind: 'random' } } },
      { type: 'applyEdit', edit: { op: 'setInit', init: 'he' } },
      { type: 'applyEdit', edit: { op: 'setSeed', seed: 2 ** 32 } },
      { type: 'applyEdit', edit: { op: 'setLoss', loss: 'hinge' } },
      { type: 'applyEdit', edit: { op: 'deleteFile' } },
      { type: 'applyEdit', edit: { op: 'setUnits', layer: 1, units: 4, path: '/etc/passwd' } },
    ];
    for (const msg of bad) assert.equal(isToHost(msg), false, JSON.stringify(msg));
  });

  it('isNetworkEdit checks the edit alone', () => {
    assert.equal(isNetworkEdit({ op: 'moveLayer', from: 2, to: 1 }), true);
    assert.equal(isNetworkEdit({ op: 'moveLayer', from: 2 }), false);
  });
});
