/**
 * Token authentication as in Azure IoT Operations (`satTokenPath`), MQTT 3.1.1: user `K8S-SAT`,
 * the token file's content as password, read again before every (re)connect and when the file
 * changes. The token file is a Kubernetes-style projected volume (a `..data` symlink swap).
 *
 *   (M) A private Mosquitto with a password file whose user is K8S-SAT. Rotation: the new token is
 *   swapped into the volume, Mosquitto's password file changes and it reloads on SIGHUP (by pid),
 *   which drops the connections that logged in with the old token, as AIO does when a token
 *   expires; the component comes back with the new token by itself, and again after a forced
 *   reconnect (tcp-proxy reset). A wrong token fails Init with PERMISSION_DENIED.
 *   The state store on the bundled broker (a users file with user K8S-SAT): Init, and a broker
 *   restart with a rotated users file and token.
 *   Nothing the component writes or answers ever contains a token.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { connectAsync } from 'mqtt';
import { randomId } from '../helpers/component-fixture.js';
import { connectPubSub, type PubSubConnection } from '../helpers/daprd-harness.js';
import { startComponentProcess, type ComponentProcess } from '../helpers/component-process.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { startMosquitto, type MosquittoProcess } from '../helpers/mosquitto-process.js';
import { createProjectedVolume, type ProjectedVolume } from '../helpers/projected-volume.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { waitUntil } from '../helpers/wait.js';
import { fakeServiceAccountToken } from '../helpers/service-account-token.js';
import { freePort, spawnBrokerProcess, type BrokerProcess } from '../helpers/broker-process.js';
import { connectState } from '../helpers/state-harness.js';
import { writeUsersFile } from '../broker-security/security-fixture.js';

const run = promisify(execFile);

/** True when a plain MQTT client logs in to `port` as K8S-SAT with `token`. */
async function acceptsToken(port: number, token: string): Promise<boolean> {
  try {
    const c = await connectAsync({ host: '127.0.0.1', port, username: 'K8S-SAT', password: token, reconnectPeriod: 0, connectTimeout: 2000 });
    await c.endAsync();
    return true;
  } catch {
    return false;
  }
}

/** Publish through the component and see it on the component's own stream. */
async function roundTrip(conn: PubSubConnection, topic: string, sub: ReturnType<PubSubConnection['subscribe']>, label: string): Promise<void> {
  await conn.publish(topic, label);
  await sub.waitFor(() => sub.acked.some((d) => d.data.toString() === label), { what: label });
}

