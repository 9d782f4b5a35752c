// S10 and the bundled broker's rules for the state topics: a client may publish only to its own
// request topic and subscribe only to its own reply topic; `#`, `+/...` and `$share/g/#` never
// see state traffic.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomId } from '../helpers/component-fixture.js';
import { connectPeer, type MqttPeer } from '../helpers/mqtt-peer.js';
import { startStateFixture, type StateFixture } from '../helpers/state-fixture.js';
import { daprMessage, wireClient } from '../helpers/state-wire.js';
import { stateReplyTopic, stateRequestTopic } from '../../src/mqtt/state-topics.js';
import { staysFalse } from '../helpers/wait.js';
import type { StateConnection } from '../helpers/state-harness.js';

describe('state traffic is private on the bundled broker (S10)', () => {
  let fx: StateFixture;
  let store: StateConnection;
  const peers: MqttPeer[] = [];
  const peer = async (): Promise<MqttPeer> => {
    const p = await connectPeer(fx.brokerUrl, { clientId: randomId('snoop') });
    peers.push(p);
    return p;
  };
  before(async () => {
    fx = await startStateFixture('bundled');
    store = await fx.initInstance({ clientId: randomId('victim') });
  });
  after(async () => {
    await Promise.allSettled(peers.map((p) => p.close()));
    await fx?.close();
  });

  it('a second client cannot subscribe to another client\'s reply topic, to the request topics, or to $dapr-state/#', async () => {
    const snoop = await peer();
    const filters = [
      stateReplyTopic('default', 'someone-else-state'),
      '$dapr-state/#',
      '$dapr-state/v1/default/reply/+',
      stateRequestTopic('default', '+'),
      '$share/g/$dapr-state/v1/default/reply/+',
    ];
    for (const filter of filters) {
      // MQTT.js rejects a subscribe whose SUBACK says 0x80.
      const outcome = await snoop.client.subscribeAsync(filter, { qos: 1 }).then(
        (granted) => `granted QoS ${granted[0]?.qos}`,
        (err: Error) => `refused: ${err.message}`,
      );
      assert.match(outcome, /^refused|granted QoS 128/, `SUBACK for ${filter} refuses it`);
    }
    const own = await snoop.client.subscribeAsync(stateReplyTopic('default', snoop.clientId), { qos: 1 });
    assert.equal(own[0]?.qos, 1, 'its own reply topic is allowed');
  });

  it('subscribers to #, +/# and $share/g/# see nothing of a component\'s state traffic', async () => {
    const snoop = await peer();
    for (const filter of ['#', '+/#', '$share/g/#']) {
      const granted = await snoop.client.subscribeAsync(filter, { qos: 1 });
      assert.equal(granted[0]?.qos, 1, `${filter} itself is allowed`);
    }
    const k = `app||${randomId('secret')}`;
    await store.set(k, '"top secret"');
    assert.equal((await store.get(k)).data?.toString(), '"top secret"');
    assert.ok(await staysFalse(() => snoop.messages.length > 0, 500), `no state message reached the snoop: ${snoop.messages.map((m) => m.topic).join(', ')}`);
  });

  it('publishing to another client\'s request topic, or to a reply topic, ends the publisher\'s connection and is not answered', async () => {
    const victim = await peer();
    const victimWire = await wireClient(victim, 'default');
    const attacker = await peer();
    const closed = new Promise<void>((resolve) => attacker.client.once('close', () => resolve()));
    const forged = victimWire.encode({ requestId: randomId('forged'), keyspace: 'x', op: 'ping', body: new Uint8Array(0) });
    attacker.client.publish(stateRequestTopic('default', victim.clientId), forged, { qos: 1 });
    await closed;
    attacker.client.end(true); // its unacknowledged publish would hold a graceful end forever
    const spoofer = await peer();
    const spoofClosed = new Promise<void>((resolve) => spoofer.client.once('close', () => resolve()));
    spoofer.client.publish(stateReplyTopic('default', victim.clientId), Buffer.from('fake reply'), { qos: 1 });
    await spoofClosed;
    spoofer.client.end(true);
    assert.ok(await staysFalse(() => victim.messages.length > 0, 300), 'the victim got no reply and no fake');
    // The victim's own requests still work.
    await victimWire.send(victimWire.encode({ requestId: randomId('own'), keyspace: 'x', op: 'get', body: daprMessage('GetRequest', { key: 'k' }) }));
    await victimWire.waitForReplies(1);
    assert.equal(victimWire.replies[0]?.reply.op, 'get');
  });
});
