// The designer's edit applier through the real Designer, AnalysisService and messenger, against
// the vscode stand-in: an `applyEdit` request is one WorkspaceEdit, answered after exactly one
// `state` message that shows it; an edit that is not applied gets one state too (the fields go
// back), a stale one is refused.

import { fakeWebview as pageWebview } from '../harness/fakeWebview';
import { EventEmitter, stub, type FakeDocument } from '../harness/vscodeStub';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AnalysisService } from '../../../src/host/analysis';
import { Designer } from '../../../src/host/designer/designer';
import { DesignerView } from '../../../src/host/designer/view';
import { RunHistory } from '../../../src/host/training/runHistory';
import type { StateMessage } from '../../../src/shared/wire/designer';

const SPEC = 'input 2\ndense 4 tanh   # hidden\ndense 1 sigmoid\ndata train flower\n';

/** A sidebar webview whose page is the test: what the host posts, and a way to post to it. */
function fakeWebview() {
  const web = pageWebview();
  return { ...web, send: web.deliver, states: () => web.bodies<StateMessage>('state') };
}

function controller() {
  return {
    history: new RunHistory(),
    onDidChangeState: new EventEmitter<void>().event,
    current: undefined,
    paused: false,
    start: async () => undefined,
    stop() {},
    pause() {},
    resume() {},
    step() {},
    loadSavedRun: async () => undefined,
  };
}

const tick = () => new Promise((r) => setTimeout(r, 30));

describe('designer edits: one request, one WorkspaceEdit, one state', () => {
  let analysis: AnalysisService;
  let designer: Designer;
  let doc: FakeDocument;
  let web: ReturnType<typeof fakeWebview>;

  beforeEach(async () => {
    doc = stub.openDocument('/w/flower.nnspec', SPEC);
    stub.show(doc);
    analysis = new AnalysisService(undefined, 5);
    designer = new Designer(analysis, controller() as never, async () => undefined);
    web = fakeWebview();
    designer.attach(new DesignerView('sidebar', web.surface as never, { scheme: 'file', path: '/ext', fsPath: '/ext' } as never, designer));
    web.send({ body: { type: 'ready' } });
    await tick();
  });
  afterEach(() => {
    designer.dispose();
    analysis.dispose();
    stub.reset();
  });

  async function edit(messageId: number, body: Record<string, unknown>): Promise<{ states: StateMessage[]; reply: Record<string, unknown> }> {
    const before = web.posted.length;
    web.send({ messageId, body: { type: 'applyEdit', uri: doc.uri.toString(), version: doc.version, ...body } });
    await tick();
    const after = web.posted.slice(before);
    const replyAt = after.findIndex((e) => e.inReplyTo === messageId);
    assert.ok(replyAt >= 0, 'answered');
    return { states: after.slice(0, replyAt).filter((e) => e.body?.type === 'state').map((e) => e.body as unknown as StateMessage), reply: after[replyAt].body! };
  }

  it('an applied edit: the text changes by one WorkspaceEdit, and exactly one state comes before the reply', async () => {
    const { states, reply } = await edit(1, { edit: { op: 'setUnits', layer: 1, units: 7 } });
    assert.deepEqual(reply, { type: 'editResult', applied: true });
    assert.equal(doc.getText(), SPEC.replace('dense 4 tanh', 'dense 7 tanh'), 'the column of the comment stays');
    assert.equal(states.length, 1);
    assert.equal(states[0].document?.version, 2);
    assert.equal(states[0].document?.layers[0].units, 7);
    const total = web.states().length;
    await tick();
    assert.equal(web.states().length, total, 'and none after it (the data read says nothing new)');
  });

  it('an edit that changes nothing, or a stale one, gets one state (the fields go back) and no text change', async () => {
    const unchanged = await edit(2, { edit: { op: 'setUnits', layer: 1, units: 4 } });
    assert.deepEqual(unchanged.reply, { type: 'editResult', applied: false, reason: 'unchanged' });
    assert.equal(unchanged.states.length, 1);
    const stale = await edit(3, { edit: { op: 'setUnits', layer: 1, units: 9 }, version: 99 });
    assert.deepEqual(stale.reply, { type: 'editResult', applied: false, reason: 'stale' });
    assert.equal(stale.states.length, 1);
    assert.equal(doc.getText(), SPEC);
    const failed = await edit(4, { edit: { op: 'removeLayer', layer: 5 } });
    assert.deepEqual(failed.reply, { type: 'editResult', applied: false, reason: 'failed' });
    assert.ok(web.posted.some((e) => e.body?.type === 'notice' && /no layer 5/.test(String(e.body.message))));
  });

  it('keystrokes within one turn of the event loop are one state, of the last version', async () => {
    const before = web.states().length;
    stub.type(doc, SPEC.replace('dense 4', 'dense 5'));
    stub.type(doc, SPEC.replace('dense 4', 'dense 56'));
    await tick();
    // the two keystrokes came within one turn of the event loop: the view draws the last
    assert.deepEqual(web.states().slice(before).map((s) => s.document?.version), [3]);
  });

  it('a malformed message is dropped, without a reply', async () => {
    const before = web.posted.length;
    web.send({ messageId: 9, body: { type: 'applyEdit', edit: { op: 'deleteFile' } } });
    await tick();
    assert.equal(web.posted.length, before);
  });
});
