/**
 * Regression (issue 14, bug 1): a state request whose reply is lost with the link is sent again
 * after the FIRST reconnect too. The state client used to count connects from a listener added
 * after the first CONNACK, so the first reconnect looked like the first connect and was skipped:
 * the request then failed with ERR_STATE_TIMEOUT although the link was back in time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IPublishPacket } from 'mqtt-packet';
import { StateStoreComponent } from '../../src/state/state-store-component.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { decodeStateRequest, encodeStateReply } from '../../src/mqtt/state-envelope.js';
import { startScriptedBroker, type ScriptedConnection } from '../helpers/scripted-broker.js';

function answer(conn: ScriptedConnection, request: IPublishPacket, nextId: () => number): void {
  const decoded = decodeStateRequest(request.payload as Buffer);
  const reply = decoded.ping !== undefined && decoded.ping !== null ? { requestId: decoded.requestId, pong: {} } : { requestId: decoded.requestId, get: { data: Buffer.from('v1') } };
  conn.send({ cmd: 'publish', topic: decoded.replyTopic as string, payload: encodeStateReply(reply), qos: 1, messageId: nextId(), retain: false, dup: false });
}

for (const protocolVersion of [4, 5] as const) {
  test(`MQTT ${protocolVersion}: a Get whose reply is lost with the link is resent after the first reconnect and answered`, async (t) => {
    let id = 0;
    const nextId = (): number => (id = (id % 65535) + 1);
    const gets: number[] = [];
    const broker = await startScriptedBroker((conn, packet) => {
      if (packet.cmd !== 'publish' || !packet.topic.includes('/req/')) return false;
      conn.send({ cmd: 'puback', messageId: packet.messageId as number });
      const isPing = (() => {
        const d = decodeStateRequest(packet.payload as Buffer);
        return d.ping !== undefined && d.ping !== null;
      })();
      if (isPing) {
        answer(conn, packet, nextId);
        return true;
      }
      gets.push(conn.index);
      // The first Get: acknowledged, its reply lost with the link (cut right after the PUBACK).
      if (conn.index === 1) setImmediate(() => conn.destroy());
      else answer(conn, packet, nextId);
      return true;
    });
    t.after(() => broker.close());
    const store = await StateStoreComponent.init(
      { url: broker.url, stateService: 'svc', requestTimeout: '6s', connectTimeout: '3s', protocolVersion: String(protocolVersion) },
      { instance: 'statestore', replica: 'r1' },
      createSilentLogger(),
    );
    t.after(() => store.close());
    const started = Date.now();
    const body = await store.execute('get', new Uint8Array(0));
    assert.ok(body.length > 0, 'the Get is answered with the reply body');
    assert.deepEqual(gets, [1, 2], 'sent once on the first link, once more after the first reconnect');
    assert.ok(Date.now() - started < 6_000, 'answered before requestTimeout');
  });
}
