/**
 * N20: a PullMessages stream survives a restart of the bundled broker (same port, same data
 * dir): the component never ends the stream, reconnects underneath it, and messages published
 * after the restart (and one published while the broker was down) arrive on the same stream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { pingOk } from '../helpers/grpc-assert.js';
import { waitUntil } from '../helpers/wait.js';

describe('N20: stream survives a bundled-broker restart', () => {
  let fx: Fixture;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
  });
  after(async () => {
    await fx?.close();
  });

  it('messages before, during and after the restart arrive on the same stream', async (t) => {
    const topic = fx.topic('n20');
    const conn = await fx.initInstance({ keepAlive: '2', publishTimeout: '20s' });
    const sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();

    for (let i = 0; i < 5; i++) await conn.publish(topic, `before-${i}`);
    await sub.waitForAcked(5);

    await fx.stopBroker();
    await waitUntil(async () => !(await pingOk(conn)), () => 'Ping to report the broker down');
    // The app publishes while the broker is down: Publish waits for the link (publishTimeout).
    let duringSettled: 'ok' | string | undefined;
    const during = conn.publish(topic, 'during').then(
      () => (duringSettled = 'ok'),
      (err: Error) => (duringSettled = err.message),
    );
    const restartedAt = Date.now();
    await fx.restartBroker();
    await waitUntil(() => pingOk(conn), () => 'Ping to succeed after the restart', { timeoutMs: 25_000, intervalMs: 50 });
    const pingBackMs = Date.now() - restartedAt;
    await during;
    assert.equal(duringSettled, 'ok', 'the publish made while the broker was down succeeds once it is back');

    for (let i = 0; i < 5; i++) await conn.publish(topic, `after-${i}`);
    const expected = ['during', ...[0, 1, 2, 3, 4].map((i) => `after-${i}`)];
    const got = (): string[] => sub.acked.map((d) => d.data.toString());
    await sub.waitFor(() => expected.every((m) => got().includes(m)), {
      timeoutMs: 25_000,
      what: `messages ${expected.join(',')}`,
    });
    const streamBackMs = Date.now() - restartedAt;
    t.diagnostic(`ping back ${pingBackMs} ms after restart; all post-restart messages on the stream after ${streamBackMs} ms`);
    t.diagnostic(`stream order: ${got().join(',')}`);

    assert.equal(sub.serverEnd, undefined, 'the component must never end the stream');
    // A message acked by the app just before the broker went down may come again (QoS 1: its
    // PUBACK can be lost with the link); it must not be missing. Everything published after
    // the restart, and the one that waited for it, arrives exactly once.
    const before = [0, 1, 2, 3, 4].map((i) => `before-${i}`);
    const dupBefore = before.filter((m) => got().filter((x) => x === m).length > 1);
    t.diagnostic(`pre-restart messages delivered again after the restart: ${dupBefore.length} (${dupBefore.join(',') || 'none'})`);
    for (const m of before) assert.ok(got().includes(m), `${m} delivered`);
    for (const m of expected) assert.equal(got().filter((x) => x === m).length, 1, `${m} delivered exactly once`);
  });
});
