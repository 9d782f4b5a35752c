/**
 * `node dist/src/main.js` as operators run it: startup refusals are one stderr line and a
 * non-zero exit; `hash-password` and `add-user` read the password from stdin only, and the
 * users file they write is what the broker then logs clients in with.
 */
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parsePasswordHash, verifyPassword } from '../../src/broker/password-hash.js';
import { endAll, listeningPorts, removeTempDirs, spawnMain, tempDir, tryConnect, waitForOutput, within } from './security-fixture.js';

after(removeTempDirs);

/** The process's whole stderr must be exactly one line; returns it. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${stderr}`);
  return lines[0]!;
}

describe('startup refusals', () => {
  test('beyond loopback without a users file: exit 1, one line naming both ways out', async () => {
    const data = path.join(await tempDir('refuse'), 'data');
    // TEST-NET-1: not on this machine; the refusal comes before any listen.
    const broker = spawnMain(['broker'], { MQTT_BROKER_HOST: '192.0.2.1', MQTT_BROKER_PORT: '0', MQTT_BROKER_DATA: data });
    const exit = await within(broker.exited, 'exit');
    assert.equal(exit.code, 1);
    const line = oneLine(broker.stderr());
    assert.match(line, /would accept anyone on 192\.0\.2\.1 without a password: set MQTT_BROKER_USERS_FILE/);
    assert.match(line, /MQTT_BROKER_ALLOW_ANONYMOUS=true for local development only/);
    await assert.rejects(stat(data), { code: 'ENOENT' }, 'nothing created');
  });

  test('the component with its embedded broker refuses the same way', async () => {
    const dir = await tempDir('refuse-component');
    const proc = spawnMain([], {
      MQTT_BROKER_HOST: '192.0.2.1',
      MQTT_BROKER_PORT: '0',
      MQTT_BROKER_DATA: path.join(dir, 'data'),
      DAPR_COMPONENTS_SOCKETS_FOLDER: path.join(dir, 'sockets'),
    });
    assert.equal((await within(proc.exited, 'exit')).code, 1);
    assert.match(oneLine(proc.stderr()), /MQTT_BROKER_USERS_FILE/);
  });

  test('contradictory or incomplete settings: exit 2 (env) or 1 (startup), one line', async () => {
    const dir = await tempDir('refuse2');
    const usersFile = path.join(dir, 'users.json');
    await writeFile(usersFile, '{"users": []}', { mode: 0o600 });
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ MQTT_BROKER_TLS_CERT: '/nope/cert.pem' }, 2, /MQTT_BROKER_TLS_CERT is set but MQTT_BROKER_TLS_KEY is not/],
      [{ MQTT_BROKER_ALLOW_ANONYMOUS: 'maybe' }, 2, /MQTT_BROKER_ALLOW_ANONYMOUS must be "true" or "false"/],
      [{ MQTT_BROKER_USERS_FILE: usersFile, MQTT_BROKER_ALLOW_ANONYMOUS: 'true' }, 1, /exclude each other/],
      [{ MQTT_BROKER_TLS_CERT: '/nope/cert.pem', MQTT_BROKER_TLS_KEY: '/nope/key.pem' }, 1, /cannot read MQTT_BROKER_TLS_CERT \/nope\/cert\.pem \(ENOENT\)/],
    ];
    for (const [env, code, message] of cases) {
      const proc = spawnMain(['broker'], { MQTT_BROKER_PORT: '0', MQTT_BROKER_DATA: path.join(dir, 'data'), ...env });
      assert.equal((await within(proc.exited, 'exit')).code, code, JSON.stringify(env));
      assert.match(oneLine(proc.stderr()), message);
    }
  });
});

describe('hash-password and add-user', () => {
  const PASSWORD = 'cli-pw-91e2a7 with spaces';

  test('hash-password: the password from stdin, a verifiable scrypt hash on stdout, nothing else', async () => {
    const proc = spawnMain(['hash-password'], {}, `${PASSWORD}\n`);
    assert.equal((await within(proc.exited, 'exit')).code, 0, proc.stderr());
    const hash = proc.stdout().trim();
    assert.match(hash, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.equal(await verifyPassword(Buffer.from(PASSWORD), parsePasswordHash(hash)), true, 'the line ending is not part of the password');
    assert.equal(await verifyPassword(Buffer.from(`${PASSWORD}\n`), parsePasswordHash(hash)), false);
    assert.ok(!proc.stdout().includes(PASSWORD) && !proc.stderr().includes(PASSWORD));
  });

  test('a password on the command line is refused without echoing it; an empty one too', async () => {
    const argv = spawnMain(['hash-password', 'argv-secret-123'], {}, 'x\n');
    assert.equal((await within(argv.exited, 'exit')).code, 2);
    assert.match(argv.stderr(), /read from stdin, never from the command line/);
    assert.ok(!argv.stderr().includes('argv-secret-123') && !argv.stdout().includes('argv-secret-123'));
    const empty = spawnMain(['hash-password'], {}, '\n');
    assert.equal((await within(empty.exited, 'exit')).code, 2);
    assert.match(empty.stderr(), /empty password/);
    const extra = spawnMain(['add-user', 'u', 'argv-secret-456', '--file', '/tmp/never-written.json'], {}, 'x\n');
    assert.equal((await within(extra.exited, 'exit')).code, 2);
    assert.ok(!extra.stderr().includes('argv-secret-456'));
  });

  test('add-user writes a 0600 users file the broker logs clients in with; re-adding changes the password, keeps the patterns', async () => {
    const dir = await tempDir('cli');
    const usersFile = path.join(dir, 'users.json');
    const add = spawnMain(['add-user', 'sensor', '--publish', 'sensors/%u/#', '--subscribe', 'commands/%u'], { MQTT_BROKER_USERS_FILE: usersFile }, `${PASSWORD}\n`);
    assert.equal((await within(add.exited, 'add-user')).code, 0, add.stderr());
    assert.match(add.stderr(), /added user "sensor"/);
    assert.equal(((await stat(usersFile)).mode & 0o777).toString(8), '600');
    const written = JSON.parse(await readFile(usersFile, 'utf8')) as { users: Array<Record<string, unknown>> };
    assert.deepEqual(written.users.map((u) => [u.username, u.publish, u.subscribe]), [['sensor', ['sensors/%u/#'], ['commands/%u']]]);
    assert.ok(!JSON.stringify(written).includes(PASSWORD));

    const other = spawnMain(['add-user', 'admin', '--file', usersFile], {}, 'admin-pw-x\n');
    assert.equal((await within(other.exited, 'second user')).code, 0, other.stderr());

    const broker = spawnMain(['broker'], { MQTT_BROKER_PORT: '0', MQTT_BROKER_DATA: path.join(dir, 'data'), MQTT_BROKER_USERS_FILE: usersFile });
    try {
      await waitForOutput(broker, (out) => listeningPorts(out) !== undefined, 'broker listening');
      const port = listeningPorts(broker.stdout())!.mqtt;
      const login = (password: string): ReturnType<typeof tryConnect> => tryConnect({ host: '127.0.0.1', port, clientId: 'sensor-1', username: 'sensor', password });
      const ok = await login(PASSWORD);
      assert.equal(ok.ok, true);
      if (ok.ok) await endAll(ok.client);
      const wrong = await login('nope');
      assert.equal(!wrong.ok && wrong.code, 4);

      const again = spawnMain(['add-user', 'sensor', '--file', usersFile], {}, 'new-pw-55\n');
      assert.equal((await within(again.exited, 're-add')).code, 0, again.stderr());
      assert.match(again.stderr(), /updated user "sensor"/);
      const rewritten = JSON.parse(await readFile(usersFile, 'utf8')) as { users: Array<Record<string, unknown>> };
      assert.deepEqual(rewritten.users.map((u) => [u.username, u.publish]), [['sensor', ['sensors/%u/#']], ['admin', ['#']]], 'patterns kept, order kept');
    } finally {
      await broker.stop();
    }
    // The broker reads the file at startup: the new password counts after a restart.
    const restarted = spawnMain(['broker'], { MQTT_BROKER_PORT: '0', MQTT_BROKER_DATA: path.join(dir, 'data'), MQTT_BROKER_USERS_FILE: usersFile });
    try {
      await waitForOutput(restarted, (out) => listeningPorts(out) !== undefined, 'broker listening');
      const port = listeningPorts(restarted.stdout())!.mqtt;
      const old = await tryConnect({ host: '127.0.0.1', port, clientId: 'sensor-1', username: 'sensor', password: PASSWORD });
      assert.equal(!old.ok && old.code, 4, 'the old password no longer works');
      const fresh = await tryConnect({ host: '127.0.0.1', port, clientId: 'sensor-1', username: 'sensor', password: 'new-pw-55' });
      assert.equal(fresh.ok, true);
      if (fresh.ok) await endAll(fresh.client);
    } finally {
      await restarted.stop();
    }
  });
});