describe('satTokenPath, MQTT 3.1.1, Mosquitto (M): user K8S-SAT, token rotation', () => {
  let mosquitto: MosquittoProcess;
  let proxy: TcpProxy;
  let volume: ProjectedVolume;
  let secrets: string;
  let passwordFile: string;
  let component: ComponentProcess;
  let conn: PubSubConnection;
  const tokens: string[] = [fakeServiceAccountToken()];

  before(async () => {
    secrets = await mkdtemp(path.join(tmpdir(), 'sat-mosquitto-'));
    // Mosquitto drops root before reading its password file: world-readable (test secret only).
    await chmod(secrets, 0o755);
    passwordFile = path.join(secrets, 'passwords');
    await run('mosquitto_passwd', ['-c', '-b', passwordFile, 'K8S-SAT', tokens[0] as string]);
    await chmod(passwordFile, 0o644);
    mosquitto = await startMosquitto({ extraConfig: [`password_file ${passwordFile}`, 'allow_anonymous false'] });
    proxy = await startTcpProxy({ targetPort: mosquitto.port as number });
    volume = await createProjectedVolume({ token: tokens[0] as string });
    component = await startComponentProcess({ env: { LOG_LEVEL: 'debug' } });
    conn = connectPubSub(component.socketPath, 'sat');
  });
  after(async () => {
    await conn?.close();
    await component?.cleanup();
    await proxy?.close();
    await mosquitto?.close();
    await volume?.cleanup();
    if (secrets) await rm(secrets, { recursive: true, force: true });
  });

  it('Init with satTokenPath logs in as K8S-SAT with the file\'s token; publish → stream', async () => {
    await conn.init({ url: proxy.url, consumerID: randomId('sat'), satTokenPath: volume.path('token'), connectTimeout: '3s' });
    const topic = `${randomId('sat')}/orders`;
    const sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();
    await roundTrip(conn, topic, sub, 'before-rotation');
    await sub.close();
    assert.match(mosquitto.log, /u'K8S-SAT'/, 'Mosquitto saw user K8S-SAT');
  });

  it('rotation: new token swapped in (..data), Mosquitto reloads and drops the old logins; the link comes back with the new token, also after a forced reconnect', async (t) => {
    const topic = `${randomId('sat')}/rotate`;
    const sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();
    const next = fakeServiceAccountToken();
    tokens.push(next);

    // 1. The kubelet rotates the token: the component's folder watcher reloads it.
    const logBefore = component.stdout.length;
    await volume.update({ token: next });
    await waitUntil(
      () => /credential files reloaded/.test(component.stdout.slice(logBefore)),
      () => `the component to log the reload: ${component.stdout.slice(logBefore).slice(-1500)}`,
    );

    // 2. The broker stops accepting the old token (AIO: the old token expires) and drops its logins.
    const acceptedBefore = proxy.acceptedCount;
    await run('mosquitto_passwd', ['-b', passwordFile, 'K8S-SAT', next]);
    process.kill(mosquitto.pid, 'SIGHUP');
    await waitUntil(async () => !(await acceptsToken(mosquitto.port as number, tokens[0] as string)), () => 'Mosquitto to refuse the old token after SIGHUP');
    assert.ok(await acceptsToken(mosquitto.port as number, next), 'Mosquitto accepts the new token');
    await waitUntil(() => proxy.acceptedCount > acceptedBefore, () => 'the component to reconnect after Mosquitto dropped the old logins');
    await roundTrip(conn, topic, sub, 'after-reload');

    // 3. A forced reconnect (link reset): the token is read again, publishes keep working.
    const acceptedBeforeCut = proxy.acceptedCount;
    proxy.cut('reset');
    proxy.restore();
    await roundTrip(conn, topic, sub, 'after-cut');
    assert.ok(proxy.acceptedCount > acceptedBeforeCut, 'the component reconnected through the proxy');
    t.diagnostic(`reconnects through the proxy: ${proxy.acceptedCount - acceptedBefore}`);
    assert.equal(sub.serverEnd, undefined, 'the stream never ended');
    await sub.close();
  });

  it('a wrong token: Init fails with PERMISSION_DENIED, and the error does not contain the token', async () => {
    const wrong = await createProjectedVolume({ token: `${fakeServiceAccountToken()}\n` });
    try {
      const other = connectPubSub(component.socketPath, 'sat-wrong');
      const err = await expectGrpcError(
        other.init({ url: proxy.url, consumerID: randomId('sat'), satTokenPath: wrong.path('token'), connectTimeout: '3s' }, { timeoutMs: 10_000 }),
        'PERMISSION_DENIED',
      );
      const token = readFileSync(wrong.path('token'), 'utf8').trim();
      assert.ok(!err.details.includes(token) && !err.details.includes(token.slice(0, 40)), `the token is not in: ${err.details}`);
      await other.close();
    } finally {
      await wrong.cleanup();
    }
  });

  it('missing or empty token file, and a user name or password as well: Init fails with INVALID_ARGUMENT naming the field', async () => {
    const other = connectPubSub(component.socketPath, 'sat-bad');
    const base = { url: proxy.url, consumerID: randomId('sat'), connectTimeout: '3s' };
    const missing = path.join(volume.dir, 'no-such-token');
    await expectGrpcError(other.init({ ...base, satTokenPath: missing }), 'INVALID_ARGUMENT', ['satTokenPath', 'no-such-token']);
    const empty = path.join(secrets, 'empty-token');
    await writeFile(empty, '  \n');
    await expectGrpcError(other.init({ ...base, satTokenPath: empty }), 'INVALID_ARGUMENT', ['satTokenPath', 'empty']);
    await expectGrpcError(other.init({ ...base, satTokenPath: volume.path('token'), username: 'someone' }), 'INVALID_ARGUMENT', ['username', 'satTokenPath']);
    await expectGrpcError(other.init({ ...base, satTokenPath: volume.path('token'), password: 'pw' }), 'INVALID_ARGUMENT', ['password', 'satTokenPath']);
    await expectGrpcError(
      other.init({ ...base, url: proxy.url.replace('mqtt://', 'mqtt://u:p@'), satTokenPath: volume.path('token') }),
      'INVALID_ARGUMENT',
      ['url', 'satTokenPath'],
    );
    await other.close();
  });

  it('no token ever reaches the component\'s output (LOG_LEVEL=debug)', () => {
    const output = component.stdout + component.stderr;
    for (const token of tokens) {
      assert.ok(!output.includes(token), 'a token is in the output');
      assert.ok(!output.includes(token.slice(-64)), 'a token\'s tail is in the output');
    }
  });
});

