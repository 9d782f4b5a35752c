/**
 * The bundled broker with a users file, in-process on 127.0.0.1 port 0, driven by real MQTT.js
 * clients: logins against salted scrypt hashes, the CONNACK codes of each refusal, one log line
 * per refusal without a password or an unknown user name, client-id takeover across users, and
 * the per-user publish/subscribe patterns (%u, %c, $share, $SYS, wills) composed with the state
 * service's own topic protection.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { stateReplyTopic, stateRequestTopic } from '../../src/mqtt/state-topics.js';
import { encodeStateRequest } from '../../src/mqtt/state-envelope.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { captureLogger, closed, endAll, grantOf, mustConnect, removeTempDirs, tempDir, tryConnect, within, writeUsersFile, type TestUser } from './security-fixture.js';

const USERS: TestUser[] = [
  {
    username: 'alice',
    password: 'alice-pw-5f1c9a',
    publish: ['orders/#', 'devices/%c/#', 'inbox/%u/out'],
    subscribe: ['orders/#', 'inbox/%u/#'],
  },
  { username: 'bob', password: 'bob-pw-77d2e0', publish: ['#'], subscribe: ['#'] },
  { username: 'nobody', password: 'nobody-pw-0b8e44' },
];
const [ALICE, BOB, NOBODY] = USERS as [TestUser, TestUser, TestUser];

describe('bundled broker with a users file', () => {
  let broker: Broker;
  let capture: ReturnType<typeof captureLogger>;
  let port: number;
  const as = (user: TestUser, clientId: string, extra: Record<string, unknown> = {}): Promise<MqttClient> =>
    mustConnect({ host: '127.0.0.1', port, clientId, username: user.username, password: user.password, ...extra });

  before(async () => {
    const dir = await tempDir('auth');
    const usersFile = await writeUsersFile(dir, USERS);
    capture = captureLogger('debug');
    broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: path.join(dir, 'data'), logger: capture.logger, security: { usersFile } });
    port = broker.port;
  });
  after(async () => {
    await broker?.close();
    await removeTempDirs();
  });

  test('the right password logs in; every other CONNECT is refused with its CONNACK code and one warn line without secrets', async () => {
    const ok = await as(ALICE, 'login-ok');
    await endAll(ok);
    const unknownName = 'mallory-maybe-a-typed-password';
    const attempts = [
      { label: 'wrong password', opts: { username: 'alice', password: 'alice-pw-WRONG' }, code: 4, reason: 'wrong password' },
      { label: 'unknown user', opts: { username: unknownName, password: 'whatever-pw-31337' }, code: 4, reason: 'unknown user' },
      { label: 'no credentials', opts: {}, code: 5, reason: 'no user name' },
      { label: 'user name, no password', opts: { username: 'alice' }, code: 4, reason: 'no password' },
    ];
    for (const a of attempts) {
      const before = capture.lines.length;
      const attempt = await tryConnect({ host: '127.0.0.1', port, clientId: `login-${a.code}-${a.reason.replace(/ /g, '-')}`, ...a.opts });
      assert.equal(attempt.ok, false, `${a.label}: refused`);
      assert.equal(!attempt.ok && attempt.code, a.code, `${a.label}: CONNACK ${a.code}`);
      // The refusal's log line is written before CONNACK.
      const lines = capture.lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
      const warns = lines.filter((l) => (l.level as number) >= 40);
      assert.equal(warns.length, 1, `${a.label}: one warn line, got ${JSON.stringify(warns)}`);
      assert.equal(warns[0]!.msg, 'client refused: authentication failed');
      assert.equal(warns[0]!.reason, a.reason);
      assert.equal(warns[0]!.remote, '127.0.0.1');
    }
    const all = capture.lines.join('\n');
    for (const secret of [ALICE.password, 'alice-pw-WRONG', 'whatever-pw-31337', unknownName]) assert.ok(!all.includes(secret), `"${secret}" never logged`);
  });

  test('an unknown user costs a password check too (no user enumeration by timing)', async (t) => {
    const time = async (username: string): Promise<number> => {
      const t0 = performance.now();
      const attempt = await tryConnect({ host: '127.0.0.1', port, clientId: `timing-${username}`, username, password: 'not-the-password' });
      assert.equal(attempt.ok, false);
      return performance.now() - t0;
    };
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      wrong.push(await time('alice'));
      unknown.push(await time(`ghost-${i}`));
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    t.diagnostic(`median refusal: wrong password ${median(wrong).toFixed(1)} ms, unknown user ${median(unknown).toFixed(1)} ms`);
    assert.ok(median(unknown) > 0.4 * median(wrong), 'an unknown user takes about as long as a wrong password');
    assert.ok(median(unknown) > 10, 'scrypt ran for the unknown user');
  });

  test('a client id connected as one user cannot be taken over by another (CONNACK 2); the same user may', async () => {
    const first = await as(ALICE, 'shared-device');
    try {
      const stolen = await tryConnect({ host: '127.0.0.1', port, clientId: 'shared-device', username: BOB.username, password: BOB.password });
      assert.equal(stolen.ok, false);
      assert.equal(!stolen.ok && stolen.code, 2, 'identifier rejected');
      assert.equal(first.connected, true, "alice's link is untouched");
      const firstClosed = closed(first);
      const again = await as(ALICE, 'shared-device');
      await within(firstClosed, 'the older link of the same user is taken over (MQTT session takeover)');
      await endAll(again);
    } finally {
      await endAll(first);
    }
  });

  test('publish: allowed topics are delivered; a topic outside the patterns ends the connection and is not delivered', async () => {
    const watcher = await as(BOB, 'pub-watcher');
    const alice = await as(ALICE, 'dev-7');
    try {
      const got: string[] = [];
      watcher.on('message', (topic) => got.push(topic));
      await watcher.subscribeAsync('#', { qos: 1 });
      await alice.publishAsync('orders/1', 'x', { qos: 1 });
      await alice.publishAsync('devices/dev-7/temp', 'x', { qos: 1 });
      await alice.publishAsync('inbox/alice/out', 'x', { qos: 1 });
      const before = capture.lines.length;
      const aliceClosed = closed(alice);
      alice.publish('devices/dev-8/temp', 'x', { qos: 1 }, () => {});
      await within(aliceClosed, 'the connection of a client that published outside its patterns ends');
      await watcher.publishAsync('orders/marker', 'm', { qos: 1 });
      await within(
        (async () => {
          while (!got.includes('orders/marker')) await new Promise((r) => setTimeout(r, 10));
        })(),
        'the marker',
      );
      assert.deepEqual(got, ['orders/1', 'devices/dev-7/temp', 'inbox/alice/out', 'orders/marker'], 'the refused publish was not delivered');
      const warns = capture.lines.slice(before).filter((l) => l.includes('may not publish'));
      assert.equal(warns.length, 1, 'one log line');
      assert.match(warns[0]!, /user \\"alice\\" may not publish to \\"devices\/dev-8\/temp\\"/);
    } finally {
      await endAll(watcher, alice);
    }
  });

  test('subscribe: filters the patterns cover are granted, others get 0x80; $share is checked on its filter; # does not grant $SYS', async () => {
    const alice = await as(ALICE, 'sub-alice');
    const bob = await as(BOB, 'sub-bob');
    const nobody = await as(NOBODY, 'sub-nobody');
    try {
      const grant = (c: MqttClient, filter: string): Promise<number | undefined> => grantOf(c, filter);
      assert.equal(await grant(alice, 'orders/+'), 1);
      assert.equal(await grant(alice, 'orders/#'), 1);
      assert.equal(await grant(alice, 'inbox/alice/#'), 1);
      assert.equal(await grant(alice, '$share/workers/orders/#'), 1);
      assert.equal(await grant(alice, 'inbox/bob/#'), 128, "another user's inbox (%u)");
      assert.equal(await grant(alice, 'secret/#'), 128);
      assert.equal(await grant(alice, '#'), 128, 'wider than the patterns');
      assert.equal(await grant(alice, '$share/workers/secret/#'), 128, 'a shared subscription to a forbidden filter');
      assert.equal(await grant(bob, 'anything/+/x'), 1);
      assert.equal(await grant(bob, '$SYS/#'), 128, '# never covers $ topics');
      assert.equal(await grant(nobody, 'orders/#'), 128, 'a user without patterns may not subscribe');
      assert.equal(alice.connected && bob.connected && nobody.connected, true, 'refused subscriptions do not end the connection');
      const refusals = capture.parsed().filter((l) => l.msg === "subscription refused: not in the user's subscribe patterns (SUBACK 0x80)" && l.clientId === 'sub-alice');
      assert.deepEqual(refusals.map((l) => l.level), [40, 20, 20, 20], 'the first refusal of a client at warn, the rest at debug');
    } finally {
      await endAll(alice, bob, nobody);
    }
  });

  test('a user without publish patterns may not publish at all', async () => {
    const nobody = await as(NOBODY, 'pub-nobody');
    const done = closed(nobody);
    nobody.publish('orders/1', 'x', { qos: 0 });
    await within(done, 'disconnect');
    await endAll(nobody);
  });

  test('a will is published only to a topic the user may publish to', async () => {
    const watcher = await as(BOB, 'will-watcher');
    try {
      const got: string[] = [];
      watcher.on('message', (topic) => got.push(topic));
      await watcher.subscribeAsync('#', { qos: 1 });
      for (const topic of ['secret/will', 'orders/will']) {
        const alice = await as(ALICE, `will-${topic.split('/')[0]}`, { will: { topic, payload: Buffer.from('gone'), qos: 1, retain: false } });
        const gone = closed(alice);
        (alice.stream as { destroy(): void }).destroy(); // no DISCONNECT: the will goes out
        await within(gone, 'link down');
        await endAll(alice);
      }
      await within(
        (async () => {
          while (!got.includes('orders/will')) await new Promise((r) => setTimeout(r, 10));
        })(),
        'the allowed will',
      );
      assert.deepEqual(got, ['orders/will'], 'the will to secret/will was dropped');
    } finally {
      await endAll(watcher);
    }
  });

  test("the state service's topics stay governed by its own rules, whatever the user's patterns", async () => {
    // alice has no $dapr-state pattern, yet uses her own request and reply topics;
    // bob's "#" does not open anyone else's reply topic, nor the request topics.
    const alice = await as(ALICE, 'alice-state');
    const bob = await as(BOB, 'bob-state');
    try {
      assert.equal(await grantOf(alice, stateReplyTopic('default', 'alice-state')), 1);
      assert.equal(await grantOf(bob, stateReplyTopic('default', 'alice-state')), 128);
      assert.equal(await grantOf(bob, '$dapr-state/v1/default/req/+'), 128);
      const reply = new Promise<string>((resolve) => alice.once('message', (topic) => resolve(topic)));
      const ping = encodeStateRequest(
        { requestId: 'acl-ping-1', replyTopic: stateReplyTopic('default', 'alice-state'), keyspace: 'acl', deadlineUnixMs: Date.now() + 10_000 },
        'ping',
        new Uint8Array(0),
      );
      await alice.publishAsync(stateRequestTopic('default', 'alice-state'), ping, { qos: 1 });
      assert.equal(await within(reply, 'the state service answers the ping'), stateReplyTopic('default', 'alice-state'));
      const bobClosed = closed(bob);
      bob.publish(stateRequestTopic('default', 'alice-state'), 'x', { qos: 1 });
      await within(bobClosed, "publishing to another client's request topic ends the connection");
    } finally {
      await endAll(alice, bob);
    }
  });
});

describe('who may start a broker without users', () => {
  after(removeTempDirs);

  test('without a users file, anonymous clients connect on a loopback address', async () => {
    const broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: path.join(await tempDir('anon'), 'data'), logger: createSilentLogger() });
    try {
      const client = await mustConnect({ host: '127.0.0.1', port: broker.port, clientId: 'anon' });
      await endAll(client);
    } finally {
      await broker.close();
    }
  });

  test('beyond loopback without a users file the broker does not start, and touches nothing', async () => {
    const dataDir = path.join(await tempDir('anon-refused'), 'data');
    // 192.0.2.1 (TEST-NET-1) is not on this machine: were the check missing, the listen would fail differently.
    await assert.rejects(
      startBroker({ port: 0, host: '192.0.2.1', dataDir, logger: createSilentLogger() }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ERR_CONFIG_INVALID');
        assert.match(err.message, /would accept anyone on 192\.0\.2\.1 without a password: set MQTT_BROKER_USERS_FILE .*MQTT_BROKER_ALLOW_ANONYMOUS=true for local development only/);
        return true;
      },
    );
    await assert.rejects(stat(dataDir), { code: 'ENOENT' }, 'no data directory was created');
  });

  test('a users file anyone may write to is refused', async () => {
    const dir = await tempDir('ww');
    const usersFile = await writeUsersFile(dir, [ALICE]);
    await chmod(usersFile, 0o666);
    await assert.rejects(
      startBroker({ port: 0, host: '127.0.0.1', dataDir: path.join(dir, 'data'), logger: createSilentLogger(), security: { usersFile } }),
      /MQTT_BROKER_USERS_FILE .*writable by every user \(mode 666\): chmod 600 it/,
    );
  });

  test('a users file that cannot be read or parsed stops startup naming the variable', async () => {
    const dir = await tempDir('bad-users');
    await assert.rejects(
      startBroker({ port: 0, host: '127.0.0.1', dataDir: path.join(dir, 'data'), logger: createSilentLogger(), security: { usersFile: path.join(dir, 'missing.json') } }),
      /cannot read MQTT_BROKER_USERS_FILE .*missing\.json \(ENOENT\)/,
    );
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ users: [{ username: 'a', password: 'plain-text-password-oops' }] }), { mode: 0o600 });
    await assert.rejects(
      startBroker({ port: 0, host: '127.0.0.1', dataDir: path.join(dir, 'data'), logger: createSilentLogger(), security: { usersFile: bad } }),
      (err: Error) => /user "a": "password" is not a "\$scrypt/.test(err.message) && !err.message.includes('plain-text-password-oops'),
    );
  });
});

describe('data directory permissions', () => {
  after(removeTempDirs);

  test('the broker and state data folders are created 0700, and existing ones are tightened to 0700', async () => {
    const root = await tempDir('perm');
    const fresh = path.join(root, 'fresh', 'data');
    const broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: fresh, logger: createSilentLogger() });
    await broker.close();
    for (const dir of [fresh, path.join(fresh, 'broker'), path.join(fresh, 'state')]) {
      assert.equal(((await stat(dir)).mode & 0o777).toString(8), '700', dir);
    }
    const existing = path.join(root, 'existing');
    await mkdir(path.join(existing, 'broker'), { recursive: true, mode: 0o755 });
    await mkdir(path.join(existing, 'state'), { recursive: true, mode: 0o777 });
    await chmod(path.join(existing, 'state'), 0o777);
    await chmod(existing, 0o755);
    const again = await startBroker({ port: 0, host: '127.0.0.1', dataDir: existing, logger: createSilentLogger() });
    await again.close();
    assert.equal(((await stat(path.join(existing, 'broker'))).mode & 0o777).toString(8), '700');
    assert.equal(((await stat(path.join(existing, 'state'))).mode & 0o777).toString(8), '700');
    assert.equal(((await stat(existing)).mode & 0o777).toString(8), '755', "the operator's own folder (a volume, say) is left as it is");
  });
});

describe('narrowing a user while a persistent session holds a wider subscription', () => {
  after(removeTempDirs);

  test('messages queued or delivered for the stored subscription are checked against the current patterns', async () => {
    const dir = await tempDir('narrow');
    const dataDir = path.join(dir, 'data');
    const publisher: TestUser = { username: 'pub', password: 'pub-pw-1', publish: ['#'] };
    const wide = await writeUsersFile(dir, [{ username: 'carol', password: 'carol-pw-1', subscribe: ['news/#'] }, publisher], 'wide.json');
    const narrow = await writeUsersFile(dir, [{ username: 'carol', password: 'carol-pw-1', subscribe: ['news/public/#'] }, publisher], 'narrow.json');
    const carolOpts = { host: '127.0.0.1', clientId: 'carol-1', clean: false, username: 'carol', password: 'carol-pw-1' };

    let broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir, logger: createSilentLogger(), security: { usersFile: wide } });
    try {
      const carol = await mustConnect({ ...carolOpts, port: broker.port });
      assert.equal(await grantOf(carol, 'news/#'), 1);
      await endAll(carol);
    } finally {
      await broker.close();
    }

    broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir, logger: createSilentLogger(), security: { usersFile: narrow } });
    try {
      const pub = await mustConnect({ host: '127.0.0.1', port: broker.port, clientId: 'pub-1', username: 'pub', password: 'pub-pw-1' });
      await pub.publishAsync('news/private/x', 'queued, now forbidden', { qos: 1 });
      await pub.publishAsync('news/public/y', 'queued, still allowed', { qos: 1 });
      const got: string[] = [];
      const carol = await mustConnect({ ...carolOpts, port: broker.port, onMessage: (topic) => got.push(topic) });
      assert.equal(await grantOf(carol, 'news/public/#'), 1);
      await pub.publishAsync('news/private/z', 'live, forbidden', { qos: 1 });
      await pub.publishAsync('news/public/w', 'live, allowed', { qos: 1 });
      await within(
        (async () => {
          while (!got.includes('news/public/w') || !got.includes('news/public/y')) await new Promise((r) => setTimeout(r, 10));
        })(),
        'the allowed queued and live messages',
      );
      // The queued replay and the live delivery race each other: which comes first is not the point.
      assert.deepEqual([...got].sort(), ['news/public/w', 'news/public/y'], 'the allowed ones, each once, and none of the forbidden');
      await endAll(pub, carol);
    } finally {
      await broker.close();
    }
  });
});
