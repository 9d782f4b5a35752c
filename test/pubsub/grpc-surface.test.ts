// The gRPC surface daprd relies on, against the bundled broker: reflection discovery, socket
// permissions, Features, calls before Init, x-component-instance isolation, Pause/Resume,
// BulkPublish, and invalid publish topics (N18).
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import {
  discoverServices,
  PUBSUB_SERVICE,
  REFLECTION_SERVICES,
  STATE_SERVICES,
  type MessageHandler,
} from '../helpers/daprd-harness.js';
import { expectGrpcError, grpcCodeName } from '../helpers/grpc-assert.js';
import { assertAckedExactlyOnce, assertStreamAlive, numbered, payloadsOf, text } from '../helpers/pubsub-scenarios.js';
import { staysFalse } from '../helpers/wait.js';

const ackAll: MessageHandler = () => undefined;

describe('pub/sub gRPC surface (bundled broker)', () => {
  let fx: Fixture;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
  });
  after(async () => {
    await fx?.close();
  });

  it('reflection (v1alpha, as daprd uses) lists exactly the served services: PubSub, the four state services and reflection', async () => {
    const services = await discoverServices(fx.socketPath, { version: 'v1alpha' });
    assert.deepEqual([...services].sort(), [PUBSUB_SERVICE, ...STATE_SERVICES, ...REFLECTION_SERVICES].sort());
  });

  it('reflection v1 lists the same services', async () => {
    const alpha = await discoverServices(fx.socketPath, { version: 'v1alpha' });
    const v1 = await discoverServices(fx.socketPath, { version: 'v1' });
    assert.deepEqual([...v1].sort(), [...alpha].sort());
  });

  it('the listed PubSub service is really served (a call is answered, not UNIMPLEMENTED)', async () => {
    const conn = fx.connect();
    const err = await conn.ping().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.notEqual(grpcCodeName(err), 'UNIMPLEMENTED');
  });

  it('the socket is connectable by another user (mode 0666)', async () => {
    const st = await stat(fx.socketPath);
    assert.ok(st.isSocket(), `${fx.socketPath} is not a socket`);
    assert.equal((st.mode & 0o777).toString(8), '666');
  });

  it('Features are exactly BULK_PUBSUB, SUBSCRIBE_WILDCARDS, BULK_SUBSCRIBE_IMMEDIATE', async () => {
    const conn = await fx.initInstance();
    const features = await conn.features();
    assert.deepEqual([...features].sort(), ['BULK_PUBSUB', 'BULK_SUBSCRIBE_IMMEDIATE', 'SUBSCRIBE_WILDCARDS']);
    // Not declared, so daprd applies TTL itself: must be absent.
    assert.ok(!features.includes('MESSAGE_TTL'));
  });

  it('calls before Init fail with FAILED_PRECONDITION', async () => {
    const conn = fx.connect();
    const topic = fx.topic('before-init');
    await expectGrpcError(conn.publish(topic, 'x'), 'FAILED_PRECONDITION');
    await expectGrpcError(conn.bulkPublish(topic, [{ entryId: '1', event: 'x' }]), 'FAILED_PRECONDITION');
    await expectGrpcError(conn.ping(), 'FAILED_PRECONDITION');
    const sub = conn.subscribe(topic, {}, ackAll);
    const err = await sub.waitForServerEnd({ timeoutMs: 5_000 });
    assert.equal(grpcCodeName(err), 'FAILED_PRECONDITION', `PullMessages before Init ended with ${err?.message ?? 'OK'}`);
  });

  it('x-component-instance: two instances on one socket keep their own Init; a third stays uninitialized', async () => {
    const a = await fx.initInstance({ qos: '0', retain: 'true' });
    const b = await fx.initInstance({ qos: '2', retain: 'false' });
    const c = fx.connect();
    const ta = fx.topic('iso/a');
    const tb = fx.topic('iso/b');
    fx.trackRetained(ta);
    fx.trackRetained(tb);

    const live = await fx.peer();
    const all = await live.subscribe(fx.topic('iso/+'), 2);
    await a.publish(ta, 'from-a');
    await b.publish(tb, 'from-b');
    await all.waitFor(2);
    const byTopic = new Map(all.messages.map((m) => [m.topic, m]));
    assert.equal(byTopic.get(ta)?.qos, 0, "instance a publishes with its own qos 0");
    assert.equal(byTopic.get(tb)?.qos, 2, "instance b publishes with its own qos 2");

    const late = await fx.peer();
    const retained = await late.subscribe(fx.topic('iso/+'), 2);
    await b.publish(tb, 'marker');
    await retained.waitFor(2);
    assert.deepEqual(
      retained.messages.map((m) => `${m.topic === ta ? 'a' : 'b'}:${text(m)}:${m.retain}`).sort(),
      ['a:from-a:true', 'b:marker:false'],
      'only instance a (retain=true) leaves a retained message',
    );

    await expectGrpcError(c.publish(fx.topic('iso/c'), 'x'), 'FAILED_PRECONDITION');
    await a.ping();
    await b.ping();
  });

  it('Pause and Resume are idempotent; delivery stops while paused and resumes after', async () => {
    const conn = await fx.initInstance();
    const topic = fx.topic('pause');
    const sub = conn.subscribe(topic, {}, ackAll);
    await sub.ready();
    await conn.pause();
    await conn.pause();
    await conn.publish(topic, 'while-paused');
    assert.ok(await staysFalse(() => sub.deliveries.length > 0, 500), 'a message was delivered while paused');
    await conn.resume();
    await conn.resume();
    await sub.waitForAcked(1, { timeoutMs: 5_000 });
    await conn.publish(topic, 'after-resume');
    await sub.waitForAcked(2);
    assertAckedExactlyOnce(sub, ['while-paused', 'after-resume']);
    assertStreamAlive(sub);
    await sub.close();
  });

  it('BulkPublish: every entry arrives and no entry is reported failed', async () => {
    const conn = await fx.initInstance();
    const topic = fx.topic('bulk/ok');
    const sub = conn.subscribe(topic, {}, ackAll);
    await sub.ready();
    const payloads = numbered('bulk', 25);
    const failed = await conn.bulkPublish(
      topic,
      payloads.map((p) => ({ entryId: p, event: p, contentType: 'text/plain' })),
    );
    assert.deepEqual(failed, []);
    await sub.waitForAcked(25);
    assertAckedExactlyOnce(sub, payloads);
    assertStreamAlive(sub);
    await sub.close();
  });

  it('BulkPublish: a bad entry is reported in failedEntries and the others arrive', async () => {
    const conn = await fx.initInstance();
    const topic = fx.topic('bulk/mixed');
    const sub = conn.subscribe(topic, {}, ackAll);
    await sub.ready();
    const failed = await conn.bulkPublish(topic, [
      { entryId: 'good-1', event: 'good-1' },
      { entryId: 'bad', event: 'bad', metadata: { qos: '7' } },
      { entryId: 'good-2', event: 'good-2' },
    ]);
    assert.deepEqual(
      failed.map((f) => f.entryId),
      ['bad'],
      `failedEntries: ${JSON.stringify(failed)}`,
    );
    assert.ok((failed[0]?.error ?? '').length > 0, 'a failed entry must say why');
    await sub.waitForAcked(2);
    assert.deepEqual(payloadsOf(sub.acked), ['good-1', 'good-2']);
    assertStreamAlive(sub);
    await sub.close();
  });

  it('N18: publishing to an empty topic or one with + or # is INVALID_ARGUMENT and keeps the broker link', async () => {
    const conn = await fx.initInstance();
    const topic = fx.topic('n18');
    const sub = conn.subscribe(topic, {}, ackAll);
    await sub.ready();
    for (const bad of ['', fx.topic('a/+/b'), fx.topic('#'), fx.topic('a+b'), fx.topic('x#')]) {
      await expectGrpcError(conn.publish(bad, 'x'), 'INVALID_ARGUMENT', [], `Publish to "${bad}"`);
    }
    await conn.ping();
    await conn.publish(topic, 'still-connected');
    await sub.waitForAcked(1);
    assert.equal(text(sub.acked[0]!), 'still-connected');
    assertStreamAlive(sub);
    await sub.close();
  });
});
