// The state services on the socket: reflection lists all four, and hostile bytes on every
// state RPC get a clear gRPC error while the component keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { discoverServices, STATE_SERVICES } from '../helpers/daprd-harness.js';
import { randomId } from '../helpers/component-fixture.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { startStateFixture, type StateFixture } from '../helpers/state-fixture.js';
import type { StateConnection } from '../helpers/state-harness.js';

const RPCS: Array<[string, string]> = [
  ['StateStore', 'Get'],
  ['StateStore', 'Set'],
  ['StateStore', 'Delete'],
  ['StateStore', 'BulkGet'],
  ['StateStore', 'BulkSet'],
  ['StateStore', 'BulkDelete'],
  ['StateStore', 'Init'],
  ['TransactionalStateStore', 'Transact'],
  ['QueriableStateStore', 'Query'],
];

/** Sends `bytes` as the request of `/dapr.proto.components.v1.<service>/<method>`, unencoded. */
function rawCall(socketPath: string, instance: string, service: string, method: string, bytes: Buffer): Promise<{ code: number; details: string }> {
  const client = new grpc.Client(`unix:${socketPath}`, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  md.set('x-component-instance', instance);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      `/dapr.proto.components.v1.${service}/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      md,
      { deadline: Date.now() + 10_000 },
      (err) => {
        client.close();
        resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' });
      },
    );
  });
}

describe('state gRPC surface (bundled broker)', () => {
  let fx: StateFixture;
  let store: StateConnection;
  before(async () => {
    fx = await startStateFixture('bundled');
    store = await fx.initInstance({}, randomId('surface'));
  });
  after(async () => {
    await fx?.close();
  });

  it('reflection lists the four state services daprd looks for', async () => {
    const services = await discoverServices(fx.socketPath, { version: 'v1alpha' });
    for (const s of STATE_SERVICES) assert.ok(services.includes(s), `${s} listed`);
  });

  it('garbage and truncated protobuf on every state RPC: a clear error, never a crash; the store keeps serving', async () => {
    const garbage = [Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), Buffer.from([0x12, 0x05, 0x01]), Buffer.from('\u00ff'.repeat(64), 'latin1')];
    for (const [service, method] of RPCS) {
      for (const bytes of garbage) {
        const res = await rawCall(fx.socketPath, store.instance, service, method, bytes);
        assert.notEqual(res.code, grpc.status.OK, `${service}/${method} with ${bytes.toString('hex')} must fail`);
        assert.ok(
          [grpc.status.INVALID_ARGUMENT, grpc.status.INTERNAL].includes(res.code),
          `${service}/${method}: INVALID_ARGUMENT or INTERNAL, got ${res.code}: ${res.details}`,
        );
        assert.ok(res.details.length > 0, `${service}/${method}: a message`);
      }
    }
    const k = `app||${randomId('after')}`;
    await store.set(k, '"still here"');
    assert.equal((await store.get(k)).data?.toString(), '"still here"');
  });

  it('an empty key, a huge metadata map and a key of 64 KiB get answers, not crashes', async () => {
    await expectGrpcError(store.set('', '"x"'), 'INVALID_ARGUMENT', ['key'], 'Set with an empty key');
    const metadata: Record<string, string> = {};
    for (let i = 0; i < 5_000; i += 1) metadata[`m${i}`] = 'x'.repeat(20);
    await store.set(`app||${randomId('meta')}`, '"ok"', { metadata });
    const bigKey = `app||${'k'.repeat(64 * 1024)}`;
    await store.set(bigKey, '"big key"');
    assert.equal((await store.get(bigKey)).data?.toString(), '"big key"');
  });

  it('calls for an instance that was never initialized fail with FAILED_PRECONDITION naming Init', async () => {
    for (const [service, method] of RPCS.filter(([, m]) => m !== 'Init')) {
      const res = await rawCall(fx.socketPath, randomId('nobody'), service, method, Buffer.alloc(0));
      assert.equal(res.code, grpc.status.FAILED_PRECONDITION, `${service}/${method}: ${res.details}`);
      assert.match(res.details, /Init/);
    }
  });
});
