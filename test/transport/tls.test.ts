/**
 * N12: TLS to the broker.
 *   Bundled broker (extra TLS listeners on its Aedes): server-auth with caCert (every TLS url
 *   scheme, host name and IP), mutual TLS, self-signed CA; hostname verification; untrusted
 *   server; missing / untrusted client certificate; bad PEM → Init INVALID_ARGUMENT naming the key.
 *   (M) A private Mosquitto with a TLS listener: server-auth, mutual TLS, wrong CA.
 *
 * What the component does when the TLS handshake fails (defined here): Init fails, it does not
 * connect in the background. A certificate the component refuses (untrusted, wrong host name)
 * fails at once with PERMISSION_DENIED naming the broker; a handshake the broker refuses fails
 * with PERMISSION_DENIED or, when the broker only drops the link, UNAVAILABLE after
 * connectTimeout. Either way no instance exists afterwards: Ping answers FAILED_PRECONDITION.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomId } from '../helpers/component-fixture.js';
import type { PubSubConnection } from '../helpers/daprd-harness.js';
import { expectGrpcError, grpcCodeName } from '../helpers/grpc-assert.js';
import { startMosquitto, type MosquittoProcess } from '../helpers/mosquitto-process.js';
import { createTestPki, type TestPki } from '../helpers/tls-certs.js';
import { startTlsListener, startTransportBench, type ExtraListener, type TransportBench } from '../helpers/transport-brokers.js';

const CONNECT_TIMEOUT = '3s';

/** Publish through the component and receive on its own stream: the link works both ways. */
async function roundTrip(conn: PubSubConnection, label: string): Promise<void> {
  const topic = `${randomId('tls')}/${label}`;
  const sub = conn.subscribe(topic, {}, () => {});
  try {
    await sub.ready();
    await conn.publish(topic, `hello-${label}`);
    await sub.waitFor(() => sub.acked.some((d) => d.data.toString() === `hello-${label}`), { what: `hello-${label}` });
    assert.equal(sub.serverEnd, undefined);
  } finally {
    await sub.close();
  }
}

/** Init must fail; returns the error (code checked by the caller). No instance remains. */
async function initFails(conn: PubSubConnection, props: Record<string, string>): Promise<{ code: string; message: string; ms: number }> {
  const t0 = Date.now();
  let error: unknown;
  try {
    await conn.init(props, { timeoutMs: 10_000 });
  } catch (err) {
    error = err;
  }
  const ms = Date.now() - t0;
  assert.notEqual(error, undefined, 'Init must not succeed');
  await expectGrpcError(conn.ping(), 'FAILED_PRECONDITION');
  return { code: grpcCodeName(error), message: (error as Error).message, ms };
}

