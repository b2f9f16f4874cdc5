// The one request/reply messenger (src/shared/wire/messenger.ts) that the designer webview, the
// extension host and the workers speak: envelopes with messageId / inReplyTo, one pending map,
// one timeout rule.

import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { Messenger, RemoteError, RequestCancelled, RequestTimeout, type Envelope } from '../../../src/shared/wire/messenger';

type Ping = { type: 'ping'; n: number } | { type: 'note'; text: string } | { type: 'fail' };
type Pong = { type: 'pong'; n: number };
/** The channel's table: a ping (or a request that fails) is answered by a pong. */
type Replies = { ping: Pong; fail: Pong; note: Pong };

/** Two messengers joined by a wire that delivers asynchronously (as postMessage does), with a log. */
function pair(options: { timeoutMs?: number } = {}) {
  const wire: Envelope[] = [];
  const notes: string[] = [];
  const other: { b?: Messenger<Pong, Ping> } = {};
  const a = new Messenger<Ping, Pong, Replies>({
    post: (e) => {
      wire.push(e);
      setImmediate(() => other.b!.receive(e));
    },
    accept: (body): body is Pong => typeof body === 'object' && body !== null && (body as Pong).type === 'pong',
    timeoutMs: options.timeoutMs,
  });
  const b = new Messenger<Pong, Ping>({
    post: (e) => {
      wire.push(e);
      setImmediate(() => a.receive(e));
    },
    handle: (msg) => {
      if (msg.type === 'note') notes.push(msg.text);
      else if (msg.type === 'ping') return { type: 'pong', n: msg.n + 1 };
      else throw new Error('it failed over there');
    },
  });
  other.b = b;
  return { a, b, wire, notes };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('messenger', () => {
  it('answers a request with the handler’s value, in reply to its id; a notification has no id and no reply', async () => {
    const { a, wire, notes } = pair();
    a.notify({ type: 'note', text: 'hello' });
    assert.deepEqual(await a.request({ type: 'ping', n: 41 }), { type: 'pong', n: 42 });
    assert.deepEqual(notes, ['hello']);
    assert.deepEqual(wire, [
      { body: { type: 'note', text: 'hello' } },
      { messageId: 1, body: { type: 'ping', n: 41 } },
      { inReplyTo: 1, body: { type: 'pong', n: 42 } },
    ]);
    assert.deepEqual(a.pendingIds(), []);
  });

  it('a handler that throws answers with an error: the request rejects with its message', async () => {
    const { a } = pair();
    await assert.rejects(a.request({ type: 'fail' }), (e: Error) => e instanceof RemoteError && e.message === 'it failed over there');
  });

  it('ignores replies to requests it does not have, and drops what is not an envelope or fails `accept`', async () => {
    const dropped: string[] = [];
    const m = new Messenger<Ping, Pong>({ post: () => undefined, accept: (b): b is Pong => (b as Pong)?.type === 'pong', handle: () => assert.fail('nothing reaches the handler'), onDrop: (_, why) => dropped.push(why) });
    m.receive({ inReplyTo: 99, body: { type: 'pong', n: 1 } });
    m.receive('junk');
    m.receive({ messageId: -1, body: { type: 'pong', n: 1 } });
    m.receive({ body: { type: 'launch' } });
    await tick();
    assert.deepEqual(dropped, ['not an envelope', 'a malformed messageId', 'a malformed message']);
  });

  it('one timeout rule: a request unanswered in time rejects with RequestTimeout; setDeadline moves it; a late reply is ignored', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const posted: Envelope[] = [];
      const m = new Messenger<Ping, Pong, Replies>({ post: (e) => posted.push(e), timeoutMs: 1000 });
      const slow = m.request({ type: 'ping', n: 1 });
      const never = m.send({ type: 'ping', n: 2 });
      m.setDeadline(never.id, Infinity);
      mock.timers.tick(999);
      assert.deepEqual(m.pendingIds(), [1, 2]);
      mock.timers.tick(1);
      await assert.rejects(slow, (e: Error) => e instanceof RequestTimeout && e.message === 'no answer within 1 s');
      assert.deepEqual(m.pendingIds(), [2]);
      m.receive({ inReplyTo: 1, body: { type: 'pong', n: 9 } });
      m.setDeadline(never.id, 50);
      mock.timers.tick(50);
      await assert.rejects(never.reply, RequestTimeout);
    } finally {
      mock.timers.reset();
    }
  });

  it('resend posts the pending requests again (the other side was replaced); settle and dispose end them here', async () => {
    const posted: Envelope[] = [];
    const m = new Messenger<Ping, Pong, Replies>({ post: (e) => posted.push(e) });
    const one = m.send({ type: 'ping', n: 1 });
    const two = m.send({ type: 'ping', n: 2 });
    m.resend([two.id]);
    assert.deepEqual(posted.map((e) => e.messageId), [1, 2, 2]);
    assert.equal(m.settle(one.id, { value: { type: 'pong', n: 0 } }), true);
    assert.deepEqual(await one.reply, { type: 'pong', n: 0 });
    m.dispose();
    await assert.rejects(two.reply, RequestCancelled);
    await assert.rejects(m.request({ type: 'ping', n: 3 }), RequestCancelled);
    m.notify({ type: 'note', text: 'after' });
    assert.equal(posted.length, 3, 'nothing is posted after dispose');
  });
});
