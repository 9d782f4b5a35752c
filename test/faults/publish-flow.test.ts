/**
 * Publish flow control: at most `maxInflightPublishes` QoS>0 publishes await the broker at once,
 * the rest wait for a slot within `publishTimeout`, and every publish the broker never
 * acknowledges fails with UNAVAILABLE. The bundled broker is made to hold its PUBACKs (its
 * authorizePublish hook never answers) and counts the PUBLISH packets it receives.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { status, type ServiceError } from '@grpc/grpc-js';
import type { AuthorizePublishHandler } from 'aedes';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';

describe('publish in-flight cap (bundled broker)', () => {
  let fx: Fixture;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
  });
  after(async () => {
    await fx?.close();
  });

  it('only maxInflightPublishes reach the broker while it does not ack; all fail UNAVAILABLE; the link stays usable', async () => {
    const aedes = fx.bundledBroker()!.aedes;
    const topic = fx.topic('cap');
    const conn = fx.connect();
    await conn.init({ url: fx.brokerUrl, consumerID: fx.uid('cap'), maxInflightPublishes: '2', publishTimeout: '1500ms' });

    const original: AuthorizePublishHandler = aedes.authorizePublish;
    let received = 0;
    const held: Array<() => void> = [];
    aedes.authorizePublish = (client, packet, callback) => {
      if (packet.topic === topic) {
        received += 1; // not answered until the end: no PUBACK
        held.push(() => original.call(aedes, client, packet, callback));
        return;
      }
      original.call(aedes, client, packet, callback);
    };
    try {
      const pending = Promise.allSettled(Array.from({ length: 5 }, (_, i) => conn.publish(topic, `held-${i}`)));
      const deadline = Date.now() + 1000;
      while (received < 2 && Date.now() < deadline) await delay(10);
      // Well inside the 1.5 s publish timeout: the other three are still waiting for a slot.
      await delay(300);
      assert.equal(received, 2, 'exactly maxInflightPublishes PUBLISH packets reached the broker');
      const results = await pending;
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.equal((r as PromiseRejectedResult).reason && ((r as PromiseRejectedResult).reason as ServiceError).code, status.UNAVAILABLE);
      }
    } finally {
      aedes.authorizePublish = original;
      // Aedes reads a client's next packets only once those it read with them are handled: two
      // held PUBLISHes that arrived in one read would stall the link for good. Let them finish
      // (their PUBACKs name messages the client has withdrawn, and are ignored).
      for (const release of held.splice(0)) release();
    }
    // The withdrawn ones free their slots: publishing works again at once.
    await conn.publish(fx.topic('cap-after'), 'after');
    await conn.ping();
  });
});
