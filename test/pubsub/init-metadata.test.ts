// R1: Init with the minimum and with every field; bad metadata fails Init with INVALID_ARGUMENT
// naming the key, within daprd's init timeout. Bundled broker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { text } from '../helpers/pubsub-scenarios.js';
import { createTestPki, type TestPki } from '../helpers/tls-certs.js';
import { startTlsListener } from '../helpers/transport-brokers.js';

describe('R1: pub/sub Init metadata (bundled broker)', () => {
  let fx: Fixture;
  let pki: TestPki;
  let tlsUrl: string;
  before(async () => {
    [fx, pki] = await Promise.all([startFixture({ broker: 'bundled' }), createTestPki()]);
    // PEMs are checked before any connection: a TLS scheme pointing at the plain port is enough.
    tlsUrl = fx.brokerUrl.replace(/^tcp:/, 'mqtts:');
  });
  after(async () => {
    await fx?.close();
    await pki?.cleanup();
  });

  it('Init with only url and consumerID succeeds; Features and Ping answer', async () => {
    const conn = fx.connect();
    await conn.init({ url: fx.brokerUrl, consumerID: fx.uid('consumer') });
    assert.ok((await conn.features()).length > 0);
    await conn.ping();
  });

  it('Init with every field (mutual TLS via mqtts://) succeeds, ignores daprd-level keys, and the values take effect', async (t) => {
    const broker = fx.bundledBroker();
    assert.ok(broker, 'the bundled broker is running');
    const listener = await startTlsListener(broker.aedes, { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true });
    t.after(() => listener.close());
    const conn = fx.connect();
    await conn.init({
      url: listener.url,
      consumerID: fx.uid('consumer'),
      qos: '2',
      retain: 'true',
      cleanSession: 'true',
      clientId: fx.uid('client'),
      caCert: pki.ca.cert,
      clientCert: pki.client.cert,
      clientKey: pki.client.key,
      username: 'dapr-user',
      password: 'p@ss:w/rd%',
      publishTimeout: '2s',
      keepAlive: '30',
      maxInflightPublishes: '16',
      redeliveryInitialDelay: '100ms',
      redeliveryMaxDelay: '2s',
      // Keys daprd may add for any component.
      keyPrefix: 'appid',
      actorStateStore: 'false',
    });
    await conn.features();
    await conn.ping();
    assert.ok(listener.clientCertCNs.includes('test-client'), `client certificates the TLS listener accepted: ${listener.clientCertCNs.join(', ')}`);

    const topic = fx.topic('r1/every-field');
    fx.trackRetained(topic);
    await conn.publish(topic, 'every-field');
    const peer = await fx.peer();
    const got = await peer.subscribe(topic, 2);
    await got.waitFor(1);
    assert.equal(text(got.messages[0]!), 'every-field');
    assert.equal(got.messages[0]!.retain, true, 'retain=true took effect');
    assert.equal(got.messages[0]!.qos, 2, 'qos=2 took effect');
  });

  it('publishTimeout accepts plain milliseconds', async () => {
    const conn = fx.connect();
    await conn.init({ url: fx.brokerUrl, consumerID: fx.uid('consumer'), publishTimeout: '1500' });
    await conn.ping();
  });

  const invalid: Array<{ name: string; key: string; props: (fx: Fixture, tlsUrl: string, pki: TestPki) => Record<string, string> }> = [
    { name: 'missing url', key: 'url', props: (f) => ({ consumerID: f.uid('c') }) },
    { name: 'empty url', key: 'url', props: (f) => ({ url: '', consumerID: f.uid('c') }) },
    { name: 'missing consumerID', key: 'consumerID', props: (f) => ({ url: f.brokerUrl }) },
    { name: 'empty consumerID', key: 'consumerID', props: (f) => ({ url: f.brokerUrl, consumerID: '' }) },
    { name: 'qos 3', key: 'qos', props: (f) => ({ url: f.brokerUrl, consumerID: f.uid('c'), qos: '3' }) },
    { name: 'qos -1', key: 'qos', props: (f) => ({ url: f.brokerUrl, consumerID: f.uid('c'), qos: '-1' }) },
    { name: 'qos not a number', key: 'qos', props: (f) => ({ url: f.brokerUrl, consumerID: f.uid('c'), qos: 'one' }) },
    { name: 'unknown url scheme', key: 'url', props: (f) => ({ url: f.brokerUrl.replace(/^tcp:/, 'foo:'), consumerID: f.uid('c') }) },
    { name: 'url that is not a url', key: 'url', props: (f) => ({ url: 'not a url', consumerID: f.uid('c') }) },
    { name: 'bad caCert PEM', key: 'caCert', props: (f, tls) => ({ url: tls, consumerID: f.uid('c'), caCert: 'not a pem' }) },
    {
      name: 'bad clientCert PEM',
      key: 'clientCert',
      props: (f, tls, p) => ({ url: tls, consumerID: f.uid('c'), caCert: p.ca.cert, clientCert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', clientKey: p.client.key }),
    },
    {
      name: 'bad clientKey PEM',
      key: 'clientKey',
      props: (f, tls, p) => ({ url: tls, consumerID: f.uid('c'), caCert: p.ca.cert, clientCert: p.client.cert, clientKey: 'garbage' }),
    },
    { name: 'retain not a boolean', key: 'retain', props: (f) => ({ url: f.brokerUrl, consumerID: f.uid('c'), retain: 'maybe' }) },
    { name: 'cleanSession not a boolean', key: 'cleanSession', props: (f) => ({ url: f.brokerUrl, consumerID: f.uid('c'), cleanSession: 'sometimes' }) },
    { name: 'publishTimeout not a duration', key: 'publishTimeout', props: (f) => ({ url: f.brokerUrl, consumerID: f.uid('c'), publishTimeout: 'soon' }) },
    { name: 'keepAlive negative', key: 'keepAlive', props: (f) => ({ url: f.brokerUrl, consumerID: f.uid('c'), keepAlive: '-5' }) },
    { name: 'maxInflightPublishes not a number', key: 'maxInflightPublishes', props: (f) => ({ url: f.brokerUrl, consumerID: f.uid('c'), maxInflightPublishes: 'many' }) },
    { name: 'redeliveryInitialDelay not a duration', key: 'redeliveryInitialDelay', props: (f) => ({ url: f.brokerUrl, consumerID: f.uid('c'), redeliveryInitialDelay: 'later' }) },
  ];

  for (const c of invalid) {
    it(`Init fails with INVALID_ARGUMENT naming "${c.key}": ${c.name}`, async () => {
      const conn = fx.connect();
      await expectGrpcError(conn.init(c.props(fx, tlsUrl, pki)), 'INVALID_ARGUMENT', [c.key], `Init (${c.name})`);
      // The failed instance stays uninitialized.
      await expectGrpcError(conn.publish(fx.topic('r1/after-failed-init'), 'x'), 'FAILED_PRECONDITION');
    });
  }
});
