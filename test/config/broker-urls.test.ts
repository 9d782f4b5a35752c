import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBrokerUrls } from '../../src/config/broker-urls.js';
import { applyServer, rotatingServers } from '../../src/mqtt/server-list.js';
import { ComponentError } from '../../src/errors/component-error.js';

function invalid(text: string): ComponentError {
  try {
    parseBrokerUrls(text);
  } catch (err) {
    assert.ok(err instanceof ComponentError, String(err));
    return err;
  }
  assert.fail(`"${text}" was accepted`);
}

test('one url: as before (scheme defaults, ws path, percent-decoded credentials)', () => {
  const one = parseBrokerUrls('ws://us%40r:p%2Fw@broker:9001');
  assert.deepEqual(
    one.servers.map((s) => [s.transport, s.host, s.port, s.path, s.displayAddress]),
    [['ws', 'broker', 9001, '/mqtt', 'ws://broker:9001/']],
  );
  assert.equal(one.username, 'us@r');
  assert.equal(one.password, 'p/w');
  assert.equal(parseBrokerUrls('tcps://b').servers[0]!.port, 8883);
});

test('a comma-separated list keeps its order; spaces around entries are fine', () => {
  const list = parseBrokerUrls('tcp://a:1883, tcp://b:1884 ,mqtt://[::1]:1885');
  assert.deepEqual(list.servers.map((s) => `${s.host}:${s.port}`), ['a:1883', 'b:1884', '::1:1885']);
  assert.equal(list.tls, false);
  assert.equal(parseBrokerUrls('mqtts://a,wss://b/mqtt').tls, true);
});

test('every entry follows the same rules; errors name url and the entry, never a password', () => {
  for (const text of ['tcp://a,', 'tcp://a,,tcp://b', 'tcp://a,http://b', 'tcp://a,tcp://', 'tcp://a,not a url', 'tcp://a,mqtts://b', 'tcp://u:S3cretOne@a,tcp://u:S3cretTwo@b']) {
    const err = invalid(text);
    assert.equal(err.field, 'url', text);
    assert.equal(err.status, 'INVALID_ARGUMENT', text);
    assert.ok(!err.message.includes('S3cret'), `${text}: ${err.message}`);
  }
  assert.match(invalid('tcp://a,http://b').message, /entry 2 of 2/);
  assert.equal(parseBrokerUrls('tcp://u:p@a,tcp://b').username, 'u', 'credentials on one entry apply to all');
});

test('rotation: every new attempt goes to the next broker, wrapping around, with that broker\'s TLS name and ws path', () => {
  const { servers } = parseBrokerUrls('wss://one.example:443/a,wss://10.0.0.2:443,wss://three.example:8443/c');
  assert.equal(rotatingServers(servers.slice(0, 1)), undefined, 'one broker: nothing to rotate');
  const chooser = rotatingServers(servers)!;
  const options: Record<string, unknown> = {};
  const seen: unknown[] = [];
  for (let i = 0; i < 4; i++) {
    applyServer(options, chooser.next(0));
    seen.push([options.host, options.port, options.path, options.servername]);
  }
  assert.deepEqual(seen, [
    ['10.0.0.2', 443, '/mqtt', undefined],
    ['three.example', 8443, '/c', 'three.example'],
    ['one.example', 443, '/a', 'one.example'],
    ['10.0.0.2', 443, '/mqtt', undefined],
  ]);
});
