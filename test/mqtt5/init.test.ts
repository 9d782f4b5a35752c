/**
 * MQTT 5 mode at Init: `protocolVersion` and `sessionExpiryInterval` are parsed and mapped as
 * documented, and MQTT 5 against the bundled broker (Aedes, MQTT 3.1.1 only) fails Init at once
 * with a clear error, for pub/sub and for the state store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parsePubSubConfig } from '../../src/config/pubsub-config.js';
import { parseStateConfig } from '../../src/config/state-config.js';
import { toClientOptions } from '../../src/mqtt/client-options.js';
import { randomId, startFixture, type Fixture } from '../helpers/component-fixture.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { connectState } from '../helpers/state-harness.js';

const base = { url: 'tcp://127.0.0.1:1883', consumerID: 'app' };

describe('MQTT 5 metadata', () => {
  it('protocolVersion defaults to 4, accepts 5 for pub/sub and state, and refuses anything else naming the key', () => {
    assert.equal(parsePubSubConfig(base).connection.protocolVersion, 4);
    assert.equal(parsePubSubConfig({ ...base, protocolVersion: '5' }).connection.protocolVersion, 5);
    assert.equal(parseStateConfig({ url: base.url, protocolVersion: '5' }).connection.protocolVersion, 5);
    for (const bad of ['3', '6', 'v5', '5.0']) {
      assert.throws(() => parsePubSubConfig({ ...base, protocolVersion: bad }), /"protocolVersion"/, `protocolVersion ${bad}`);
      assert.throws(() => parseStateConfig({ url: base.url, protocolVersion: bad }), /"protocolVersion"/, `state protocolVersion ${bad}`);
    }
  });

  it('sessionExpiryInterval: given with protocolVersion 4 is INVALID_ARGUMENT naming it; out of range is refused', () => {
    assert.throws(() => parsePubSubConfig({ ...base, sessionExpiryInterval: '60' }), (err: Error & { status?: string; field?: string }) => {
      assert.equal(err.status, 'INVALID_ARGUMENT');
      assert.equal(err.field, 'sessionExpiryInterval');
      assert.match(err.message, /sessionExpiryInterval.*protocolVersion 5/);
      return true;
    });
    for (const bad of ['-1', '4294967296', '1.5', 'soon']) {
      assert.throws(() => parsePubSubConfig({ ...base, protocolVersion: '5', sessionExpiryInterval: bad }), /"sessionExpiryInterval"/, bad);
    }
  });

  it('sessionExpiryInterval replaces cleanSession in v5: the documented mapping reaches the CONNECT properties', () => {
    const connect = (props: Record<string, string>) => {
      const c = parsePubSubConfig({ ...base, protocolVersion: '5', ...props });
      const expiry = c.sessionExpiryInterval as number;
      // What the subscription connection is opened with (pubsub-component.ts).
      const options = toClientOptions(c.connection, 'sub', expiry === 0, expiry);
      return { clean: options.clean, expiry: options.properties?.sessionExpiryInterval, version: options.protocolVersion };
    };
    assert.deepEqual(connect({}), { clean: false, expiry: 0xffffffff, version: 5 }, 'cleanSession=false (default) → never expires');
    assert.deepEqual(connect({ cleanSession: 'true' }), { clean: true, expiry: 0, version: 5 }, 'cleanSession=true → 0');
    assert.deepEqual(connect({ sessionExpiryInterval: '90' }), { clean: false, expiry: 90, version: 5 }, 'explicit value wins');
    assert.deepEqual(connect({ cleanSession: 'true', sessionExpiryInterval: '90' }), { clean: false, expiry: 90, version: 5 }, 'explicit value wins over cleanSession');
    assert.deepEqual(connect({ sessionExpiryInterval: '0' }), { clean: true, expiry: 0, version: 5 });
    // MQTT 3.1.1: no properties at all, Clean Session as configured.
    const v4 = toClientOptions(parsePubSubConfig(base).connection, 'sub', false);
    assert.equal(v4.protocolVersion, 4);
    assert.equal(v4.properties, undefined);
  });
});

describe('MQTT 5 against the bundled broker (MQTT 3.1.1 only)', () => {
  let fx: Fixture;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
  });
  after(async () => {
    await fx?.close();
  });

  it('pub/sub Init fails at once with FAILED_PRECONDITION saying the broker does not support MQTT 5; v4 still works', async () => {
    const started = Date.now();
    await expectGrpcError(
      fx.connect().init({ url: fx.brokerUrl, consumerID: randomId('v5'), protocolVersion: '5', connectTimeout: '4s' }),
      'FAILED_PRECONDITION',
      ['the broker does not support MQTT 5', 'protocolVersion'],
      'Init with protocolVersion 5 on Aedes',
    );
    assert.ok(Date.now() - started < 2_000, `answered in ${Date.now() - started} ms, not after connectTimeout`);
    const v4 = await fx.initInstance({ protocolVersion: '4' });
    await v4.ping();
  });

  it('state store Init fails the same way', async () => {
    const store = connectState(fx.socketPath, randomId('store'));
    try {
      const started = Date.now();
      await expectGrpcError(store.init({ url: fx.brokerUrl, protocolVersion: '5' }), 'FAILED_PRECONDITION', ['the broker does not support MQTT 5'], 'state Init with protocolVersion 5 on Aedes');
      assert.ok(Date.now() - started < 2_000, `answered in ${Date.now() - started} ms`);
    } finally {
      store.close();
    }
  });
});
