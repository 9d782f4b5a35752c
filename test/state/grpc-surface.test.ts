// The state services on the socket: reflection lists all four, and hostile bytes on every
// state RPC get a clear gRPC error while the component keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { discoverServices, STATE_SERVICES } from '../helpers/daprd-harness.js';
import { randomId } from '../helpers/component-fixture.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { startStateFixture, type StateFixture } from '../helpers/state-fixture.js';
import { rawUnary } from '../helpers/grpc-fuzz.js';
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

describe('state gRPC surface (bundled broker)', () => {
  let fx: StateFixture;
  let store: StateConnection;
  let client: grpc.Client;
  before(async () => {
    fx = await startStateFixture('bundled');
    store = await fx.initInstance({}, randomId('surface'));
    client = new grpc.Client(`unix:${fx.socketPath}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
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
        const res = await rawUnary(client, store.instance, service, method, bytes, 10_000);
        assert.notEqual(res.code, grpc.status.OK, `${service}/${method} with ${bytes.toString('hex')} must fail`);
        // Bad input is the caller's fault: never INTERNAL (grpc-js's own answer to undecodable bytes).
        assert.equal(res.code, grpc.status.INVALID_ARGUMENT, `${service}/${method}: INVALID_ARGUMENT, got ${res.code}: ${res.details}`);
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
      const res = await rawUnary(client, randomId('nobody'), service, method, Buffer.alloc(0), 10_000);
      assert.equal(res.code, grpc.status.FAILED_PRECONDITION, `${service}/${method}: ${res.details}`);
      assert.match(res.details, /Init/);
    }
  });
});
