import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePubSubConfig } from '../../src/config/pubsub-config.js';
import { parseEnv } from '../../src/config/env.js';
import { parseDuration } from '../../src/config/duration.js';
import { ComponentError } from '../../src/errors/component-error.js';

const base = { url: 'tcp://127.0.0.1:1883', consumerID: 'app' };

function fails(props: Record<string, string>, code: string, field: string): void {
  assert.throws(
    () => parsePubSubConfig(props),
    (err: unknown) => {
      assert.ok(err instanceof ComponentError);
      assert.equal(err.code, code);
      assert.equal(err.field, field);
      assert.match(err.message, new RegExp(`"${field}"`));
      return true;
    },
  );
}

test('defaults with only url and consumerID; config is frozen', () => {
  const c = parsePubSubConfig(base);
  assert.equal(c.qos, 1);
  assert.equal(c.retain, false);
  assert.equal(c.cleanSession, false);
  assert.equal(c.publishTimeoutMs, 10_000);
  assert.equal(c.connection.transport, 'mqtt');
  assert.equal(c.connection.port, 1883);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.connection));
});

test('every scheme maps to its transport and default port; ws path kept or defaulted', () => {
  const cases: Array<[string, string, number, string | undefined]> = [
    ['tcp://h', 'mqtt', 1883, undefined],
    ['mqtt://h', 'mqtt', 1883, undefined],
    ['tcps://h', 'mqtts', 8883, undefined],
    ['ssl://h', 'mqtts', 8883, undefined],
    ['mqtts://h', 'mqtts', 8883, undefined],
    ['tls://h:9000', 'mqtts', 9000, undefined],
    ['ws://h:8080/mqtt', 'ws', 8080, '/mqtt'],
    ['ws://h:8080', 'ws', 8080, '/mqtt'],
    ['wss://h/custom/path', 'wss', 443, '/custom/path'],
  ];
  for (const [url, transport, port, path] of cases) {
    const c = parsePubSubConfig({ ...base, url }).connection;
    assert.deepEqual([c.transport, c.port, c.path], [transport, port, path], url);
  }
});

test('credentials in the url are percent-decoded; separate fields override them', () => {
  const c = parsePubSubConfig({ ...base, url: 'tcp://us%40er:p%3Ass%2Fw%40rd@h:1883' }).connection;
  assert.equal(c.username, 'us@er');
  assert.equal(c.password, 'p:ss/w@rd');
  assert.ok(!c.displayAddress.includes('p%3A') && !c.displayAddress.includes('p:ss'), 'display address carries no password');
  const d = parsePubSubConfig({ ...base, url: 'tcp://a:b@h', username: 'x', password: 'y' }).connection;
  assert.deepEqual([d.username, d.password], ['x', 'y']);
});

test('missing or invalid values fail with the key named', () => {
  fails({ consumerID: 'a' }, 'ERR_CONFIG_REQUIRED', 'url');
  fails({ url: 'tcp://h' }, 'ERR_CONFIG_REQUIRED', 'consumerID');
  fails({ ...base, url: 'http://h' }, 'ERR_CONFIG_INVALID', 'url');
  fails({ ...base, url: 'not a url' }, 'ERR_CONFIG_INVALID', 'url');
  fails({ ...base, qos: '3' }, 'ERR_CONFIG_INVALID', 'qos');
  fails({ ...base, qos: '-1' }, 'ERR_CONFIG_INVALID', 'qos');
  fails({ ...base, qos: 'one' }, 'ERR_CONFIG_INVALID', 'qos');
  fails({ ...base, retain: 'maybe' }, 'ERR_CONFIG_INVALID', 'retain');
  fails({ ...base, cleanSession: 'x' }, 'ERR_CONFIG_INVALID', 'cleanSession');
  fails({ ...base, publishTimeout: 'soon' }, 'ERR_CONFIG_INVALID', 'publishTimeout');
  fails({ ...base, keepAlive: '0' }, 'ERR_CONFIG_INVALID', 'keepAlive');
  fails({ ...base, url: 'mqtts://h', caCert: 'not a pem' }, 'ERR_CONFIG_INVALID', 'caCert');
  fails({ ...base, url: 'mqtts://h', clientKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }, 'ERR_CONFIG_INVALID', 'clientKey');
});

test('the error for a bad password-bearing url never echoes the url', () => {
  try {
    parsePubSubConfig({ ...base, url: 'http://user:s3cret@h' });
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(!(err as Error).message.includes('s3cret'));
  }
});

test('durations', () => {
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('5s'), 5000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1500'), 1500);
  assert.equal(parseDuration('5 seconds'), undefined);
});

test('environment: socket folder precedence, defaults, and named errors', () => {
  assert.equal(parseEnv({}).socketFolder, '/tmp/dapr-components-sockets');
  assert.equal(parseEnv({ DAPR_COMPONENT_SOCKETS_FOLDER: '/b' }).socketFolder, '/b');
  assert.equal(parseEnv({ DAPR_COMPONENTS_SOCKETS_FOLDER: '/a', DAPR_COMPONENT_SOCKETS_FOLDER: '/b' }).socketFolder, '/a');
  const e = parseEnv({});
  assert.deepEqual([e.socketName, e.broker, e.brokerPort, e.brokerDataDir], ['mqtt-pluggable', 'embedded', 1883, './data']);
  assert.throws(() => parseEnv({ MQTT_BROKER: 'maybe' }), /MQTT_BROKER/);
  assert.throws(() => parseEnv({ MQTT_BROKER_PORT: '70000' }), /MQTT_BROKER_PORT/);
  assert.throws(() => parseEnv({ MQTT_SOCKET_NAME: '../x' }), /MQTT_SOCKET_NAME/);
});
