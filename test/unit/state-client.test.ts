/** StateClient on a fake link: request/reply, resend after EVERY reconnect (the first one included), timeouts, refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger } from '../../src/logging/logger.js';
import { parseStateConfig } from '../../src/config/state-config.js';
import { isComponentError } from '../../src/errors/component-error.js';
import { decodeStateRequest, encodeStateReply } from '../../src/mqtt/state-envelope.js';
import { stateReplyTopic, stateRequestTopic } from '../../src/mqtt/state-topics.js';
import { StateClient } from '../../src/state/state-client.js';
import { FakeLink } from '../helpers/fake-link.js';
import { waitUntil } from '../helpers/wait.js';

const config = parseStateConfig({ url: 'mqtt://127.0.0.1:1', stateService: 'svc', requestTimeout: '2s' });

async function client(): Promise<{ link: FakeLink; state: StateClient }> {
  const link = new FakeLink('state-1');
  link.up();
  const state = await StateClient.over(link, config, 'ks', createSilentLogger());
  return { link, state };
}

function reply(link: FakeLink, index: number, body = 'v'): void {
  const request = decodeStateRequest(link.publishes[index]?.payload as Buffer);
  link.inject(request.replyTopic as string, encodeStateReply({ requestId: request.requestId, get: { data: Buffer.from(body) } }), { messageId: 100 + index });
}

test('subscribes to its reply topic; a request goes to its request topic at QoS 1 and resolves with the reply body', async () => {
  const { link, state } = await client();
  assert.deepEqual(link.subscriptions, [{ filter: stateReplyTopic('svc', 'state-1'), qos: 1 }]);
  const answer = state.request('get', new Uint8Array(0));
  assert.equal(link.publishes[0]?.topic, stateRequestTopic('svc', 'state-1'));
  assert.equal(link.publishes[0]?.options.qos, 1);
  const decoded = decodeStateRequest(link.publishes[0]?.payload as Buffer);
  assert.equal(decoded.keyspace, 'ks');
  link.publishes[0]?.complete();
  reply(link, 0);
  assert.ok((await answer).length > 0);
  assert.deepEqual(link.acks, ['100@1'], 'the reply is acknowledged');
  await state.close();
});

test('a request the broker acknowledged is resent after the FIRST reconnect, with the same request id', async () => {
  const { link, state } = await client();
  const answer = state.request('get', new Uint8Array(0));
  link.publishes[0]?.complete();
  await new Promise((r) => setImmediate(r));
  link.down();
  link.up(); // generation 2: the first reconnect
  await waitUntil(() => link.publishes.length === 2, () => 'the resend');
  assert.deepEqual(link.subscriptions.length, 2, 'replies subscribed again on the new clean session');
  assert.equal(decodeStateRequest(link.publishes[1]?.payload as Buffer).requestId, decodeStateRequest(link.publishes[0]?.payload as Buffer).requestId);
  link.publishes[1]?.complete();
  reply(link, 1);
  await answer;
  await state.close();
});

test('no reply within the timeout: ERR_STATE_TIMEOUT (outcome unknown); a refused reply subscription: ERR_STATE_REPLY_DENIED', async () => {
  const { link, state } = await client();
  const late = state.request('set', new Uint8Array(0), 50);
  link.publishes[0]?.complete();
  await assert.rejects(late, (e: unknown) => isComponentError(e) && e.code === 'ERR_STATE_TIMEOUT' && /may or may not have been applied/.test(e.message));
  await state.close();

  const denied = new FakeLink('state-2');
  denied.subackFor = () => ({ refused: 0x87, reasonString: undefined });
  denied.up();
  await assert.rejects(StateClient.over(denied, config, 'ks', createSilentLogger()), (e: unknown) => isComponentError(e) && e.code === 'ERR_STATE_REPLY_DENIED' && /0x87 \(not authorized\)/.test(e.message));
});

test('close() fails what waits with ERR_SHUTTING_DOWN and closes the link', async () => {
  const { link, state } = await client();
  const waiting = state.request('get', new Uint8Array(0));
  await state.close();
  await assert.rejects(waiting, (e: unknown) => isComponentError(e) && e.code === 'ERR_SHUTTING_DOWN');
  assert.equal(link.closed, true);
});
