// The MQTT state protocol on the wire, against both set-ups: a duplicate request (QoS 1
// redelivery, or a resend after reconnect) is applied once and answered with the same reply;
// a request past its deadline is refused; undecodable Dapr bytes get a clear error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isReachable, MOSQUITTO_URL, randomId } from '../helpers/component-fixture.js';
import { mosquittoUnreachable, requirePeer } from '../helpers/require-peer.js';
import { connectPeer, type MqttPeer } from '../helpers/mqtt-peer.js';
import { startStateFixture, type StateBackend, type StateFixture } from '../helpers/state-fixture.js';
import { daprMessage, decodeDapr, wireClient, type WireClient } from '../helpers/state-wire.js';

const mosquittoUp = await isReachable(MOSQUITTO_URL);

for (const backend of ['bundled', 'mosquitto'] as StateBackend[]) {
  describe(`state protocol on the wire (${backend})`, () => {
    before(() => requirePeer(backend === 'mosquitto' && !mosquittoUp ? mosquittoUnreachable(MOSQUITTO_URL) : false));
    let fx: StateFixture;
    let peer: MqttPeer;
    let wire: WireClient;
    const keyspace = randomId('wire');
    before(async () => {
      fx = await startStateFixture(backend);
      peer = await connectPeer(fx.brokerUrl, { clientId: randomId('wirepeer') });
      wire = await wireClient(peer, fx.serviceName);
    });
    after(async () => {
      await peer?.close();
      await fx?.close();
    });

    it('a duplicate request is applied once and answered with the byte-identical reply', async () => {
      const first = wire.replies.length;
      const set = wire.encode({
        requestId: randomId('req'),
        keyspace,
        op: 'set',
        body: daprMessage('SetRequest', { key: 'k1', value: Buffer.from('"v1"'), options: { concurrency: 'CONCURRENCY_FIRST_WRITE' } }),
      });
      await wire.send(set);
      await wire.waitForReplies(first + 1);
      await wire.send(set); // as MQTT.js resends after a reconnect, same id
      await wire.waitForReplies(first + 2);
      const [a, b] = wire.replies.slice(first);
      assert.equal(a?.reply.op, 'set', `first reply is a SetResponse, got ${JSON.stringify(a?.reply.error)}`);
      assert.deepEqual(b?.raw, a?.raw, 'same reply bytes, not an etag error from applying it twice');
      // A new request id for the same first-write is applied, and fails: the key exists once.
      await wire.send(
        wire.encode({
          requestId: randomId('req'),
          keyspace,
          op: 'set',
          body: daprMessage('SetRequest', { key: 'k1', value: Buffer.from('"v2"'), options: { concurrency: 'CONCURRENCY_FIRST_WRITE' } }),
        }),
      );
      await wire.waitForReplies(first + 3);
      assert.equal(wire.replies[first + 2]?.reply.error?.kind, 'ETAG_MISMATCH');
      await wire.send(wire.encode({ requestId: randomId('req'), keyspace, op: 'get', body: daprMessage('GetRequest', { key: 'k1' }) }));
      await wire.waitForReplies(first + 4);
      const got = wire.replies[first + 3]?.reply;
      assert.equal(got?.op, 'get');
      assert.equal(Buffer.from(decodeDapr('GetResponse', got?.body ?? Buffer.alloc(0)).data as Uint8Array).toString(), '"v1"');
    });

    it('a request already past its deadline is refused with DEADLINE_EXCEEDED and not applied', async () => {
      const first = wire.replies.length;
      await wire.send(
        wire.encode({ requestId: randomId('req'), keyspace, op: 'set', deadlineUnixMs: Date.now() - 1_000, body: daprMessage('SetRequest', { key: 'late', value: Buffer.from('"x"') }) }),
      );
      await wire.waitForReplies(first + 1);
      assert.equal(wire.replies[first]?.reply.error?.kind, 'DEADLINE_EXCEEDED');
      await wire.send(wire.encode({ requestId: randomId('req'), keyspace, op: 'get', body: daprMessage('GetRequest', { key: 'late' }) }));
      await wire.waitForReplies(first + 2);
      assert.equal((decodeDapr('GetResponse', wire.replies[first + 1]?.reply.body ?? Buffer.alloc(0)).data as Uint8Array | undefined)?.length ?? 0, 0, 'not applied');
    });

    it('undecodable Dapr request bytes are answered with INVALID_ARGUMENT, and the service keeps serving', async () => {
      const first = wire.replies.length;
      await wire.send(wire.encode({ requestId: randomId('req'), keyspace, op: 'set', body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]) }));
      await wire.waitForReplies(first + 1);
      assert.equal(wire.replies[first]?.reply.error?.kind, 'INVALID_ARGUMENT', JSON.stringify(wire.replies[first]?.reply));
      await wire.send(wire.encode({ requestId: randomId('req'), keyspace, op: 'ping', body: new Uint8Array(0) }));
      await wire.waitForReplies(first + 2);
      assert.equal(wire.replies[first + 1]?.reply.op, 'ping');
    });
  });
}