describe('N12: TLS against the bundled broker', () => {
  let pki: TestPki;
  let bench: TransportBench;
  let serverAuth: ExtraListener;
  let mutual: ExtraListener;
  let wrongHost: ExtraListener;

  before(async () => {
    pki = await createTestPki();
    bench = await startTransportBench();
    const aedes = bench.broker.aedes;
    serverAuth = bench.track(await startTlsListener(aedes, { key: pki.server.key, cert: pki.server.cert }));
    mutual = bench.track(await startTlsListener(aedes, { key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert, requestCert: true }));
    wrongHost = bench.track(await startTlsListener(aedes, { key: pki.wrongHostServer.key, cert: pki.wrongHostServer.cert }));
  });
  after(async () => {
    await bench?.close();
    await pki?.cleanup();
  });

  for (const scheme of ['mqtts', 'tls', 'ssl', 'tcps']) {
    it(`server-auth with caCert (self-signed CA), ${scheme}://localhost: publish → stream`, async () => {
      const conn = bench.connect();
      await conn.init({
        url: `${scheme}://localhost:${serverAuth.port}`,
        consumerID: randomId('tls'),
        caCert: pki.ca.cert,
        connectTimeout: CONNECT_TIMEOUT,
      });
      await conn.ping();
      await roundTrip(conn, scheme);
    });
  }

  it('server-auth by IP address: the certificate IP SAN is verified (mqtts://127.0.0.1)', async () => {
    const conn = bench.connect();
    await conn.init({ url: `mqtts://127.0.0.1:${serverAuth.port}`, consumerID: randomId('tls'), caCert: pki.ca.cert, connectTimeout: CONNECT_TIMEOUT });
    await roundTrip(conn, 'ip');
  });

  it('mutual TLS with clientCert/clientKey: publish → stream; the broker saw the client certificate', async () => {
    const before = mutual.clientCertCNs.length;
    const conn = bench.connect();
    await conn.init({
      url: mutual.url,
      consumerID: randomId('mtls'),
      caCert: pki.ca.cert,
      clientCert: pki.client.cert,
      clientKey: pki.client.key,
      connectTimeout: CONNECT_TIMEOUT,
    });
    await roundTrip(conn, 'mtls');
    const seen = mutual.clientCertCNs.slice(before);
    assert.ok(seen.length >= 2, `publisher and subscription links both authenticated (saw ${seen.length})`);
    assert.ok(seen.every((cn) => cn === 'test-client'), `client certificate CN: ${seen.join(',')}`);
  });

  it('wrong host name in the server certificate: Init fails fast with PERMISSION_DENIED naming the host check', async (t) => {
    const r = await initFails(bench.connect(), {
      url: wrongHost.url,
      consumerID: randomId('tls'),
      caCert: pki.ca.cert,
      connectTimeout: CONNECT_TIMEOUT,
    });
    t.diagnostic(`wrong host: ${r.code} after ${r.ms} ms: ${r.message}`);
    assert.equal(r.code, 'PERMISSION_DENIED');
    assert.match(r.message, /localhost/);
    assert.match(r.message, /altname|host ?name|does not match/i);
    assert.ok(r.ms < 3_000, `fails without waiting for connectTimeout (${r.ms} ms)`);
  });

  it('no caCert for a server signed by a private CA: Init fails with PERMISSION_DENIED (not trusted)', async (t) => {
    const r = await initFails(bench.connect(), { url: serverAuth.url, consumerID: randomId('tls'), connectTimeout: CONNECT_TIMEOUT });
    t.diagnostic(`untrusted server: ${r.code} after ${r.ms} ms: ${r.message}`);
    assert.equal(r.code, 'PERMISSION_DENIED');
    assert.match(r.message, /certificate|verify/i);
  });

  it('caCert of an unrelated CA: Init fails with PERMISSION_DENIED', async () => {
    const r = await initFails(bench.connect(), { url: serverAuth.url, consumerID: randomId('tls'), caCert: pki.otherCa.cert, connectTimeout: CONNECT_TIMEOUT });
    assert.equal(r.code, 'PERMISSION_DENIED');
  });

  it('mutual TLS without a client certificate: Init fails', async (t) => {
    const r = await initFails(bench.connect(), { url: mutual.url, consumerID: randomId('tls'), caCert: pki.ca.cert, connectTimeout: CONNECT_TIMEOUT });
    t.diagnostic(`no client cert: ${r.code} after ${r.ms} ms: ${r.message}`);
    assert.ok(['PERMISSION_DENIED', 'UNAVAILABLE'].includes(r.code), `got ${r.code}: ${r.message}`);
    assert.match(r.message, /localhost/, 'the error names the broker');
  });

  it('mutual TLS with a client certificate from an untrusted CA: Init fails', async (t) => {
    const r = await initFails(bench.connect(), {
      url: mutual.url,
      consumerID: randomId('tls'),
      caCert: pki.ca.cert,
      clientCert: pki.untrustedClient.cert,
      clientKey: pki.untrustedClient.key,
      connectTimeout: CONNECT_TIMEOUT,
    });
    t.diagnostic(`untrusted client cert: ${r.code} after ${r.ms} ms: ${r.message}`);
    assert.ok(['PERMISSION_DENIED', 'UNAVAILABLE'].includes(r.code), `got ${r.code}: ${r.message}`);
  });

  describe('bad PEM → Init INVALID_ARGUMENT naming the key, secrets not echoed', () => {
    const garbageCert = '-----BEGIN CERTIFICATE-----\nAAAAnotbase64!!\n-----END CERTIFICATE-----\n';
    const cases: Array<[string, () => Record<string, string>]> = [
      ['caCert', () => ({ caCert: 'not a pem at all' })],
      ['caCert', () => ({ caCert: garbageCert })],
      ['clientCert', () => ({ caCert: pki.ca.cert, clientCert: 'nope', clientKey: pki.client.key })],
      ['clientCert', () => ({ caCert: pki.ca.cert, clientCert: pki.client.key, clientKey: pki.client.key })],
      ['clientKey', () => ({ caCert: pki.ca.cert, clientCert: pki.client.cert, clientKey: 'not a key' })],
      ['clientKey', () => ({ caCert: pki.ca.cert, clientCert: pki.client.cert, clientKey: pki.client.cert })],
    ];
    cases.forEach(([key, props], i) => {
      it(`${key} #${i}`, async () => {
        const conn = bench.connect();
        const p = props();
        const err = await expectGrpcError(
          conn.init({ url: mutual.url, consumerID: randomId('pem'), connectTimeout: CONNECT_TIMEOUT, ...p }, { timeoutMs: 10_000 }),
          'INVALID_ARGUMENT',
          [key],
        );
        assert.ok(!err.details.includes('PRIVATE KEY'), 'the key material is not echoed');
      });
    });

    it('clientKey that does not belong to clientCert: Init fails with INVALID_ARGUMENT naming it', async (t) => {
      const conn = bench.connect();
      let error: unknown;
      try {
        await conn.init(
          {
            url: mutual.url,
            consumerID: randomId('pem'),
            caCert: pki.ca.cert,
            clientCert: pki.client.cert,
            clientKey: pki.server.key,
            connectTimeout: CONNECT_TIMEOUT,
          },
          { timeoutMs: 10_000 },
        );
      } catch (err) {
        error = err;
      }
      t.diagnostic(`mismatched key pair: ${error === undefined ? 'Init SUCCEEDED' : `${grpcCodeName(error)}: ${(error as Error).message}`}`);
      assert.notEqual(error, undefined, 'Init must fail');
      assert.equal(grpcCodeName(error), 'INVALID_ARGUMENT');
      assert.match((error as Error).message, /clientKey|clientCert/);
    });
  });
});

