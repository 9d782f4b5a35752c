/**
 * Certificate files by path (`caCertPath`, `clientCertPath`, `clientKeyPath`), (M) against a
 * private Mosquitto with mutual TLS that takes the client certificate's CN as the user name (so
 * its log says which certificate each connection presented), behind a TCP proxy that can cut the
 * link. The files live in a Kubernetes-style Secret volume (`..data` symlink swap).
 *
 *   Rotation: the folder watcher reloads the new pair; the next reconnect presents it.
 *   A change that does not parse: logged (field, path, why; no PEM), the previous pair kept, the
 *   reconnect still works. Init: files checked like the inline PEMs; inline and path both given,
 *   or a missing file → INVALID_ARGUMENT naming the field.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomId } from '../helpers/component-fixture.js';
import { connectPubSub, type PubSubConnection, type Subscription } from '../helpers/daprd-harness.js';
import { startComponentProcess, type ComponentProcess } from '../helpers/component-process.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { startMosquitto, type MosquittoProcess } from '../helpers/mosquitto-process.js';
import { createProjectedVolume, type ProjectedVolume } from '../helpers/projected-volume.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestPki, issueClientCertificate, type CertFiles, type TestPki } from '../helpers/tls-certs.js';
import { waitUntil } from '../helpers/wait.js';

/** How many connections Mosquitto accepted from a client certificate with this CN. */
const loginsAs = (log: string, cn: string): number => log.split('\n').filter((l) => l.includes('New client connected') && l.includes(`u'${cn}'`)).length;

