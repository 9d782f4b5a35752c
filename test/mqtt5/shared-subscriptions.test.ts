/**
 * MQTT 5 shared subscriptions and SUBACK refusals, against a scripted MQTT 5 broker (no real
 * broker here can announce Shared Subscription Available = 0): the component subscribes through
 * `$share/<consumerID>/` unless the CONNACK says there are no shared subscriptions, then falls
 * back to the plain topic; a filter the app itself wrote as `$share/...` is kept. A SUBACK with
 * reason code 0x97 or 0x9E ends the stream with the mapped status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomId, startFixture, type Fixture } from '../helpers/component-fixture.js';
import type { PubSubConnection } from '../helpers/daprd-harness.js';
import { startFakeMqtt5Broker, type FakeBroker } from '../helpers/fake-mqtt5-broker.js';
import { assertGrpcError } from '../helpers/grpc-assert.js';
import { waitUntil } from '../helpers/wait.js';

describe('MQTT 5 shared subscriptions and SUBACK reason codes (scripted broker)', () => {
  let fx: Fixture;
  let noShared: FakeBroker;
  let shared: FakeBroker;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' }); // the component server; instances point at the scripted brokers
    noShared = await startFakeMqtt5Broker({ connackProperties: { sharedSubscriptionAvailable: false } });
    shared = await startFakeMqtt5Broker({
      subackCode: (filter, qos) => (filter.endsWith('/quota') ? 0x97 : filter.endsWith('/noshare') ? 0x9e : qos),
    });
  });
  after(async () => {
    await fx?.close();
    await noShared?.close();
    await shared?.close();
  });

  const initOn = async (broker: FakeBroker, consumerID: string): Promise<PubSubConnection> => {
    const conn = fx.connect();
    await conn.init({ url: broker.url, consumerID, protocolVersion: '5' });
    return conn;
  };
  const subscribedTo = (broker: FakeBroker, filter: string): Promise<void> =>
    waitUntil(() => broker.subscribed.includes(filter), () => `SUBSCRIBE ${filter}; got ${broker.subscribed.join(', ')}`);

  it('Shared Subscription Available = 0: plain topic filters instead of $share/<consumerID>/; an explicit $share filter is kept', async () => {
    const consumer = randomId('c');
    const conn = await initOn(noShared, consumer);
    conn.subscribe('orders', {}, () => undefined);
    conn.subscribe('payments/+', {}, () => undefined);
    conn.subscribe('$share/mine/audit', {}, () => undefined);
    await subscribedTo(noShared, 'orders');
    await subscribedTo(noShared, 'payments/+');
    await subscribedTo(noShared, '$share/mine/audit');
    assert.ok(!noShared.subscribed.some((f) => f.startsWith(`$share/${consumer}/`)), `subscribed: ${noShared.subscribed.join(', ')}`);
  });

  it('no such property (available): subscriptions go through $share/<consumerID>/', async () => {
    const consumer = randomId('c');
    const conn = await initOn(shared, consumer);
    conn.subscribe('orders', {}, () => undefined);
    await subscribedTo(shared, `$share/${consumer}/orders`);
  });

  it('SUBACK 0x97 ends the stream with RESOURCE_EXHAUSTED, 0x9E with INTERNAL; both name the reason', async () => {
    const conn = await initOn(shared, randomId('c'));
    const quota = conn.subscribe('t/quota', {}, () => undefined);
    const noshare = conn.subscribe('t/noshare', {}, () => undefined);
    assertGrpcError(await quota.waitForServerEnd(), 'RESOURCE_EXHAUSTED', ['0x97', 'quota exceeded']);
    assertGrpcError(await noshare.waitForServerEnd(), 'INTERNAL', ['0x9E', 'shared subscriptions not supported']);
  });
});
