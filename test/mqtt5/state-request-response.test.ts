/**
 * The state protocol's request/reply with MQTT 5 properties (MQTT 5 §4.10), against the shared
 * Mosquitto and a state service process connected with STATE_SERVICE_PROTOCOL_VERSION=5: the
 * component's requests carry Response Topic and Correlation Data, the service replies to that
 * topic with that data (only when it is the requester's own reply topic), and MQTT 3.1.1 and
 * MQTT 5 clients share the one service through the envelope's copies of both.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { IPublishPacket } from 'mqtt';
import { stateReplyTopic, stateRequestTopic } from '../../src/mqtt/state-topics.js';
import { isReachable, MOSQUITTO_URL, randomId } from '../helpers/component-fixture.js';
import { mosquittoUnreachable, requirePeer } from '../helpers/require-peer.js';
import { connectPeer, type MqttPeer } from '../helpers/mqtt-peer.js';
import { startStateFixture, type StateFixture } from '../helpers/state-fixture.js';
import { daprMessage, wireClient } from '../helpers/state-wire.js';
import { waitUntil } from '../helpers/wait.js';

const reachable = await isReachable(MOSQUITTO_URL);

/** Records every PUBLISH `peer` gets on `filter` (a `$dapr-state/...` filter must be named explicitly). */
async function record(peer: MqttPeer, filter: string): Promise<IPublishPacket[]> {
  const packets: IPublishPacket[] = [];
  const prefix = filter.replace(/\+$/, '');
  peer.client.on('message', (topic, _payload, packet) => {
    if (topic.startsWith(prefix)) packets.push(packet);
  });
  await peer.subscribe(filter, 1);
  return packets;
}

describe('MQTT 5 state request/response (Mosquitto, M)', () => {
  before(() => requirePeer(reachable ? false : mosquittoUnreachable(MOSQUITTO_URL)));
  let fx: StateFixture;
  const peers: MqttPeer[] = [];
  before(async () => {
    fx = await startStateFixture('mosquitto', { protocolVersion: 5 });
  });
  after(async () => {
    for (const p of peers) await p.close().catch(() => undefined);
    await fx?.close();
  });
  const peer = async (): Promise<MqttPeer> => {
    const p = await connectPeer(fx.brokerUrl, { protocolVersion: 5 });
    peers.push(p);
    return p;
  };

  it("a component request carries Response Topic and Correlation Data; the reply comes back on that topic with that data", async () => {
    const observer = await peer();
    const requests = await record(observer, `$dapr-state/v1/${fx.serviceName}/req/+`);
    const replies = await record(observer, `$dapr-state/v1/${fx.serviceName}/reply/+`);
    const store = await fx.initInstance();
    await store.set(`app||${randomId('k')}`, '"v"');
    await waitUntil(() => requests.length >= 2 && replies.length >= 2, () => `Init's ping and the Set, and their replies: ${requests.length} requests, ${replies.length} replies`);
    for (const request of requests) {
      const clientId = request.topic.split('/').pop() as string;
      assert.equal(request.properties?.responseTopic, stateReplyTopic(fx.serviceName, clientId), 'Response Topic = the client\'s reply topic');
      const correlation = request.properties?.correlationData;
      assert.ok(correlation && correlation.length > 0, 'Correlation Data set');
      const reply = replies.find((r) => r.properties?.correlationData?.equals(correlation));
      assert.ok(reply, `a reply carries the correlation data ${correlation.toString()}`);
      assert.equal(reply.topic, request.properties?.responseTopic);
    }
  });

  it("the service answers a raw client on its Response Topic with its Correlation Data, and ignores a Response Topic that is not the requester's", async () => {
    const client = await peer();
    const wire = await wireClient(client, fx.serviceName);
    const replies = await record(client, stateReplyTopic(fx.serviceName, client.clientId));
    const keyspace = randomId('ks');
    const send = (requestId: string, responseTopic: string): Promise<unknown> =>
      client.client.publishAsync(stateRequestTopic(fx.serviceName, client.clientId), wire.encode({ requestId, keyspace, op: 'get', body: daprMessage('GetRequest', { key: 'a' }) }), {
        qos: 1,
        properties: { responseTopic, correlationData: Buffer.from(`corr-${requestId}`) },
      });
    await send('r1', stateReplyTopic(fx.serviceName, client.clientId));
    await waitUntil(() => replies.length >= 1, () => 'the reply to r1');
    assert.equal(replies[0]?.properties?.correlationData?.toString(), 'corr-r1');

    // Same envelope (its reply topic is right), but the Response Topic names another client: no answer anywhere.
    const elsewhere = await record(client, stateReplyTopic(fx.serviceName, 'someone-else'));
    await send('r2', stateReplyTopic(fx.serviceName, 'someone-else'));
    await send('r3', stateReplyTopic(fx.serviceName, client.clientId));
    await waitUntil(() => replies.length >= 2, () => 'the reply to r3');
    await delay(300); // absence check: r2 was handled before r3 (one keyspace, in order)
    assert.deepEqual(replies.map((r) => r.properties?.correlationData?.toString()), ['corr-r1', 'corr-r3']);
    assert.equal(elsewhere.length, 0, 'a reply went to the other client\'s topic');
  });

  it('MQTT 3.1.1 and MQTT 5 clients share one MQTT 5 service (the envelope carries reply topic and request id)', async () => {
    const keyspace = randomId('shared');
    const v4 = await fx.initInstance({ protocolVersion: '4', keyspace });
    const v5 = await fx.initInstance({ keyspace });
    const k = `app||${randomId('k')}`;
    await v4.set(k, '"from v4"');
    assert.equal((await v5.get(k)).data?.toString(), '"from v4"');
    await v5.set(k, '"from v5"');
    assert.equal((await v4.get(k)).data?.toString(), '"from v5"');
  });
});
