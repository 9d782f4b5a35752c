// R2: Ping reflects the broker connection; a publish while the broker is unreachable fails with
// UNAVAILABLE after publishTimeout; both recover when the broker is back. Bundled broker only
// (it is the one a test may stop), with a fixture of its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import type { PubSubConnection } from '../helpers/daprd-harness.js';
import { expectGrpcError, grpcCodeName } from '../helpers/grpc-assert.js';
import { waitUntil } from '../helpers/wait.js';

describe('R2: broker connection loss (bundled broker)', () => {
  let fx: Fixture;
  let conn: PubSubConnection;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
    conn = await fx.initInstance({ publishTimeout: '500ms', keepAlive: '2' });
  });
  after(async () => {
    await fx?.close();
  });

  it('Ping answers while the broker is connected', async () => {
    await conn.ping();
  });

  it('after the broker is closed, Ping fails with UNAVAILABLE', async () => {
    await fx.stopBroker();
    let last: unknown;
    await waitUntil(
      async () => {
        last = await conn.ping().then(
          () => undefined,
          (err: unknown) => err,
        );
        return last !== undefined;
      },
      () => 'Ping to fail after the broker was closed',
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    assert.equal(grpcCodeName(last), 'UNAVAILABLE', `Ping failed with ${String(last)}`);
  });

  it('a publish while the broker is unreachable fails with UNAVAILABLE after publishTimeout', async () => {
    const start = Date.now();
    await expectGrpcError(conn.publish(fx.topic('r2/down'), 'x'), 'UNAVAILABLE');
    const elapsed = Date.now() - start;
    assert.ok(elapsed < 5_000, `UNAVAILABLE took ${elapsed} ms with publishTimeout 500ms`);
  });

  it('when the broker is back, Ping and Publish recover', async () => {
    await fx.restartBroker();
    await waitUntil(
      () => conn.ping().then(
        () => true,
        () => false,
      ),
      () => 'Ping to succeed after the broker restarted',
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await conn.publish(fx.topic('r2/up'), 'x');
  });
});
