/**
 * The bundled broker's TLS (mqtts) and WebSocket (ws, wss on /mqtt) listeners, with real
 * certificates from a throwaway CA (test/helpers/tls-certs.ts) and real MQTT.js clients, all on
 * 127.0.0.1 ports picked by the kernel. Authentication, ACLs and limits hold on every listener;
 * bad certificate files stop startup naming the variable and never print the key.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { createTestPki, type TestPki } from '../helpers/tls-certs.js';
import { captureLogger, closed, endAll, grantOf, mustConnect, removeTempDirs, tempDir, tryConnect, within, writeUsersFile } from './security-fixture.js';

const USER = { username: 'edge', password: 'edge-pw-4471', publish: ['t/#'], subscribe: ['t/#'] };

describe('TLS and WebSocket listeners', () => {
  let pki: TestPki;
  let broker: Broker;
  let capture: ReturnType<typeof captureLogger>;
  const creds = { username: USER.username, password: USER.password };

  before(async () => {
    pki = await createTestPki();
    const dir = await tempDir('transports');
    const usersFile = await writeUsersFile(dir, [USER]);
    capture = captureLogger('debug');
    broker = await startBroker({
      port: 0,
      host: '127.0.0.1',
      dataDir: path.join(dir, 'data'),
      logger: capture.logger,
      security: {
        usersFile,
        tls: { certFile: pki.server.certPath, keyFile: pki.server.keyPath },
        tlsPort: 0,
        wsPort: 0,
        wssPort: 0,
        limits: { maxPacketSize: 2048, maxConnections: 4 },
      },
    });
  });
  after(async () => {
    await broker?.close();
    await pki?.cleanup();
    await removeTempDirs();
  });

  test('every listener is bound and reported', () => {
    const { ports } = broker;
    assert.equal(ports.mqtt, broker.port);
    for (const name of ['mqtts', 'ws', 'wss'] as const) assert.ok(Number.isInteger(ports[name]) && ports[name]! > 0, `${name}: ${ports[name]}`);
    const listening = capture.parsed().find((l) => l.msg === 'broker listening');
    assert.deepEqual(listening?.ports, { ...ports });
    assert.equal(listening?.authentication, 'users file');
  });

  test('a message crosses all four transports, each logged in as the user', async () => {
    const urls = {
      mqtt: `mqtt://127.0.0.1:${broker.ports.mqtt}`,
      mqtts: `mqtts://localhost:${broker.ports.mqtts}`,
      ws: `ws://127.0.0.1:${broker.ports.ws}/mqtt`,
      wss: `wss://localhost:${broker.ports.wss}/mqtt`,
    };
    const clients = await Promise.all(
      Object.entries(urls).map(([name, url]) => mustConnect({ url, clientId: `x-${name}`, ...creds, ca: pki.ca.cert })),
    );
    try {
      const got = new Map<string, string[]>();
      for (const [i, c] of clients.entries()) {
        const name = Object.keys(urls)[i]!;
        got.set(name, []);
        c.on('message', (topic) => got.get(name)!.push(topic));
        assert.equal(await grantOf(c, 't/#'), 1);
      }
      for (const [i, c] of clients.entries()) await c.publishAsync(`t/from-${Object.keys(urls)[i]}`, 'x', { qos: 1 });
      await within(
        (async () => {
          while ([...got.values()].some((topics) => topics.length < 4)) await new Promise((r) => setTimeout(r, 10));
        })(),
        'each client gets the four messages',
      );
      for (const [name, topics] of got) assert.deepEqual([...topics].sort(), ['t/from-mqtt', 't/from-mqtts', 't/from-ws', 't/from-wss'], name);
    } finally {
      await endAll(...clients);
    }
  });

  test('authentication holds on every listener: a wrong password gets CONNACK 4, no credentials CONNACK 5', async () => {
    for (const url of [`mqtts://localhost:${broker.ports.mqtts}`, `ws://127.0.0.1:${broker.ports.ws}/mqtt`, `wss://localhost:${broker.ports.wss}/mqtt`]) {
      const wrong = await tryConnect({ url, clientId: 'wrong', username: USER.username, password: 'nope', ca: pki.ca.cert });
      assert.equal(!wrong.ok && wrong.code, 4, `${url}: wrong password`);
      const none = await tryConnect({ url, clientId: 'none', ca: pki.ca.cert });
      assert.equal(!none.ok && none.code, 5, `${url}: no credentials`);
    }
  });

  test('mqtts: a client that does not trust the CA, or expects another host name, cannot connect', async () => {
    const untrusted = await tryConnect({ url: `mqtts://localhost:${broker.ports.mqtts}`, clientId: 'untrusted', ...creds });
    assert.equal(untrusted.ok, false);
    assert.match(!untrusted.ok ? String(untrusted.code) : '', /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    const wrongHost = await tryConnect({ url: `mqtts://localhost:${broker.ports.mqtts}`, clientId: 'wrong-host', ...creds, ca: pki.ca.cert, servername: 'other.example' });
    assert.equal(wrongHost.ok, false);
  });

  test('WebSocket: only /mqtt upgrades; any other path or a plain request gets 404', async () => {
    const wrongPath = await tryConnect({ url: `ws://127.0.0.1:${broker.ports.ws}/not-mqtt`, clientId: 'wrong-path', ...creds });
    assert.equal(wrongPath.ok, false);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request({ host: '127.0.0.1', port: broker.ports.ws, path: '/mqtt' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(status, 404, 'a plain GET is not served');
  });

  test('limits hold over WebSocket: an oversized packet ends that connection', async () => {
    const client = await mustConnect({ url: `ws://127.0.0.1:${broker.ports.ws}/mqtt`, clientId: 'ws-big', ...creds });
    const gone = closed(client);
    client.publish('t/big', Buffer.alloc(4096), { qos: 1 }, () => {});
    await within(gone, 'disconnected');
    await endAll(client);
    assert.ok(capture.parsed().some((l) => l.clientId === 'ws-big' && String(l.error).includes('MQTT_BROKER_MAX_PACKET_SIZE')));
  });

  test('the connection limit counts every listener together', async () => {
    // Wait until earlier tests' connections have left the count.
    const open: Awaited<ReturnType<typeof mustConnect>>[] = [];
    try {
      const targets = [`mqtt://127.0.0.1:${broker.ports.mqtt}`, `mqtts://localhost:${broker.ports.mqtts}`, `ws://127.0.0.1:${broker.ports.ws}/mqtt`, `wss://localhost:${broker.ports.wss}/mqtt`];
      for (const [i, url] of targets.entries()) {
        for (let attempt = 0; ; attempt++) {
          const a = await tryConnect({ url, clientId: `count-${i}`, ...creds, ca: pki.ca.cert });
          if (a.ok) {
            open.push(a.client);
            break;
          }
          if (attempt > 100) throw new Error(`${url}: ${a.message}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      for (const url of targets) {
        const fifth = await tryConnect({ url, clientId: 'count-over', ...creds, ca: pki.ca.cert });
        assert.equal(!fifth.ok && fifth.code, 3, `${url}: the fifth connection, whichever listener, is refused`);
      }
    } finally {
      await endAll(...open);
    }
  });
});

describe('mutual TLS (MQTT_BROKER_TLS_CA)', () => {
  let pki: TestPki;
  let broker: Broker;
  before(async () => {
    pki = await createTestPki();
    broker = await startBroker({
      port: 0,
      host: '127.0.0.1',
      dataDir: path.join(await tempDir('mtls'), 'data'),
      logger: createSilentLogger(),
      security: { tls: { certFile: pki.server.certPath, keyFile: pki.server.keyPath, caFile: pki.ca.certPath }, tlsPort: 0, wssPort: 0 },
    });
  });
  after(async () => {
    await broker?.close();
    await pki?.cleanup();
    await removeTempDirs();
  });

  test('a client certificate from the CA is required on mqtts and wss; none, or one from another CA, is refused', async () => {
    for (const url of [`mqtts://localhost:${broker.ports.mqtts}`, `wss://localhost:${broker.ports.wss}/mqtt`]) {
      const good = await mustConnect({ url, clientId: 'mtls-good', ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key });
      await endAll(good);
      const none = await tryConnect({ url, clientId: 'mtls-none', ca: pki.ca.cert });
      assert.equal(none.ok, false, `${url}: no client certificate`);
      const other = await tryConnect({ url, clientId: 'mtls-other', ca: pki.ca.cert, cert: pki.untrustedClient.cert, key: pki.untrustedClient.key });
      assert.equal(other.ok, false, `${url}: a certificate from another CA`);
    }
  });
});

describe('TLS files that cannot be used', () => {
  let pki: TestPki;
  before(async () => {
    pki = await createTestPki();
  });
  after(async () => {
    await pki?.cleanup();
    await removeTempDirs();
  });

  /** Starts (and, should it start, at once stops) a broker with these files. */
  const start = async (tls: { certFile: string; keyFile: string; caFile?: string }): Promise<void> => {
    const broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: path.join(await tempDir('badtls'), 'data'), logger: createSilentLogger(), security: { tls, tlsPort: 0 } });
    await broker.close();
  };

  test('missing, garbled or mismatched files stop startup naming the variable, never printing the key', async () => {
    const dir = await tempDir('badpem');
    const garbled = path.join(dir, 'garbled.pem');
    await writeFile(garbled, 'not a pem at all');
    const keyText = await readFile(pki.server.keyPath, 'utf8');
    const keyBody = keyText.split('\n')[1]!;
    const cases: Array<[{ certFile: string; keyFile: string; caFile?: string }, RegExp]> = [
      [{ certFile: path.join(dir, 'missing.crt'), keyFile: pki.server.keyPath }, /cannot read MQTT_BROKER_TLS_CERT .*missing\.crt \(ENOENT\)/],
      [{ certFile: pki.server.certPath, keyFile: garbled }, /MQTT_BROKER_TLS_KEY .*garbled\.pem is not a usable PEM private key/],
      [{ certFile: garbled, keyFile: pki.server.keyPath }, /MQTT_BROKER_TLS_CERT .*garbled\.pem is not a usable PEM certificate/],
      [{ certFile: pki.server.certPath, keyFile: pki.client.keyPath }, /MQTT_BROKER_TLS_KEY .* is not a usable PEM private key for MQTT_BROKER_TLS_CERT/],
      [{ certFile: pki.server.certPath, keyFile: pki.server.keyPath, caFile: garbled }, /MQTT_BROKER_TLS_CA .*garbled\.pem is not a usable PEM certificate/],
      [{ certFile: pki.server.keyPath, keyFile: pki.server.keyPath }, /MQTT_BROKER_TLS_CERT/],
    ];
    for (const [tls, message] of cases) {
      await assert.rejects(start(tls), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ERR_BROKER_START', err.message);
        assert.match(err.message, message);
        assert.ok(!err.message.includes(keyBody), 'no key material in the message');
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
    }
  });

  test('an mqtts or wss port without TLS files is refused', async () => {
    await assert.rejects(
      startBroker({ port: 0, host: '127.0.0.1', dataDir: path.join(await tempDir('notls'), 'data'), logger: createSilentLogger(), security: { wssPort: 0 } }),
      /need MQTT_BROKER_TLS_CERT and MQTT_BROKER_TLS_KEY/,
    );
  });
});
