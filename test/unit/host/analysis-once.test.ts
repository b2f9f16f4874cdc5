// One analysis per (document version, data facts), published once (src/host/analysis.ts): a
// keystroke is one analysis, the data read after it adds none when it says what it said before,
// and one when it says something new. Counted on onDidAnalyze, which the diagnostics, inlay
// hints, code lenses, the designer and the live preview all render from.

import { stub } from '../harness/vscodeStub';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { AnalysisService, type Analysis } from '../../../src/host/analysis';
import type { DataCheckResult } from '../../../src/host/dataChecks';
import type { DataFacts } from '../../../src/shared/model/data';

const SPEC = 'input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train "d.csv"\n';
const DELAY = 5;
const settle = () => new Promise((r) => setTimeout(r, DELAY * 8));

function service(facts: () => DataFacts) {
  const published: Analysis[] = [];
  let reads = 0;
  const data = {
    check: async (): Promise<DataCheckResult> => {
      reads++;
      return { facts: facts(), diagnostics: [] };
    },
  };
  const analysis = new AnalysisService(data as never, DELAY);
  analysis.onDidAnalyze((a) => published.push(a));
  return { analysis, published, reads: () => reads };
}

const summary = (features: number): DataFacts => ({ train: { features, m: 10, labels: { binary: true, distinct: [0, 1] } } });

describe('analysis: one per document version and data facts', () => {
  afterEach(() => stub.reset());

  it('a keystroke is one analysis; the data read after it adds none when it says the same', async () => {
    const { analysis, published, reads } = service(() => summary(2));
    const doc = stub.openDocument('/w/a.nnspec', SPEC);
    assert.equal(published.length, 1, 'opened: analysed at once');
    await settle();
    assert.equal(published.length, 2, 'its data read: new facts, one more');
    assert.deepEqual(published[1].dataFacts, summary(2));
    for (let k = 0; k < 5; k++) stub.type(doc, SPEC.replace('dense 4', `dense ${5 + k}`));
    assert.equal(published.length, 7, 'five keystrokes, five analyses');
    assert.deepEqual(published.slice(2).map((a) => a.version), [2, 3, 4, 5, 6]);
    assert.ok(published.slice(2).every((a) => a.dataFacts.train), 'the facts carry over while the data lines name the same sources');
    await settle();
    assert.equal(published.length, 7, 'the data says the same: nothing more');
    assert.equal(reads(), 2, 'read once after the pause in typing');
    analysis.dispose();
  });

  it('new data facts for the same version are one more analysis, with the same parse', async () => {
    let features = 2;
    const { analysis, published } = service(() => summary(features));
    stub.openDocument('/w/b.nnspec', SPEC);
    await settle();
    assert.equal(published.length, 2);
    features = 3; // the CSV was re-exported with another column
    analysis.refreshAll();
    await settle();
    assert.equal(published.length, 3);
    assert.equal(published[2].version, published[1].version);
    assert.equal(published[2].parsed, published[1].parsed, 'not parsed again');
    assert.ok(published[2].diagnostics.some((d) => d.code === 'nnspec-input-mismatch'));
    analysis.refreshAll();
    await settle();
    assert.equal(published.length, 3, 'read again, nothing new');
    analysis.dispose();
  });

  it('refresh (training, the shape table) reads the data once per version, and get never reads it', async () => {
    const { analysis, published, reads } = service(() => summary(2));
    const doc = stub.openDocument('/w/c.nnspec', SPEC);
    const a = await analysis.refresh(doc as never);
    assert.deepEqual(a.dataFacts, summary(2));
    assert.equal(await analysis.refresh(doc as never), a);
    assert.equal(analysis.get(doc as never), a);
    await settle();
    assert.equal(reads(), 2, 'the refresh, then the scheduled read: nothing new');
    assert.equal(published.length, 2);
    analysis.dispose();
  });

  it('a hover waits for a data read under way (m known), but not past its wait or its cancellation', async () => {
    let delay = 0;
    const published: Analysis[] = [];
    const data = {
      check: (): Promise<DataCheckResult> => new Promise((r) => setTimeout(() => r({ facts: summary(2), diagnostics: [] }), delay)),
    };
    const analysis = new AnalysisService(data as never, 10_000); // no scheduled read within the test
    analysis.onDidAnalyze((a) => published.push(a));
    const quick = stub.openDocument('/w/d.nnspec', SPEC);
    const a = await analysis.withData(quick as never, 1000);
    assert.equal(a.facts.m, 10, 'read within the wait: the hover knows m');
    assert.equal(await analysis.withData(quick as never, 1000), a, 'read already: at once');

    delay = 400;
    const slow = stub.openDocument('/w/e.nnspec', SPEC);
    let start = Date.now();
    const b = await analysis.withData(slow as never, 30);
    assert.equal(b.facts.m, undefined, 'the read takes longer than the wait: m unknown for now');
    assert.ok(Date.now() - start < 300, 'answered after the wait, not after the read');

    const third = stub.openDocument('/w/f.nnspec', SPEC);
    let cancel: (() => void) | undefined;
    const token = { isCancellationRequested: false, onCancellationRequested: (f: () => void) => ((cancel = f), { dispose() {} }) };
    start = Date.now();
    const pending = analysis.withData(third as never, 5000, token as never);
    setTimeout(() => cancel?.(), 20);
    assert.equal((await pending).facts.m, undefined);
    assert.ok(Date.now() - start < 300, 'cancelled: answered at once');

    await new Promise((r) => setTimeout(r, 500));
    assert.equal(analysis.get(slow as never).facts.m, 10, 'the slow read went on and published its facts');
    assert.ok(published.some((p) => p.uri.toString().endsWith('e.nnspec') && p.facts.m === 10));
    analysis.dispose();
  });
});
