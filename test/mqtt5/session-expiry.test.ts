/**
 * MQTT 5 session expiry replaces Clean Session: on a private Mosquitto (no persistence, so no
 * session outlives the test), four subscribers go offline at once while a message is queued for
 * each. After 3 s: a 1 s `sessionExpiryInterval` and cleanSession=true (→ 0) lost their session
 * and message; a 60 s one and the default (cleanSession=false → never expires) kept both.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { randomId, startFixture, type Fixture } from '../helpers/component-fixture.js';
import type { PubSubConnection } from '../helpers/daprd-harness.js';
import { findMosquitto, startMosquitto, type MosquittoProcess } from '../helpers/mosquitto-process.js';
import { MOSQUITTO_NOT_INSTALLED, requirePeer } from '../helpers/require-peer.js';
import { payloadsOf } from '../helpers/pubsub-scenarios.js';

const ack = (): void => undefined;

describe('MQTT 5 session expiry (private Mosquitto)', () => {
  before(() => requirePeer(findMosquitto() ? false : MOSQUITTO_NOT_INSTALLED));
  let mosquitto: MosquittoProcess;
  let fx: Fixture;
  let url: string;
  before(async () => {
    mosquitto = await startMosquitto();
    url = `tcp://127.0.0.1:${mosquitto.port}`;
    fx = await startFixture({ broker: 'bundled' }); // the component server; instances point at the private broker
  });
  after(async () => {
    await fx?.close();
    await mosquitto?.close();
  });

  const initOn = async (properties: Record<string, string>): Promise<PubSubConnection> => {
    const conn = fx.connect();
    await conn.init({ url, consumerID: randomId('expiry'), protocolVersion: '5', sharedSubscriptions: 'false', ...properties });
    return conn;
  };

  it('a short sessionExpiryInterval (and cleanSession=true) makes the broker drop the session; a long one (and the default) keeps it', async () => {
    const cases: Array<{ name: string; properties: Record<string, string>; kept: boolean }> = [
      { name: '1 s', properties: { sessionExpiryInterval: '1' }, kept: false },
      { name: 'cleanSession=true → 0', properties: { cleanSession: 'true' }, kept: false },
      { name: '60 s', properties: { sessionExpiryInterval: '60' }, kept: true },
      { name: 'default: cleanSession=false → never', properties: {}, kept: true },
    ];
    const publisher = await initOn({});
    const subscribers = await Promise.all(
      cases.map(async (c, i) => {
        const conn = await initOn(c.properties);
        const topic = `${randomId('expiry')}/${i}`;
        const first = conn.subscribe(topic, {}, ack);
        await first.ready();
        await first.close(); // offline from here on
        return { ...c, conn, topic };
      }),
    );
    for (const s of subscribers) await publisher.publish(s.topic, `queued for ${s.name}`);
    const offlineSince = Date.now();
    // Time is what is under test: Mosquitto checks session expiry once a second, in whole seconds.
    await delay(Math.max(0, offlineSince + 3_000 - Date.now()));

    for (const s of subscribers) {
      const again = s.conn.subscribe(s.topic, {}, ack);
      await again.ready(); // a probe: a message still queued in the session arrives before it
      assert.deepEqual(payloadsOf(again.acked), s.kept ? [`queued for ${s.name}`] : [], `session with ${s.name}: ${s.kept ? 'kept' : 'dropped'}`);
      await again.close();
    }
  });
});
