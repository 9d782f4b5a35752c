/**
 * The credential-file building blocks, in process: parsing `satTokenPath` and the `*Path` PEM
 * fields into the connection config, the MQTT.js options they become (MQTT 3.1.1 and 5), and the
 * shared file set: re-read on demand, the previous values kept (and logged once) when a file
 * changes into something unusable, token listeners, idempotent close.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parsePubSubConfig } from '../../src/config/pubsub-config.js';
import { parseStateConfig } from '../../src/config/state-config.js';
import { isComponentError } from '../../src/errors/component-error.js';
import { toClientOptions } from '../../src/mqtt/client-options.js';
import { openCredentialFiles } from '../../src/mqtt/credential-files.js';
import { captureLogger } from '../broker-security/security-fixture.js';
import { createTestPki, issueClientCertificate, type CertFiles, type TestPki } from '../helpers/tls-certs.js';

function configError(fn: () => unknown): { code: string; field: string | undefined; message: string } {
  try {
    fn();
  } catch (err) {
    if (isComponentError(err)) return { code: err.code, field: err.field, message: err.message };
    throw err;
  }
  assert.fail('expected a configuration error');
}

describe('credential files: config, client options, reloads', () => {
  let dir: string;
  let pki: TestPki;
  let other: CertFiles;
  const file = (name: string): string => path.join(dir, name);

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cred-files-'));
    pki = await createTestPki();
    other = await issueClientCertificate(pki, 'other', 'other-client');
    await writeFile(file('token'), '  token-one\n');
  });
  after(async () => {
    await pki?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('satTokenPath: the trimmed token; MQTT 3.1.1 logs in as K8S-SAT, MQTT 5 by enhanced authentication', () => {
    const v4 = parsePubSubConfig({ url: 'mqtt://h:1883', consumerID: 'c', satTokenPath: file('token') });
    assert.equal(v4.connection.satToken, 'token-one');
    assert.deepEqual(v4.connection.credentialFiles, { satTokenPath: file('token') });
    const o4 = toClientOptions(v4.connection, 'id', true);
    assert.equal(o4.username, 'K8S-SAT');
    assert.equal(o4.password, 'token-one');
    assert.equal(o4.properties, undefined);

    const v5 = parseStateConfig({ url: 'mqtt://h:1883', satTokenPath: file('token'), protocolVersion: '5' });
    const o5 = toClientOptions(v5.connection, 'id', false, 300);
    assert.equal(o5.username, undefined);
    assert.equal(o5.password, undefined);
    assert.equal(o5.properties?.authenticationMethod, 'K8S-SAT');
    assert.equal(o5.properties?.authenticationData?.toString(), 'token-one');
    assert.equal(o5.properties?.sessionExpiryInterval, 300, 'the other CONNECT properties stay');
  });

  it('config errors name the field, never the content', () => {
    const base = { url: 'mqtts://h:8883', consumerID: 'c' };
    const cases: Array<[Record<string, string>, string]> = [
      [{ satTokenPath: file('missing') }, 'satTokenPath'],
      [{ satTokenPath: file('token'), username: 'u' }, 'username'],
      [{ satTokenPath: file('token'), password: 'p' }, 'password'],
      [{ url: 'mqtts://u:p@h:8883', satTokenPath: file('token') }, 'url'],
      [{ caCert: pki.ca.cert, caCertPath: pki.ca.certPath }, 'caCertPath'],
      [{ clientCert: pki.client.cert, clientCertPath: pki.client.certPath, clientKey: pki.client.key }, 'clientCertPath'],
      [{ clientKey: pki.client.key, clientKeyPath: pki.client.keyPath, clientCert: pki.client.cert }, 'clientKeyPath'],
      [{ caCertPath: pki.client.keyPath }, 'caCertPath'],
      [{ clientCertPath: pki.client.certPath }, 'clientKeyPath'],
      [{ clientKeyPath: pki.client.keyPath }, 'clientCertPath'],
      [{ clientCertPath: pki.client.certPath, clientKeyPath: other.keyPath }, 'clientKeyPath'],
      [{ url: 'mqtt://h:1883', clientCertPath: pki.client.certPath, clientKeyPath: pki.client.keyPath }, 'clientCertPath'],
    ];
    for (const [props, field] of cases) {
      const e = configError(() => parsePubSubConfig({ ...base, ...props }));
      assert.ok(e.code === 'ERR_CONFIG_INVALID' || e.code === 'ERR_CONFIG_REQUIRED', `${field}: ${e.code}`);
      assert.equal(e.field, field, `${JSON.stringify(Object.keys(props))}: ${e.message}`);
      assert.ok(e.message.includes(`"${field}"`), e.message);
      assert.ok(!e.message.includes('BEGIN') && !e.message.includes('token-one'), e.message);
    }
  });

  it('the PEM files at Init become the TLS options; mixed inline certificate and key file works', () => {
    const c = parsePubSubConfig({
      url: 'mqtts://h:8883',
      consumerID: 'c',
      caCertPath: pki.ca.certPath,
      clientCert: pki.client.cert,
      clientKeyPath: pki.client.keyPath,
    });
    const o = toClientOptions(c.connection, 'id', true);
    assert.equal(o.ca, pki.ca.cert);
    assert.equal(o.cert, pki.client.cert.trim(), 'inline metadata values are trimmed');
    assert.equal(o.key, pki.client.key);
  });

  it('the shared set: re-read on demand; a bad change keeps the previous values and is logged once; token listeners; idempotent close', async () => {
    await writeFile(file('tls.crt'), pki.client.cert);
    await writeFile(file('tls.key'), pki.client.key);
    await writeFile(file('sat'), 'first');
    const conn = parsePubSubConfig({
      url: 'mqtts://h:8883',
      consumerID: 'c',
      satTokenPath: file('sat'),
      clientCertPath: file('tls.crt'),
      clientKeyPath: file('tls.key'),
    }).connection;
    const { logger, parsed } = captureLogger('debug');
    const a = openCredentialFiles(conn, logger);
    const b = openCredentialFiles(conn, logger);
    assert.ok(a && b);
    const seen: string[] = [];
    b.onTokenChange((t) => seen.push(t));
    assert.equal(a.refresh().token, 'first');

    // A good change: both connections' views change (one set), listeners hear the token.
    await writeFile(file('sat'), 'second\n');
    await writeFile(file('tls.crt'), other.cert);
    await writeFile(file('tls.key'), other.key);
    const v2 = a.refresh();
    assert.equal(v2.token, 'second');
    assert.equal(v2.cert, other.cert);
    assert.equal(b.refresh().key, other.key);
    assert.deepEqual(seen, ['second']);

    // Bad changes: an empty token, a certificate without its key: previous values stay.
    await writeFile(file('sat'), '\n');
    await writeFile(file('tls.crt'), pki.client.cert); // the key is still other's: mismatch
    for (let i = 0; i < 3; i += 1) {
      const v = a.refresh();
      assert.equal(v.token, 'second');
      assert.equal(v.cert, other.cert);
      assert.equal(v.key, other.key);
    }
    const warnings = parsed().filter((l) => l.msg === 'credential file changed but cannot be used; keeping the previous one');
    assert.deepEqual(warnings.map((w) => w.field).sort(), ['clientKeyPath', 'satTokenPath'], 'each logged once');
    // A file gone for a moment (mid-rotation): previous values, one warning.
    await unlink(file('sat'));
    assert.equal(a.refresh().token, 'second');
    assert.equal(a.refresh().token, 'second');
    assert.equal(parsed().filter((l) => l.msg === 'credential file cannot be read; keeping the previous one').length, 1);
    const all = JSON.stringify(parsed());
    assert.ok(!all.includes('BEGIN') && !all.includes('second') && !all.includes('first'), 'no secret logged');

    // The matching key arrives: the pair is replaced.
    await writeFile(file('tls.key'), pki.client.key);
    assert.equal(a.refresh().cert, pki.client.cert);

    a.close();
    a.close();
    await writeFile(file('sat'), 'third');
    assert.equal(b.refresh().token, 'third', 'the other connection still has the set');
    assert.deepEqual(seen, ['second', 'third']);
    b.close();
    b.close();
  });
});
