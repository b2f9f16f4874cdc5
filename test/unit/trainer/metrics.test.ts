// The metrics after a run: the confusion matrix and precision / recall / F1 on the train and test
// sets, in `nnspec train --json` (against NumPy), its text, the saved model (old models without
// them still read; hostile ones refused) and the training report.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { reportFromModel, reportMarkdown } from '../../../src/host/training/report';
import { metricsFromCounts } from '../../../src/trainer/metrics';
import { ModelError, parseSavedModel } from '../../../src/trainer/savedModel';
import { runCli as run, tempSpecs } from '../harness/cliHarness';
import { assertClose, fixtures, labSpec } from '../harness/labHarness';

const { dir, spec } = tempSpecs('nnspec-lab-metrics-');

describe('metrics: definitions', () => {
  it('precision, recall and F1 from the counts', () => {
    const m = metricsFromCounts({ tp: 6, fp: 2, tn: 9, fn: 3 });
    assert.equal(m.precision, 6 / 8);
    assert.equal(m.recall, 6 / 9);
    assert.equal(m.f1, 12 / 17);
    // F1 is the harmonic mean of precision and recall where both are defined
    assertClose(m.f1!, (2 * m.precision! * m.recall!) / (m.precision! + m.recall!), 'F1');
  });
  it('null where a denominator is 0: no positive prediction, no positive label, neither', () => {
    assert.deepEqual(metricsFromCounts({ tp: 0, fp: 0, tn: 5, fn: 3 }), { tp: 0, fp: 0, tn: 5, fn: 3, precision: null, recall: 0, f1: 0 });
    assert.deepEqual(metricsFromCounts({ tp: 0, fp: 2, tn: 5, fn: 0 }), { tp: 0, fp: 2, tn: 5, fn: 0, precision: 0, recall: null, f1: 0 });
    assert.deepEqual(metricsFromCounts({ tp: 0, fp: 0, tn: 5, fn: 0 }), { tp: 0, fp: 0, tn: 5, fn: 0, precision: null, recall: null, f1: null });
  });
});

for (const name of ['deep', 'mse', 'image']) {
  const c = fixtures.cases[name];
  describe(`metrics against NumPy: ${name}`, () => {
    it('train --json: the confusion matrices exactly, precision / recall / F1 and the accuracies to 1e-15', async () => {
      const r = await run('train', labSpec(name), '--json');
      assert.equal(r.code, 0, r.err);
      const json = JSON.parse(r.out);
      for (const [key, accuracy, expected] of [
        ['train_metrics', json.train_accuracy, c.train_metrics],
        ['test_metrics', json.test_accuracy, c.test_metrics],
      ]) {
        const got = json[key];
        assert.deepEqual(Object.keys(got).sort(), ['f1', 'fn', 'fp', 'precision', 'recall', 'tn', 'tp']);
        for (const k of ['tp', 'fp', 'tn', 'fn']) assert.equal(got[k], expected[k], `${key}.${k}`);
        for (const k of ['precision', 'recall', 'f1']) assertClose(got[k], expected[k], `${key}.${k}`, 1e-15);
        assertClose(accuracy, expected.accuracy, `${key}: accuracy`, 1e-15);
        // the accuracy is (tp + tn) / m
        assert.equal(accuracy, (got.tp + got.tn) / (got.tp + got.tn + got.fp + got.fn));
      }
      assertClose(json.costs[json.costs.length - 1][1], c.final_cost, 'final cost');
    });
  });
}

