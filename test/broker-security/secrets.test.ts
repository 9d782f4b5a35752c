/**
 * Item 5 of issue 7: passwords, tokens, private keys and credentials in URLs never reach a log
 * line, stderr, or a gRPC error. Real processes only: the bundled broker (users file, TLS, log
 * level trace), the component (MQTT_BROKER=off, trace) driven like daprd over its socket, and
 * the standalone state service. Secrets go in through env and metadata; failures are driven on
 * purpose (wrong passwords, unreachable brokers, bad keys, bad URLs); then every byte the
 * processes wrote and every gRPC error (message and status details) is searched for each
 * secret, raw, URL-encoded and base64. Also: the socket file is 0666 and the data folders 0700.
 */
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ServiceError } from '@grpc/grpc-js';
import { createTestPki, type TestPki } from '../helpers/tls-certs.js';
import { startComponentProcess, type ComponentProcess } from '../helpers/component-process.js';
import { connectPubSub, type PubSubConnection } from '../helpers/daprd-harness.js';
import { connectState } from '../helpers/state-harness.js';
import { freePort } from '../helpers/broker-process.js';
import { hashPassword } from '../../src/broker/password-hash.js';
import { listeningPorts, removeTempDirs, spawnMain, tempDir, waitForOutput, within, type Child } from './security-fixture.js';

/** Every secret handed to the processes, and a label for failure messages. */
const SECRETS = {
  brokerUserPassword: 'Brk-user-pw-7c1f0e9a',
  wrongPasswordInUrl: 'Url-wrong-pw-c0ffee42',
  wrongPasswordMetadata: 'Meta-wrong-pw-1badd00d',
  specialPassword: 'p@ss:w/rd%?#&=+ 9f3a',
  tlsWrongPassword: 'Tls-wrong-pw-5eed5eed',
  unreachablePassword: 'Unreach-pw-0ddba11a',
  badSchemePassword: 'Scheme-pw-feedface',
  statePassword: 'State-wrong-pw-abad1dea',
  stateServicePassword: 'StateSvc-env-pw-77e1d2c3',
  stateServiceUrlPassword: 'StateSvc-url-pw-3c4d5e6f',
  fakeKeyMaterial: 'SECRETKEYMATERIALdeadbeefcafebabe0123456789',
};

function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), JSON.stringify(secret).slice(1, -1)];
}

/** The gRPC error as daprd sees it: message, details, and the binary status details. */
function grpcErrorText(err: unknown): string {
  const e = err as Partial<ServiceError>;
  const bins = (e.metadata?.get('grpc-status-details-bin') ?? []).map((v) => Buffer.from(v as Buffer).toString('latin1'));
  return [e.message ?? String(err), e.details ?? '', ...bins].join('\n');
}

