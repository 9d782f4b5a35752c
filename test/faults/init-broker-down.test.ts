/**
 * N15: the broker is down when daprd calls Init. Documented behaviour: Init fails within
 * `connectTimeout` (inside daprd's 5 s init timeout) with UNAVAILABLE naming the broker; the
 * failed attempt leaves nothing behind (no client keeps reconnecting); once the broker is up,
 * Init on the same instance succeeds and the component works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { freePort } from '../helpers/broker-process.js';
import { staysFalse } from '../helpers/wait.js';

describe('N15: broker down at Init', () => {
  let fx: Fixture;
  let broker: Broker | undefined;
  let dataDir: string;
  before(async () => {
    fx = await startFixture({ broker: 'mosquitto' });
    dataDir = await mkdtemp(join(tmpdir(), 'dmq-n15-'));
  });
  after(async () => {
    await fx?.close();
    await broker?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails fast with UNAVAILABLE, leaks no reconnecting client, and recovers once the broker is up', async () => {
    const port = await freePort();
    const url = `tcp://127.0.0.1:${port}`;
    const conn = fx.connect('n15');
    const props = { url, consumerID: fx.uid('n15'), connectTimeout: '1s' };

    const started = Date.now();
    const err = await conn.init(props).then(
      () => assert.fail('Init must fail while the broker is down'),
      (e: ServiceError) => e,
    );
    assert.equal(err.code, status.UNAVAILABLE);
    assert.match(err.details, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.ok(Date.now() - started < 4_000, 'answers inside daprd\'s 5 s init timeout');

    // Nothing left behind: a listener on that port sees no reconnect attempt from the failed Init.
    let attempts = 0;
    const listener = net.createServer((s) => {
      attempts += 1;
      s.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
    try {
      assert.ok(await staysFalse(() => attempts > 0, 2_000), 'no client of the failed Init keeps reconnecting');
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
    await assert.rejects(conn.publish(fx.topic('n15'), 'x'), (e: ServiceError) => e.code === status.FAILED_PRECONDITION);

    broker = await startBroker({ port, host: '127.0.0.1', dataDir, logger: createSilentLogger() });
    await conn.init(props);
    const sub = conn.subscribe(fx.topic('n15'), {}, () => {});
    await sub.ready();
    await conn.publish(fx.topic('n15'), 'after');
    await sub.waitFor(() => sub.acked.some((d) => d.data.toString() === 'after'), { what: 'a message after recovery' });
    await conn.ping();
  });
});