describe('metrics: train output and saved models', () => {
  it('text: a precision / recall / F1 line after each accuracy', async () => {
    const r = await run('train', labSpec('deep'));
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    const i = lines.findIndex((l) => l.startsWith('Train accuracy'));
    const m = fixtures.cases.deep.train_metrics;
    assert.equal(lines[i + 1], `Train precision ${m.precision.toFixed(4)}, recall ${m.recall.toFixed(4)}, F1 ${m.f1.toFixed(4)} (TP ${m.tp}, FP ${m.fp}, TN ${m.tn}, FN ${m.fn})`);
    assert.match(lines[i + 2], /^Test accuracy: /);
    assert.match(lines[i + 3], /^Test precision 1\.0000, recall 0\.6923, F1 0\.8182 \(TP 9, FP 0, TN 11, FN 4\)$/);
  });

  it('labels that are not 0/1 (a regression) have no metrics: null in the JSON, no line in the text', async () => {
    const rows = ['x,y', ...Array.from({ length: 12 }, (_, i) => `${i / 12},${(i * 0.37) % 1}`)];
    spec('data/reg.csv', rows.join('\n') + '\n');
    const file = spec('reg.nnspec', 'input 1\ndense 1 linear\nloss mse\ndata train "data/reg.csv"\niterations 5\n');
    const json = JSON.parse((await run('train', file, '--json')).out);
    assert.equal(json.train_metrics, null);
    assert.equal(json.test_metrics, null);
    assert.doesNotMatch((await run('train', file)).out, /precision/);
  });

  it('--out saves them; the model reads back with them; the report shows them', async () => {
    const out = path.join(dir, 'deep.model.json');
    const r = await run('train', labSpec('deep'), '--json', '--out', out);
    assert.equal(r.code, 0, r.err);
    const model = parseSavedModel(readFileSync(out, 'utf8'));
    const c = fixtures.cases.deep;
    assert.equal(model.trainMetrics?.tp, c.train_metrics.tp);
    assert.equal(model.testMetrics?.fn, c.test_metrics.fn);
    assert.deepEqual(model.trainMetrics, JSON.parse(r.out).train_metrics);
    const md = reportMarkdown(reportFromModel(model, out));
    assert.match(md, /## Metrics/);
    assert.match(md, /\| True positives \(TP\) \| 24 \| 9 \|/);
    assert.match(md, /\| Precision TP \/ \(TP \+ FP\) \| 0\.8889 \| 1\.0000 \|/);
    assert.match(md, /\| Recall TP \/ \(TP \+ FN\) \| 0\.8889 \| 0\.6923 \|/);
  });

  it('an older model without metrics still reads, and its report has no metrics table', async () => {
    const out = path.join(dir, 'old.model.json');
    await run('train', labSpec('mse'), '--out', out);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    delete json.trainMetrics;
    delete json.testMetrics;
    const model = parseSavedModel(JSON.stringify(json));
    assert.equal(model.trainMetrics, undefined);
    assert.doesNotMatch(reportMarkdown(reportFromModel(model, out)), /Metrics/);
  });

  it('saved metrics: counts are checked, precision / recall / F1 are computed from them, "–" where undefined', async () => {
    const out = path.join(dir, 'm.model.json');
    await run('train', labSpec('mse'), '--out', out);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    json.trainMetrics = { tp: 0, fp: 0, tn: 7, fn: 0, precision: 0.99, recall: 'x', f1: 5 };
    json.testMetrics = null;
    const model = parseSavedModel(JSON.stringify(json));
    assert.deepEqual(model.trainMetrics, { tp: 0, fp: 0, tn: 7, fn: 0, precision: null, recall: null, f1: null });
    assert.equal(model.testMetrics, null);
    const md = reportMarkdown(reportFromModel(model, out));
    assert.match(md, /\| Precision TP \/ \(TP \+ FP\) \| – \|/);
    assert.doesNotMatch(md, /\| Test \|/);
    for (const bad of [{ tp: -1, fp: 0, tn: 0, fn: 0 }, { tp: 1.5, fp: 0, tn: 0, fn: 0 }, { fp: 0, tn: 0, fn: 0 }, 'many', [1, 2]]) {
      json.trainMetrics = bad;
      assert.throws(() => parseSavedModel(JSON.stringify(json)), (e: unknown) => e instanceof ModelError && /"trainMetrics"/.test((e as Error).message));
    }
  });
});
