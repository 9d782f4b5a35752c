/**
 * N18: publishing to an empty topic or one with `+`/`#` fails with INVALID_ARGUMENT (naming
 * the topic), and the component stays connected: Ping answers and the next publish arrives.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import type { PubSubConnection } from '../helpers/daprd-harness.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';

describe('N18: invalid publish topics', () => {
  let fx: Fixture;
  let conn: PubSubConnection;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
    conn = await fx.initInstance();
  });
  after(async () => {
    await fx?.close();
  });

  const invalid = ['', 'a/+/b', 'a/#', '+', '#', 'a/b+', 'a#'];
  for (const topic of invalid) {
    it(`Publish to ${JSON.stringify(topic)} → INVALID_ARGUMENT naming the topic`, async () => {
      await expectGrpcError(conn.publish(topic, 'x'), 'INVALID_ARGUMENT', ['topic']);
    });
  }

  it('BulkPublish to "a/+/b" → INVALID_ARGUMENT', async () => {
    await expectGrpcError(conn.bulkPublish('a/+/b', [{ entryId: '1', event: 'x' }]), 'INVALID_ARGUMENT', ['topic']);
  });

  it('after the rejections the component is still connected: Ping and a publish that arrives', async () => {
    await conn.ping();
    const topic = fx.topic('n18/after');
    const sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();
    // Interleave bad and good publishes on the same instance: the good ones all arrive.
    for (let i = 0; i < 5; i++) {
      await expectGrpcError(conn.publish(`${fx.prefix}/+/bad`, 'bad'), 'INVALID_ARGUMENT');
      await conn.publish(topic, `good-${i}`);
    }
    await sub.waitForAcked(5);
    assert.deepEqual(
      sub.acked.map((d) => d.data.toString()),
      [0, 1, 2, 3, 4].map((i) => `good-${i}`),
    );
    await conn.ping();
  });
});