describe('caCertPath / clientCertPath / clientKeyPath (M): reloaded when they change', () => {
  let pki: TestPki;
  let rotated: CertFiles;
  let mosquitto: MosquittoProcess;
  let proxy: TcpProxy;
  let volume: ProjectedVolume;
  let component: ComponentProcess;
  let conn: PubSubConnection;
  let sub: Subscription;
  let topic: string;
  let url: string;

  const files = (client: CertFiles): Record<string, string> => ({ 'ca.crt': pki.ca.cert, 'tls.crt': client.cert, 'tls.key': client.key });

  /** Cuts every link; the component reconnects by itself. */
  const forceReconnect = (): void => {
    proxy.cut('reset');
    proxy.restore();
  };

  const roundTrip = async (label: string): Promise<void> => {
    await conn.publish(topic, label);
    await sub.waitFor(() => sub.acked.some((d) => d.data.toString() === label), { what: label });
  };

  before(async () => {
    pki = await createTestPki();
    rotated = await issueClientCertificate(pki, 'rotated-client', 'test-client-2');
    mosquitto = await startMosquitto({
      plain: false,
      tls: { caPath: pki.ca.certPath, certPath: pki.server.certPath, keyPath: pki.server.keyPath, requireCertificate: true },
      extraConfig: ['use_identity_as_username true'],
    });
    proxy = await startTcpProxy({ targetPort: mosquitto.tlsPort as number });
    url = `mqtts://localhost:${proxy.port}`;
    volume = await createProjectedVolume(files(pki.client));
    component = await startComponentProcess({ env: { LOG_LEVEL: 'debug' } });
    conn = connectPubSub(component.socketPath, 'certs');
    topic = `${randomId('certs')}/t`;
  });
  after(async () => {
    await conn?.close();
    await component?.cleanup();
    await proxy?.close();
    await mosquitto?.close();
    await volume?.cleanup();
    await pki?.cleanup();
  });

  it('Init with the three paths: mutual TLS works, the broker saw the first certificate', async () => {
    await conn.init({
      url,
      consumerID: randomId('certs'),
      caCertPath: volume.path('ca.crt'),
      clientCertPath: volume.path('tls.crt'),
      clientKeyPath: volume.path('tls.key'),
      connectTimeout: '3s',
    });
    sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();
    await roundTrip('first');
    assert.ok(loginsAs(mosquitto.log, 'test-client') >= 2, 'publisher and subscription presented test-client');
  });

  it('rotated certificate and key: reloaded by the folder watcher, presented at the next reconnect; publishes keep working', async () => {
    const logFrom = component.stdout.length;
    await volume.update(files(rotated));
    await waitUntil(
      () => /credential files reloaded/.test(component.stdout.slice(logFrom)),
      () => `the component to log the reload: ${component.stdout.slice(logFrom).slice(-1500)}`,
    );
    forceReconnect();
    await roundTrip('after-rotation');
    await waitUntil(() => loginsAs(mosquitto.log, 'test-client-2') >= 2, () => `both links to present test-client-2: ${mosquitto.log.slice(-1500)}`);
    assert.equal(sub.serverEnd, undefined);
  });

  it('a changed certificate file that does not parse: logged without its content, the previous pair kept; reconnects still work', async () => {
    const logFrom = component.stdout.length;
    const loginsBefore = loginsAs(mosquitto.log, 'test-client-2');
    await volume.update({ ...files(rotated), 'tls.crt': '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' });
    await waitUntil(
      () => /credential file changed but cannot be used/.test(component.stdout.slice(logFrom)),
      () => `the component to log the bad file: ${component.stdout.slice(logFrom).slice(-1500)}`,
    );
    const warning = component.stdout
      .slice(logFrom)
      .split('\n')
      .find((l) => l.includes('credential file changed but cannot be used'));
    assert.ok(warning);
    const line = JSON.parse(warning) as { field?: string; path?: string; level?: number };
    assert.equal(line.field, 'clientCertPath');
    assert.equal(line.path, volume.path('tls.crt'));
    assert.ok(!warning.includes('BEGIN') && !warning.includes('bm90IGEg'), `no PEM in: ${warning}`);
    forceReconnect();
    await roundTrip('after-bad-file');
    await waitUntil(() => loginsAs(mosquitto.log, 'test-client-2') >= loginsBefore + 2, () => 'both links back with the previous (good) certificate');
    // Logged once, not at every reconnect.
    forceReconnect();
    await roundTrip('after-second-cut');
    assert.equal(component.stdout.slice(logFrom).split('\n').filter((l) => l.includes('credential file changed but cannot be used')).length, 1);
  });

  it('a key that does not match the certificate: the pair is not replaced until it matches', async () => {
    const logFrom = component.stdout.length;
    await volume.update({ 'ca.crt': pki.ca.cert, 'tls.crt': pki.client.cert, 'tls.key': rotated.key });
    await waitUntil(() => /credential file changed but cannot be used/.test(component.stdout.slice(logFrom)), () => 'the mismatch to be logged');
    const loginsBefore = loginsAs(mosquitto.log, 'test-client-2');
    forceReconnect();
    await roundTrip('mismatched-pair');
    await waitUntil(() => loginsAs(mosquitto.log, 'test-client-2') >= loginsBefore + 2, () => 'the links back with the previous pair');
    // Now the matching key arrives: the next reconnect presents test-client.
    const before = loginsAs(mosquitto.log, 'test-client');
    await volume.update(files(pki.client));
    await waitUntil(() => /credential files reloaded/.test(component.stdout.slice(logFrom)), () => 'the reload to be logged');
    forceReconnect();
    await roundTrip('matching-pair');
    await waitUntil(() => loginsAs(mosquitto.log, 'test-client') >= before + 2, () => 'the links back with test-client');
  });

  it('Init: inline and by path both, a missing file, a file that is not PEM, a path without TLS → INVALID_ARGUMENT naming the field', async () => {
    const other = connectPubSub(component.socketPath, 'certs-bad');
    const base = { url, consumerID: randomId('certs'), connectTimeout: '3s' };
    await expectGrpcError(other.init({ ...base, caCert: pki.ca.cert, caCertPath: volume.path('ca.crt') }), 'INVALID_ARGUMENT', ['caCertPath', 'caCert']);
    await expectGrpcError(other.init({ ...base, caCertPath: path.join(volume.dir, 'missing.crt') }), 'INVALID_ARGUMENT', ['caCertPath', 'missing.crt']);
    await expectGrpcError(
      other.init({ ...base, caCertPath: volume.path('ca.crt'), clientCertPath: volume.path('tls.key'), clientKeyPath: volume.path('tls.key') }),
      'INVALID_ARGUMENT',
      ['clientCertPath'],
    );
    await expectGrpcError(other.init({ ...base, caCertPath: volume.path('ca.crt'), clientCertPath: volume.path('tls.crt') }), 'INVALID_ARGUMENT', ['clientKeyPath']);
    const err = await expectGrpcError(other.init({ ...base, url: 'mqtt://127.0.0.1:1', caCertPath: volume.path('ca.crt') }), 'INVALID_ARGUMENT', ['caCertPath', 'TLS']);
    assert.ok(!err.details.includes('BEGIN'));
    await other.close();
  });

  it('no private key ever reaches the component\'s output', () => {
    const output = component.stdout + component.stderr;
    assert.ok(!output.includes('PRIVATE KEY'));
    for (const key of [pki.client.key, rotated.key]) {
      const body = key.split('\n')[1] as string;
      assert.ok(!output.includes(body), 'key material in the output');
    }
  });
});