describe('no secret in logs, stderr or gRPC errors (real processes)', () => {
  let pki: TestPki;
  let broker: Child;
  let component: ComponentProcess;
  let ports: { mqtt: number; mqtts?: number };
  let passwordHash: string;
  let dataDir: string;
  const grpcErrors: Array<{ what: string; text: string; code: number | undefined }> = [];
  const children: Child[] = [];
  const connections: Array<{ close(): unknown }> = [];

  /** Init that must fail: records the gRPC error's code and text. */
  async function failingInit(what: string, init: () => Promise<void>): Promise<number | undefined> {
    try {
      await init();
    } catch (err) {
      grpcErrors.push({ what, text: grpcErrorText(err), code: (err as ServiceError).code });
      return (err as ServiceError).code;
    }
    assert.fail(`${what}: Init succeeded`);
  }
  const pubsub = (name: string): PubSubConnection => {
    const c = connectPubSub(component.socketPath, name);
    connections.push(c);
    return c;
  };

  before(async () => {
    pki = await createTestPki();
    const dir = await tempDir('secrets');
    dataDir = path.join(dir, 'data');
    passwordHash = await hashPassword(SECRETS.brokerUserPassword);
    const usersFile = path.join(dir, 'users.json');
    await writeFile(usersFile, JSON.stringify({ users: [{ username: 'svc', password: passwordHash, publish: ['#'], subscribe: ['#'] }] }), { mode: 0o600 });
    broker = spawnMain(['broker'], {
      LOG_LEVEL: 'trace',
      MQTT_BROKER_HOST: '127.0.0.1',
      MQTT_BROKER_PORT: '0',
      MQTT_BROKER_DATA: dataDir,
      MQTT_BROKER_USERS_FILE: usersFile,
      MQTT_BROKER_TLS_CERT: pki.server.certPath,
      MQTT_BROKER_TLS_KEY: pki.server.keyPath,
      MQTT_BROKER_TLS_PORT: '0',
    });
    children.push(broker);
    await waitForOutput(broker, (out) => listeningPorts(out) !== undefined, 'broker listening');
    ports = listeningPorts(broker.stdout())!;
    component = await startComponentProcess({ env: { LOG_LEVEL: 'trace', MQTT_BROKER: 'off' } });
  });

  after(async () => {
    for (const c of connections) await c.close();
    await component?.cleanup();
    await Promise.all(children.map((c) => c.stop()));
    await pki?.cleanup();
    await removeTempDirs();
  });

  test('the socket file is 0666 (daprd may run as another user); the data folders are 0700', async () => {
    const socketMode = (await stat(component.socketPath)).mode & 0o777;
    assert.equal(socketMode.toString(8), '666');
    for (const folder of [dataDir, path.join(dataDir, 'broker'), path.join(dataDir, 'state')]) {
      assert.equal(((await stat(folder)).mode & 0o777).toString(8), '700', folder);
    }
  });

  test('pub/sub Init: wrong passwords (URL, metadata, special characters, over TLS with a client key) fail with PERMISSION_DENIED', async () => {
    const base = `127.0.0.1:${ports.mqtt}`;
    const PERMISSION_DENIED = 7;
    assert.equal(await failingInit('url credentials', () => pubsub('s-url').init({ url: `tcp://svc:${SECRETS.wrongPasswordInUrl}@${base}`, consumerID: 'c1' })), PERMISSION_DENIED);
    assert.equal(
      await failingInit('password metadata', () => pubsub('s-meta').init({ url: `tcp://${base}`, username: 'svc', password: SECRETS.wrongPasswordMetadata, consumerID: 'c2' })),
      PERMISSION_DENIED,
    );
    assert.equal(
      await failingInit('special characters', () =>
        pubsub('s-special').init({ url: `tcp://svc:${encodeURIComponent(SECRETS.specialPassword)}@${base}`, consumerID: 'c3' }),
      ),
      PERMISSION_DENIED,
    );
    assert.equal(
      await failingInit('TLS + client key', () =>
        pubsub('s-tls').init({
          url: `mqtts://localhost:${ports.mqtts}`,
          username: 'svc',
          password: SECRETS.tlsWrongPassword,
          caCert: pki.ca.cert,
          clientCert: pki.client.cert,
          clientKey: pki.client.key,
          consumerID: 'c4',
        }),
      ),
      PERMISSION_DENIED,
    );
  });

  test('pub/sub Init: the right password works, and is not logged either', async () => {
    const ok = pubsub('s-ok');
    await ok.init({ url: `tcp://svc:${encodeURIComponent(SECRETS.brokerUserPassword)}@127.0.0.1:${ports.mqtt}`, consumerID: 'c-ok' });
    await ok.publish('secrets/ok', 'hello');
  });

  test('pub/sub Init: an unreachable broker, a bad scheme and a bad key fail without echoing the secret', async () => {
    const closedPort = await freePort();
    assert.equal(
      await failingInit('unreachable', () =>
        pubsub('s-unreach').init({ url: `tcp://svc:${SECRETS.unreachablePassword}@127.0.0.1:${closedPort}`, consumerID: 'c5', connectTimeout: '1s' }, { timeoutMs: 10_000 }),
      ),
      14, // UNAVAILABLE
    );
    assert.equal(await failingInit('bad scheme', () => pubsub('s-scheme').init({ url: `foo://svc:${SECRETS.badSchemePassword}@127.0.0.1:1`, consumerID: 'c6' })), 3);
    const fakeKey = `-----BEGIN PRIVATE KEY-----\n${SECRETS.fakeKeyMaterial}\n-----END PRIVATE KEY-----\n`;
    assert.equal(
      await failingInit('bad client key', () =>
        pubsub('s-key').init({ url: `mqtts://localhost:${ports.mqtts}`, caCert: pki.ca.cert, clientCert: pki.client.cert, clientKey: fakeKey, consumerID: 'c7' }),
      ),
      3, // INVALID_ARGUMENT
    );
  });

  test('state store Init with a wrong password fails with PERMISSION_DENIED', async () => {
    const state = connectState(component.socketPath, 'st-wrong');
    connections.push(state);
    assert.equal(
      await failingInit('state store', () => state.init({ url: `tcp://127.0.0.1:${ports.mqtt}`, username: 'svc', password: SECRETS.statePassword })),
      7,
    );
  });

  test('the standalone state service with a wrong password (env, and in its URL) stops with one line', async () => {
    const envs: Array<Record<string, string>> = [
      { STATE_SERVICE_URL: `mqtt://127.0.0.1:${ports.mqtt}`, STATE_SERVICE_USERNAME: 'svc', STATE_SERVICE_PASSWORD: SECRETS.stateServicePassword },
      { STATE_SERVICE_URL: `mqtt://svc:${SECRETS.stateServiceUrlPassword}@127.0.0.1:${ports.mqtt}` },
    ];
    for (const env of envs) {
      const service = spawnMain(['state-service'], { LOG_LEVEL: 'trace', STATE_SERVICE_DATA: path.join(await tempDir('ss'), 'state'), ...env });
      children.push(service);
      const exit = await within(service.exited, 'the state service gives up', 20_000);
      assert.equal(exit.code, 1, service.stderr());
      assert.match(service.stderr(), /reject|not authori|bad user/i);
    }
  });

  test('a standalone state service that logs in creates its data folder 0700', async () => {
    // A second broker without its own state service: the users' patterns govern $dapr-state/ there.
    const dir = await tempDir('ss-broker');
    const usersFile = path.join(dir, 'users.json');
    await writeFile(
      usersFile,
      JSON.stringify({ users: [{ username: 'state', password: passwordHash, publish: ['$dapr-state/v1/+/reply/+'], subscribe: ['$dapr-state/v1/+/req/+'] }] }),
      { mode: 0o600 },
    );
    const plain = spawnMain(['broker'], {
      LOG_LEVEL: 'trace',
      MQTT_BROKER_PORT: '0',
      MQTT_BROKER_DATA: path.join(dir, 'data'),
      MQTT_STATE_SERVICE: 'off',
      MQTT_BROKER_USERS_FILE: usersFile,
    });
    children.push(plain);
    await waitForOutput(plain, (out) => listeningPorts(out) !== undefined, 'second broker listening');
    const folder = path.join(dir, 'state-data');
    const service = spawnMain(['state-service'], {
      LOG_LEVEL: 'trace',
      STATE_SERVICE_DATA: folder,
      STATE_SERVICE_URL: `mqtt://127.0.0.1:${listeningPorts(plain.stdout())!.mqtt}`,
      STATE_SERVICE_USERNAME: 'state',
      STATE_SERVICE_PASSWORD: SECRETS.brokerUserPassword,
    });
    children.push(service);
    await waitForOutput(service, (out) => out.includes('state service attached to the broker'), 'state service up', 20_000);
    assert.equal(((await stat(folder)).mode & 0o777).toString(8), '700');
    assert.equal((await service.stop()).code, 0);
  });

  test('no secret anywhere: every log line, stderr, and every gRPC error', async (t) => {
    // Stop everything first: shutdown paths log too.
    for (const c of connections) await c.close();
    await component.stop();
    await Promise.all(children.map((c) => c.stop()));
    const outputs: Array<[string, string]> = [
      ['component stdout', component.stdout],
      ['component stderr', component.stderr],
      ...children.flatMap((c, i): Array<[string, string]> => [
        [`process ${i} stdout`, c.stdout()],
        [`process ${i} stderr`, c.stderr()],
      ]),
      ...grpcErrors.map((e): [string, string] => [`gRPC error of ${e.what}`, e.text]),
    ];
    const keyBodies = [pki.client.key, pki.server.key].map((pem) => pem.split('\n')[1]!);
    const needles: Array<[string, string]> = [
      ...Object.entries(SECRETS).flatMap(([name, s]) => forms(s).map((f): [string, string] => [name, f])),
      ['users file hash', passwordHash],
      ...keyBodies.map((b, i): [string, string] => [`private key ${i}`, b]),
    ];
    const found: string[] = [];
    for (const [where, text] of outputs) {
      for (const [name, needle] of needles) if (text.includes(needle)) found.push(`${name} in ${where}`);
    }
    const bytes = outputs.reduce((n, [, text]) => n + text.length, 0);
    const lines = outputs.reduce((n, [, text]) => n + text.split('\n').length, 0);
    t.diagnostic(`searched ${bytes} bytes (${lines} lines) from ${outputs.length} sources for ${needles.length} secret forms; gRPC errors: ${grpcErrors.map((e) => e.what).join(', ')}`);
    assert.ok(lines > 50, 'the processes did log (trace level)');
    assert.equal(grpcErrors.length, 8, 'every failure was driven');
    // The search does see what is logged: the broker address the failures name is there.
    assert.ok(outputs.some(([where, text]) => where.startsWith('gRPC') && text.includes(`127.0.0.1:${ports.mqtt}`)), 'control: the broker address is in the errors');
    assert.ok(outputs.some(([where, text]) => where.startsWith('process 0 stdout') && text.includes('client refused: authentication failed')), 'control: the refusals were logged');
    assert.ok(component.stdout.includes('"level":10') || component.stdout.includes('"level":20'), 'the component logged at trace/debug');
    assert.deepEqual(found, []);
  });
});