describe('satTokenPath for the state store (bundled broker, users file with user K8S-SAT)', () => {
  let dir: string;
  let broker: BrokerProcess | undefined;
  let volume: ProjectedVolume;
  let component: ComponentProcess;
  const tokens = [fakeServiceAccountToken()];

  const startBroker = async (port: number, token: string): Promise<BrokerProcess> => {
    const usersFile = await writeUsersFile(dir, [{ username: 'K8S-SAT', password: token, publish: ['#'], subscribe: ['#'] }]);
    const b = spawnBrokerProcess({ port, dataDir: path.join(dir, 'data'), env: { MQTT_BROKER_USERS_FILE: usersFile } });
    // (waitUntilAccepting logs in anonymously, which this broker refuses: log in as K8S-SAT instead.)
    await waitUntil(async () => acceptsToken(port, token), () => `the broker on ${port} to accept K8S-SAT: ${b.stderr()}`);
    return b;
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sat-state-'));
    volume = await createProjectedVolume({ token: tokens[0] as string });
    broker = await startBroker(await freePort(), tokens[0] as string);
    component = await startComponentProcess({ env: { LOG_LEVEL: 'debug' } });
  });
  after(async () => {
    await component?.cleanup();
    await broker?.kill9();
    await volume?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('Init and Set/Get with the token; after a rotated token and a broker restart, it works again', async () => {
    const port = (broker as BrokerProcess).port;
    const state = connectState(component.socketPath, 'sat-state');
    try {
      await state.init({ url: `mqtt://127.0.0.1:${port}`, satTokenPath: volume.path('token'), connectTimeout: '3s', requestTimeout: '3s' });
      await state.set('k', 'v1');
      assert.equal((await state.get('k')).data?.toString(), 'v1');

      const next = fakeServiceAccountToken();
      tokens.push(next);
      await volume.update({ token: next });
      await (broker as BrokerProcess).stop();
      broker = await startBroker(port, next);
      // The old token no longer works; the component reconnects with the new one.
      assert.equal(await acceptsToken(port, tokens[0] as string), false, 'the restarted broker refuses the old token');
      await waitUntil(
        async () => {
          try {
            await state.set('k', 'v2');
            return true;
          } catch {
            return false;
          }
        },
        () => `a Set to succeed after the restart: ${component.stdout.slice(-1500)}`,
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      assert.equal((await state.get('k')).data?.toString(), 'v2');
    } finally {
      state.close();
    }
    const output = component.stdout + component.stderr;
    for (const token of tokens) assert.ok(!output.includes(token), 'a token is in the output');
  });
});