describe('N12 (M): TLS against a private Mosquitto', () => {
  let pki: TestPki;
  let bench: TransportBench;
  let serverAuth: MosquittoProcess;
  let mutual: MosquittoProcess;

  before(async () => {
    pki = await createTestPki();
    bench = await startTransportBench();
    const tls = { caPath: pki.ca.certPath, certPath: pki.server.certPath, keyPath: pki.server.keyPath };
    [serverAuth, mutual] = await Promise.all([
      startMosquitto({ plain: false, tls }),
      startMosquitto({ plain: false, tls: { ...tls, requireCertificate: true } }),
    ]);
  });
  after(async () => {
    await bench?.close();
    await serverAuth?.close();
    await mutual?.close();
    await pki?.cleanup();
  });

  it('server-auth with caCert: publish → stream', async () => {
    const conn = bench.connect();
    await conn.init({ url: `mqtts://localhost:${serverAuth.tlsPort}`, consumerID: randomId('mtls-m'), caCert: pki.ca.cert, connectTimeout: CONNECT_TIMEOUT, cleanSession: 'true' });
    await roundTrip(conn, 'mosquitto-tls');
  });

  it('mutual TLS (require_certificate): publish → stream', async () => {
    const conn = bench.connect();
    await conn.init({
      url: `ssl://localhost:${mutual.tlsPort}`,
      consumerID: randomId('mtls-m'),
      caCert: pki.ca.cert,
      clientCert: pki.client.cert,
      clientKey: pki.client.key,
      connectTimeout: CONNECT_TIMEOUT,
      cleanSession: 'true',
    });
    await roundTrip(conn, 'mosquitto-mtls');
  });

  it('mutual TLS without a client certificate: Init fails', async (t) => {
    const r = await initFails(bench.connect(), { url: `mqtts://localhost:${mutual.tlsPort}`, consumerID: randomId('tls'), caCert: pki.ca.cert, connectTimeout: CONNECT_TIMEOUT });
    t.diagnostic(`mosquitto, no client cert: ${r.code} after ${r.ms} ms: ${r.message}`);
    assert.ok(['PERMISSION_DENIED', 'UNAVAILABLE'].includes(r.code), `got ${r.code}: ${r.message}`);
  });

  it('caCert of an unrelated CA: Init fails with PERMISSION_DENIED', async () => {
    const r = await initFails(bench.connect(), { url: `mqtts://localhost:${serverAuth.tlsPort}`, consumerID: randomId('tls'), caCert: pki.otherCa.cert, connectTimeout: CONNECT_TIMEOUT });
    assert.equal(r.code, 'PERMISSION_DENIED');
  });
});
