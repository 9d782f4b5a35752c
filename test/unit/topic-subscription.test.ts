/** TopicSubscription on a fake link: subscribe, one at a time, ack → PUBACK, nack → redelivery, resends, refusals, backpressure. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger } from '../../src/logging/logger.js';
import type { Delivery } from '../../src/pubsub/delivery.js';
import { TopicSubscription, type TopicSubscriptionOptions } from '../../src/pubsub/topic-subscription.js';
import { isComponentError } from '../../src/errors/component-error.js';
import { FakeLink } from '../helpers/fake-link.js';
import { waitUntil } from '../helpers/wait.js';

function subscription(over: Partial<TopicSubscriptionOptions> = {}): { link: FakeLink; sub: TopicSubscription; delivered: Delivery[]; failed: Error[] } {
  const link = new FakeLink('sub-client');
  const delivered: Delivery[] = [];
  const failed: Error[] = [];
  const sub = new TopicSubscription({
    link,
    cleanSession: false,
    filter: '$share/app/orders',
    unsharedFilter: 'orders',
    qos: 1,
    redelivery: { initialMs: 5, maxMs: 20 },
    maxBuffered: 3,
    maxDeliverySize: 1024,
    logger: createSilentLogger(),
    deliver: (d) => delivered.push(d),
    fail: (e) => failed.push(e),
    ...over,
  });
  return { link, sub, delivered, failed };
}

test('subscribes once, on the first link up, at its QoS; with no shared subscriptions, to the unshared filter', async () => {
  const shared = subscription();
  shared.link.up();
  shared.link.up();
  assert.deepEqual(shared.link.subscriptions, [{ filter: '$share/app/orders', qos: 1 }], 'the link repeats it when a session is lost, not us');
  let told = 0;
  const plain = subscription({ onNoSharedSubscriptions: () => (told += 1) });
  plain.link.up({ capabilities: { protocolVersion: 5, sharedSubscriptionAvailable: false } });
  assert.deepEqual(plain.link.subscriptions, [{ filter: 'orders', qos: 1 }]);
  assert.equal(told, 1);
  assert.equal(shared.sub.clientId, 'sub-client');
});

test('one delivery at a time in arrival order; the PUBACK goes only with the success ack', async () => {
  const { link, sub, delivered } = subscription();
  link.up();
  link.inject('orders', 'a', { messageId: 1 });
  link.inject('orders', 'b', { messageId: 2 });
  assert.deepEqual(delivered.map((d) => d.payload.toString()), ['a']);
  assert.deepEqual(link.acks, [], 'no PUBACK before daprd acked');
  assert.equal(sub.ack('no-such-id', undefined), false);
  assert.equal(sub.ack(delivered[0]?.id as string, undefined), true);
  assert.deepEqual(link.acks, ['1@1']);
  assert.deepEqual(delivered.map((d) => d.payload.toString()), ['a', 'b']);
  assert.deepEqual(delivered[1]?.metadata, { topic: 'orders', retained: 'false', qos: '1', dup: 'false' });
});

test('a nack redelivers the same message after the backoff, marked dup; no PUBACK until it is acked', async () => {
  const { link, sub, delivered } = subscription();
  link.up();
  link.inject('orders', 'a', { messageId: 7 });
  sub.ack(delivered[0]?.id as string, 'app failed');
  assert.deepEqual(link.acks, []);
  await waitUntil(() => delivered.length === 2, () => 'the redelivery');
  assert.equal(delivered[1]?.payload.toString(), 'a');
  assert.equal(delivered[1]?.metadata.dup, 'true');
  assert.notEqual(delivered[1]?.id, delivered[0]?.id, 'a new delivery id');
  sub.ack(delivered[1]?.id as string, undefined);
  assert.deepEqual(link.acks, ['7@1']);
});

test('persistent session: the broker resending a held message on a new link is adopted (not delivered twice) and acked there', async () => {
  const { link, sub, delivered } = subscription();
  link.up();
  link.inject('orders', 'a', { messageId: 3 });
  link.down();
  link.up({ sessionPresent: true });
  link.inject('orders', 'a', { messageId: 3, dup: true });
  assert.equal(delivered.length, 1, 'not delivered twice');
  sub.ack(delivered[0]?.id as string, undefined);
  assert.deepEqual(link.acks, ['3@2'], "acked with the new link's generation");
  // A resend of one already acked (its PUBACK lost with the link) is acknowledged again, not delivered.
  link.down();
  link.up({ sessionPresent: true });
  link.inject('orders', 'a', { messageId: 3, dup: true });
  assert.equal(delivered.length, 1);
  assert.deepEqual(link.acks, ['3@2', '3@3']);
});

test('backpressure: beyond maxBuffered the link is not read further until a message settles', async () => {
  const { link, sub, delivered } = subscription();
  link.up();
  // The link reads nothing more while a readMore is held: the test injects as far as it would read.
  for (let i = 1; i <= 3; i += 1) link.inject('orders', String(i), { messageId: i });
  assert.equal(link.unread, 1, '3 buffered (one delivered): the third one holds the read');
  sub.ack(delivered[0]?.id as string, undefined);
  assert.equal(link.unread, 0, 'one settled: reading goes on');
});

test('a refused subscription ends the stream with the reason (MQTT 5 0x87 → ERR_SUBSCRIBE_DENIED)', async () => {
  const { link, failed } = subscription();
  link.subackFor = () => ({ refused: 0x87, reasonString: 'acl' });
  link.up();
  await waitUntil(() => failed.length === 1, () => 'the failure');
  const err = failed[0];
  assert.ok(isComponentError(err) && err.code === 'ERR_SUBSCRIBE_DENIED');
  assert.match(err.message, /0x87 \(not authorized\): acl/);
});

test('too large for daprd: logged, acknowledged and skipped; close() leaves the unacked one to the broker', async () => {
  const { link, sub, delivered } = subscription();
  link.up();
  link.inject('orders', Buffer.alloc(2048), { messageId: 1 });
  link.inject('orders', 'small', { messageId: 2 });
  assert.deepEqual(link.acks, ['1@1']);
  assert.deepEqual(delivered.map((d) => d.payload.toString()), ['small']);
  await sub.close();
  assert.equal(link.closed, true);
  assert.deepEqual(link.acks, ['1@1'], 'the delivered-but-unacked message is not acknowledged');
});

test('read-ahead: up to deliveryReadAhead with daprd at once, in arrival order; PUBACKs stay in arrival order (N7)', async () => {
  const { link, sub, delivered } = subscription({ deliveryReadAhead: 3, maxBuffered: 10 });
  link.up();
  for (const [i, p] of ['a', 'b', 'c', 'd'].entries()) link.inject('orders', p, { messageId: i + 1 });
  const ids = (): string[] => delivered.map((d) => d.payload.toString());
  assert.deepEqual(ids(), ['a', 'b', 'c'], 'three handed over before any ack');
  sub.ack(delivered[1]?.id as string, undefined);
  assert.deepEqual(link.acks, [], 'b acked, but its PUBACK waits for a');
  assert.deepEqual(ids(), ['a', 'b', 'c', 'd'], 'a slot freed: d handed over');
  sub.ack(delivered[0]?.id as string, undefined);
  assert.deepEqual(link.acks, ['1@1', '2@1'], 'a, then b');
  // c nacked while d is with daprd: d goes on, c comes back after the backoff, and d's PUBACK waits for c.
  sub.ack(delivered[2]?.id as string, 'app failed');
  sub.ack(delivered[3]?.id as string, undefined);
  assert.deepEqual(link.acks, ['1@1', '2@1']);
  link.inject('orders', 'e', { messageId: 5 });
  assert.equal(delivered.length, 4, 'nothing new while c waits for its redelivery');
  await waitUntil(() => delivered.length === 5, () => 'the redelivery of c');
  assert.equal(delivered[4]?.payload.toString(), 'c');
  assert.equal(delivered[4]?.metadata.dup, 'true');
  assert.equal(delivered.length, 5, 'a redelivery goes alone: e waits behind it');
  sub.ack(delivered[4]?.id as string, undefined);
  assert.deepEqual(link.acks, ['1@1', '2@1', '3@1', '4@1']);
  assert.deepEqual(ids().slice(5), ['e'], 'c settled: e follows');
});

test('read-ahead: messages nacked out of order are redelivered in arrival order', async () => {
  const { link, sub, delivered } = subscription({ deliveryReadAhead: 2, maxBuffered: 10 });
  link.up();
  link.inject('orders', 'a', { messageId: 1 });
  link.inject('orders', 'b', { messageId: 2 });
  sub.ack(delivered[1]?.id as string, 'later one first');
  sub.ack(delivered[0]?.id as string, 'then the earlier one');
  await waitUntil(() => delivered.length === 3, () => 'a redelivered');
  assert.equal(delivered[2]?.payload.toString(), 'a', 'the earlier one first');
  sub.ack(delivered[2]?.id as string, undefined);
  await waitUntil(() => delivered.length === 4, () => 'b redelivered');
  assert.equal(delivered[3]?.payload.toString(), 'b');
  sub.ack(delivered[3]?.id as string, undefined);
  assert.deepEqual(link.acks, ['1@1', '2@1']);
});
