/**
 * The pieces the broker's security is made of, each on its own: scrypt hashes, topic ACL
 * matching with %u/%c, the users file parser (which must never echo a secret), the
 * anonymous-access decision, the env variables, and the packet size scanner.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPasswordHash, hashPassword, parsePasswordHash, verifyPassword } from '../../src/broker/password-hash.js';
import { checkAclPattern, filterCovered, mayPublish, maySubscribe, substitutePattern, topicMatches } from '../../src/broker/topic-acl.js';
import { parseUsersFile } from '../../src/broker/users-file.js';
import { isLoopbackHost, resolveAnonymousAccess } from '../../src/broker/resolve-anonymous-access.js';
import { createPacketSizeScanner, MAX_CONNECT_PACKET_SIZE } from '../../src/broker/guard-packet-size.js';
import { BROKER_LIMIT_DEFAULTS, parseEnv } from '../../src/config/env.js';
import { remainingLength } from './security-fixture.js';

describe('scrypt password hashes', () => {
  test('a hash verifies its password only, and two hashes of one password differ (salted)', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    assert.match(a, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(a, b, 'a random salt per hash');
    assert.equal(await verifyPassword(Buffer.from('correct horse'), parsePasswordHash(a)), true);
    assert.equal(await verifyPassword(Buffer.from('correct horsE'), parsePasswordHash(a)), false);
    assert.equal(await verifyPassword(Buffer.from(''), parsePasswordHash(a)), false);
  });

  test('a cheaper or dearer cost travels with the hash', async () => {
    const cheap = await hashPassword('pw', { ln: 10, r: 8, p: 1 });
    assert.match(cheap, /^\$scrypt\$ln=10,r=8,p=1\$/);
    assert.equal(await verifyPassword(Buffer.from('pw'), parsePasswordHash(cheap)), true);
  });

  test('malformed hashes are refused without echoing them; absurd costs are refused', () => {
    for (const bad of ['plaintext-password', '$scrypt$ln=15,r=8,p=1$c2FsdA', '$2b$10$abcdefghijklmnopqrstuv', '$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g']) {
      const problem = checkPasswordHash(bad);
      assert.ok(problem, `refused: ${bad}`);
      assert.ok(!problem.includes(bad), 'the reason does not echo the value');
      assert.throws(() => parsePasswordHash(bad), (err: Error) => !err.message.includes(bad));
    }
  });
});

describe('topic ACL matching', () => {
  test('publish topics match patterns as MQTT filters, $-topics only by explicit patterns', () => {
    const cases: Array<[string, string, boolean]> = [
      ['orders/#', 'orders', true],
      ['orders/#', 'orders/eu/1', true],
      ['orders/+', 'orders/eu', true],
      ['orders/+', 'orders/eu/1', false],
      ['orders/+', 'orders', false],
      ['+/status', 'dev1/status', true],
      ['#', 'anything/at/all', true],
      ['#', '$SYS/broker/uptime', false],
      ['+/x', '$SYS/x', false],
      ['$SYS/#', '$SYS/broker/uptime', true],
      ['a/b', 'a/b', true],
      ['a/b', 'a/c', false],
      ['a//b', 'a//b', true],
    ];
    for (const [pattern, topic, expected] of cases) assert.equal(topicMatches(pattern, topic), expected, `${pattern} vs ${topic}`);
  });

  test('a subscription filter is allowed only when the pattern covers every topic it can match', () => {
    const cases: Array<[string, string, boolean]> = [
      ['orders/#', 'orders/#', true],
      ['orders/#', 'orders/+/1', true],
      ['orders/#', 'orders', true],
      ['orders/+', 'orders/+', true],
      ['orders/+', 'orders/eu', true],
      ['orders/+', 'orders/#', false],
      ['orders/eu', 'orders/+', false],
      ['orders/+/x', 'orders/+/#', false],
      ['#', '#', true],
      ['#', '+/x', true],
      ['#', '$SYS/#', false],
      ['+/#', '$dapr-state/v1/default/reply/a', false],
      ['$SYS/#', '$SYS/#', true],
      ['a/#', '#', false],
    ];
    for (const [pattern, filter, expected] of cases) assert.equal(filterCovered(pattern, filter), expected, `${pattern} covers ${filter}`);
  });

  test('%u and %c are filled in; a name that would widen the pattern matches nothing', () => {
    const subject = { username: 'alice', clientId: 'dev-1' };
    assert.equal(substitutePattern('users/%u/%c/#', subject), 'users/alice/dev-1/#');
    assert.equal(mayPublish(['devices/%c/#'], subject, 'devices/dev-1/temp'), true);
    assert.equal(mayPublish(['devices/%c/#'], subject, 'devices/dev-2/temp'), false);
    for (const clientId of ['#', '+', 'a/b', '']) {
      assert.equal(substitutePattern('devices/%c/#', { username: 'alice', clientId }), undefined, `client id "${clientId}"`);
      assert.equal(maySubscribe(['devices/%c/#'], { username: 'alice', clientId }, 'devices/#'), false, `client id "${clientId}" cannot widen`);
    }
    assert.equal(maySubscribe(['inbox/%u'], { username: 'x/+', clientId: 'c' }, 'inbox/x/+'), false);
  });

  test('pattern syntax is checked', () => {
    assert.equal(checkAclPattern('a/+/b/#'), undefined);
    assert.ok(checkAclPattern('a/#/b'));
    assert.ok(checkAclPattern('a/b#'));
    assert.ok(checkAclPattern('a+/b'));
    assert.ok(checkAclPattern(''));
  });
});

describe('users file', () => {
  const SECRET = 'hunter2-do-not-print';

  test('parses users, their hashes and their patterns; a missing list allows nothing', async () => {
    const hash = await hashPassword('pw', { ln: 10, r: 8, p: 1 });
    const table = parseUsersFile(
      JSON.stringify({ users: [{ username: 'a', password: hash, publish: ['x/#'] }, { username: 'b', password: hash, subscribe: [] }] }),
      '/etc/users.json',
    );
    assert.deepEqual([...table.keys()], ['a', 'b']);
    assert.deepEqual(table.get('a')?.publish, ['x/#']);
    assert.deepEqual(table.get('a')?.subscribe, []);
    assert.deepEqual(table.get('b')?.publish, []);
  });

  test('errors name the file and the problem, never a password or hash', async () => {
    const hash = await hashPassword('pw', { ln: 10, r: 8, p: 1 });
    const bad: Array<[string, RegExp]> = [
      [`{"users": [{"username": "a", "password": ${SECRET}}]}`, /not valid JSON$/],
      [`{"users": [{"username": "a",\n "password": "${SECRET}" "x"}]}`, /not valid JSON \(line 2, column 37\)$/],
      [JSON.stringify({ users: [{ username: 'a', password: SECRET }] }), /user "a": "password" is not a "\$scrypt/],
      [JSON.stringify({ users: [{ username: 'a', password: hash, subcribe: ['#'] }] }), /unknown key "subcribe"/],
      [JSON.stringify({ users: [{ username: 'a', password: hash }, { username: 'a', password: hash }] }), /user "a" appears twice/],
      [JSON.stringify({ users: [{ username: 'a', password: hash, publish: ['a/#/b'] }] }), /publish pattern "a\/#\/b"/],
      [JSON.stringify({ user: [] }), /"users" list/],
    ];
    for (const [text, expected] of bad) {
      assert.throws(
        () => parseUsersFile(text, '/etc/users.json'),
        (err: Error & { code?: string }) => {
          assert.equal(err.code, 'ERR_CONFIG_INVALID');
          assert.match(err.message, /^MQTT_BROKER_USERS_FILE \/etc\/users\.json: /);
          assert.match(err.message, expected);
          assert.ok(!err.message.includes(SECRET), `no secret in: ${err.message}`);
          assert.ok(!err.message.includes(hash), `no hash in: ${err.message}`);
          return true;
        },
      );
    }
  });
});

describe('anonymous access decision', () => {
  test('loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'broker', 'localhost.example.com', '128.0.0.1']) assert.equal(isLoopbackHost(h), false, h);
  });

  test('anonymous on loopback by default; beyond loopback only when allowed explicitly; never with a users file', () => {
    assert.equal(resolveAnonymousAccess('127.0.0.1', undefined, undefined), true);
    assert.equal(resolveAnonymousAccess('0.0.0.0', undefined, true), true);
    assert.equal(resolveAnonymousAccess('0.0.0.0', '/u.json', undefined), false);
    assert.equal(resolveAnonymousAccess('127.0.0.1', '/u.json', false), false);
    const refused: Array<[string, string | undefined, boolean | undefined, RegExp]> = [
      ['0.0.0.0', undefined, undefined, /accept anyone on 0\.0\.0\.0.*MQTT_BROKER_USERS_FILE.*MQTT_BROKER_ALLOW_ANONYMOUS=true/],
      ['::', undefined, undefined, /MQTT_BROKER_USERS_FILE/],
      ['127.0.0.1', '/u.json', true, /exclude each other/],
      ['127.0.0.1', undefined, false, /needs MQTT_BROKER_USERS_FILE/],
    ];
    for (const [host, file, allow, message] of refused) {
      assert.throws(() => resolveAnonymousAccess(host, file, allow), (err: Error) => message.test(err.message) && !err.message.includes('\n'));
    }
  });
});

describe('environment', () => {
  test('defaults: no users file, no TLS or WebSocket listener, documented limits', () => {
    const env = parseEnv({});
    assert.equal(env.brokerUsersFile, undefined);
    assert.equal(env.brokerAllowAnonymous, undefined);
    assert.equal(env.brokerTlsFiles, undefined);
    assert.equal(env.brokerTlsPort, undefined);
    assert.equal(env.brokerWsPort, undefined);
    assert.equal(env.brokerWssPort, undefined);
    assert.deepEqual(
      { maxPacketSize: env.brokerMaxPacketSize, maxTopicLevels: env.brokerMaxTopicLevels, maxInflight: env.brokerMaxInflight, maxConnections: env.brokerMaxConnections },
      { ...BROKER_LIMIT_DEFAULTS },
    );
    assert.deepEqual({ ...BROKER_LIMIT_DEFAULTS }, { maxPacketSize: 16 * 1024 * 1024, maxTopicLevels: 100, maxInflight: 1024, maxConnections: 1000 });
  });

  test('TLS files give an mqtts listener on 8883 unless told otherwise', () => {
    const files = { MQTT_BROKER_TLS_CERT: '/c.pem', MQTT_BROKER_TLS_KEY: '/k.pem' };
    assert.equal(parseEnv(files).brokerTlsPort, 8883);
    assert.equal(parseEnv({ ...files, MQTT_BROKER_TLS_PORT: '8884' }).brokerTlsPort, 8884);
    assert.equal(parseEnv({ ...files, MQTT_BROKER_TLS_PORT: 'off', MQTT_BROKER_WSS_PORT: '8443' }).brokerTlsPort, undefined);
    assert.deepEqual(parseEnv({ ...files, MQTT_BROKER_TLS_CA: '/ca.pem' }).brokerTlsFiles, { certFile: '/c.pem', keyFile: '/k.pem', caFile: '/ca.pem' });
  });

  test('contradictions and bad values fail naming the variable', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ MQTT_BROKER_TLS_CERT: '/c.pem' }, /MQTT_BROKER_TLS_CERT is set but MQTT_BROKER_TLS_KEY is not/],
      [{ MQTT_BROKER_TLS_KEY: '/k.pem' }, /MQTT_BROKER_TLS_KEY is set but MQTT_BROKER_TLS_CERT is not/],
      [{ MQTT_BROKER_WSS_PORT: '8443' }, /MQTT_BROKER_WSS_PORT needs MQTT_BROKER_TLS_CERT/],
      [{ MQTT_BROKER_TLS_PORT: '8883' }, /MQTT_BROKER_TLS_PORT needs/],
      [{ MQTT_BROKER_TLS_CA: '/ca.pem' }, /MQTT_BROKER_TLS_CA needs/],
      [{ MQTT_BROKER_WS_PORT: 'eighty' }, /MQTT_BROKER_WS_PORT must be a port/],
      [{ MQTT_BROKER_ALLOW_ANONYMOUS: 'yes' }, /MQTT_BROKER_ALLOW_ANONYMOUS must be "true" or "false"/],
      [{ MQTT_BROKER_MAX_TOPIC_LEVELS: '101' }, /MQTT_BROKER_MAX_TOPIC_LEVELS must be a whole number 1-100/],
      [{ MQTT_BROKER_MAX_PACKET_SIZE: '10' }, /MQTT_BROKER_MAX_PACKET_SIZE/],
      [{ MQTT_BROKER_MAX_INFLIGHT: '0' }, /MQTT_BROKER_MAX_INFLIGHT/],
      [{ MQTT_BROKER_MAX_CONNECTIONS: '-1' }, /MQTT_BROKER_MAX_CONNECTIONS/],
    ];
    for (const [env, message] of bad) assert.throws(() => parseEnv(env), message, JSON.stringify(env));
  });
});

describe('packet size scanner', () => {
  const connectOf = (size: number): Buffer => {
    // CONNECT fixed header + body of `size - header` bytes (content is irrelevant to the scanner).
    const body = size - 4;
    return Buffer.concat([Buffer.from([0x10, 0x80 | (body & 0x7f), 0x80 | ((body >> 7) & 0x7f), body >> 14]), Buffer.alloc(body)]);
  };
  const publishHeader = (remaining: number): Buffer => Buffer.concat([Buffer.from([0x30]), remainingLength(remaining)]);

  test('packets within the limit pass, split anywhere across chunks', () => {
    const scan = createPacketSizeScanner(1000);
    const stream = Buffer.concat([connectOf(100), publishHeader(500), Buffer.alloc(500), publishHeader(995 - 2), Buffer.alloc(993)]);
    for (let i = 0; i < stream.length; i += 7) assert.equal(scan(stream.subarray(i, i + 7)), undefined, `chunk at ${i}`);
  });

  test('a packet above the limit is reported as soon as its header is complete', () => {
    const scan = createPacketSizeScanner(1000);
    assert.equal(scan(connectOf(100)), undefined);
    const header = publishHeader(1000);
    assert.equal(scan(header.subarray(0, 2)), undefined, 'header incomplete');
    assert.match(scan(header.subarray(2)) ?? '', /packet of 1003 bytes exceeds MQTT_BROKER_MAX_PACKET_SIZE \(1000 bytes\)/);
  });

  test('the first packet (CONNECT) may not exceed 64 KiB, whatever the limit', () => {
    assert.match(createPacketSizeScanner(16 * 1024 * 1024)(connectOf(MAX_CONNECT_PACKET_SIZE + 1)) ?? '', /first packet of 65537 bytes/);
    assert.equal(createPacketSizeScanner(16 * 1024 * 1024)(connectOf(MAX_CONNECT_PACKET_SIZE)), undefined);
  });

  test('a Remaining Length of more than four bytes is malformed', () => {
    const scan = createPacketSizeScanner(1000);
    assert.match(scan(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01])) ?? '', /malformed/);
  });
});

describe('documentation', () => {
  const root = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);
  const read = async (file: string): Promise<string | undefined> => {
    const { readFile } = await import('node:fs/promises');
    return readFile(new URL(file, root), 'utf8').catch(() => undefined);
  };
  test('the users file example in docs/security.md parses, and every broker security variable has an environment row in docs/configuration.md', async () => {
    const security = (await read('docs/security.md')) ?? '';
    const start = security.indexOf('## Users file');
    assert.ok(start >= 0, 'docs/security.md has a "Users file" section');
    const example = /```json\n([\s\S]*?)```/.exec(security.slice(start))?.[1];
    assert.ok(example, 'a JSON users file example');
    const table = parseUsersFile(example, 'example');
    assert.ok(table.size >= 1);
    const text = (await read('docs/configuration.md')) ?? '';
    for (const name of [
      'MQTT_BROKER_USERS_FILE',
      'MQTT_BROKER_ALLOW_ANONYMOUS',
      'MQTT_BROKER_TLS_CERT',
      'MQTT_BROKER_TLS_KEY',
      'MQTT_BROKER_TLS_CA',
      'MQTT_BROKER_TLS_PORT',
      'MQTT_BROKER_WS_PORT',
      'MQTT_BROKER_WSS_PORT',
      'MQTT_BROKER_MAX_PACKET_SIZE',
      'MQTT_BROKER_MAX_TOPIC_LEVELS',
      'MQTT_BROKER_MAX_INFLIGHT',
      'MQTT_BROKER_MAX_CONNECTIONS',
    ]) {
      assert.match(text, new RegExp(`^\\| [^|\\n]*\`${name}\`[^|\\n]*\\|`, 'm'), `a table row for ${name}`);
    }
    for (const [name, value] of [
      ['MQTT_BROKER_MAX_PACKET_SIZE', BROKER_LIMIT_DEFAULTS.maxPacketSize],
      ['MQTT_BROKER_MAX_TOPIC_LEVELS', BROKER_LIMIT_DEFAULTS.maxTopicLevels],
      ['MQTT_BROKER_MAX_INFLIGHT', BROKER_LIMIT_DEFAULTS.maxInflight],
      ['MQTT_BROKER_MAX_CONNECTIONS', BROKER_LIMIT_DEFAULTS.maxConnections],
    ] as const) {
      assert.match(text, new RegExp(`^\\| \`${name}\` \\| \`${value}\` \\|`, 'm'), `${name} documents its default ${value}`);
    }
  });
});
