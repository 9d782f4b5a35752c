/** Publisher on a fake link: completion, refusals, deadlines (withdrawal), Receive Maximum, bounds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isComponentError } from '../../src/errors/component-error.js';
import { PUBSUB_LABELS, Publisher } from '../../src/mqtt/publisher.js';
import { FakeLink } from '../helpers/fake-link.js';
import { waitUntil } from '../helpers/wait.js';

const QOS1 = { qos: 1, retain: false } as const;
const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (isComponentError(e) ? e.code : String(e)),
  );

test('resolves when the link completes the publish; a broker refusal maps to its error code', async () => {
  const link = new FakeLink();
  link.up();
  const publisher = new Publisher(link, 5_000, 10);
  const ok = publisher.publish('t', Buffer.from('a'), QOS1);
  const denied = codeOf(publisher.publish('t', Buffer.from('b'), QOS1));
  assert.equal(link.publishes.length, 2, 'handed to the link at once');
  link.publishes[0]?.complete();
  link.publishes[1]?.complete({ error: new Error('Publish error: Not authorized'), reasonCode: 0x87 });
  await ok;
  assert.equal(await denied, 'ERR_PUBLISH_DENIED');
  publisher.close();
});

test('the deadline withdraws the message from the link and fails UNAVAILABLE, naming the timeout field', async () => {
  const link = new FakeLink();
  link.up();
  const publisher = new Publisher(link, 50, 10);
  const err = await publisher.publish('t', Buffer.from('a'), QOS1).then(
    () => assert.fail('never acknowledged'),
    (e: unknown) => e,
  );
  assert.ok(isComponentError(err) && err.code === 'ERR_PUBLISH_UNAVAILABLE', String(err));
  assert.match((err as Error).message, /did not acknowledge within publishTimeout \(50 ms\)/);
  assert.equal(link.publishes[0]?.cancelled, true, 'withdrawn, so it is not sent later');
  publisher.close();
});

test('many deadlines on one timer: each publish fails at its own deadline, in order', async () => {
  const link = new FakeLink();
  link.up();
  const publisher = new Publisher(link, 30, 5_000);
  const order: number[] = [];
  const all = Array.from({ length: 500 }, (_, i) => publisher.publish('t', Buffer.from(String(i)), QOS1).catch(() => order.push(i)));
  link.publishes[250]?.complete();
  await Promise.all(all);
  assert.equal(order.length, 499);
  assert.deepEqual(order, [...order].sort((a, b) => a - b), 'expired in deadline order');
  assert.equal(link.open().length, 0, 'every expired one withdrawn');
  publisher.close();
});

test("in flight at most min(maxInflight, the broker's Receive Maximum); waiting ones go when a slot frees; the cap follows each CONNACK", async () => {
  const link = new FakeLink();
  link.up({ capabilities: { receiveMaximum: 2 } });
  const publisher = new Publisher(link, 5_000, 10, PUBSUB_LABELS, 5);
  const calls = Array.from({ length: 4 }, (_, i) => publisher.publish('t', Buffer.from(String(i)), QOS1));
  assert.equal(link.publishes.length, 2);
  link.publishes[0]?.complete();
  await calls[0];
  assert.equal(link.publishes.length, 3, 'a freed slot goes to the next waiting publish');
  link.up({ capabilities: { receiveMaximum: 10 } });
  assert.equal(link.publishes.length, 4, 'a raised Receive Maximum frees slots at once');
  for (const p of link.open()) p.complete();
  await Promise.all(calls);
  publisher.close();
});

test('beyond in-flight and pending: RESOURCE_EXHAUSTED at once; a waiting one that times out says no slot came', async () => {
  const link = new FakeLink();
  link.up();
  const publisher = new Publisher(link, 60, 1, PUBSUB_LABELS, 1);
  const first = codeOf(publisher.publish('t', Buffer.from('1'), QOS1));
  const waiting = publisher.publish('t', Buffer.from('2'), QOS1).then(
    () => '',
    (e: Error) => e.message,
  );
  assert.equal(await codeOf(publisher.publish('t', Buffer.from('3'), QOS1)), 'ERR_PUBLISH_OVERLOADED');
  assert.match(await waiting, /no in-flight slot became free/);
  assert.equal(await first, 'ERR_PUBLISH_UNAVAILABLE');
  assert.equal(link.publishes.length, 1, 'the one that never got a slot never reached the link');
  publisher.close();
});

test('a publish the link holds while down fails saying the link did not come back; after close(), ERR_SHUTTING_DOWN', async () => {
  const link = new FakeLink();
  const publisher = new Publisher(link, 40, 10);
  const err = await publisher.publish('t', Buffer.from('a'), QOS1).catch((e: Error) => e);
  assert.ok(isComponentError(err) && err.code === 'ERR_PUBLISH_UNAVAILABLE');
  assert.match(err.message, /the broker link did not come back within publishTimeout/);
  publisher.close();
  assert.equal(await codeOf(publisher.publish('t', Buffer.from('b'), QOS1)), 'ERR_SHUTTING_DOWN');
  await waitUntil(() => link.open().length === 0, () => 'nothing left open on the link');
});
