/**
 * N13: `ws://` and `wss://` broker urls with a path. The bundled broker's Aedes gets WebSocket
 * listeners (plain and TLS) that upgrade only on their path; the component must keep the url's
 * path, default it to `/mqtt` when absent, and verify the wss server certificate.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomId } from '../helpers/component-fixture.js';
import type { PubSubConnection } from '../helpers/daprd-harness.js';
import { grpcCodeName } from '../helpers/grpc-assert.js';
import { createTestPki, type TestPki } from '../helpers/tls-certs.js';
import { startTransportBench, startWsListener, type ExtraListener, type TransportBench } from '../helpers/transport-brokers.js';

const CONNECT_TIMEOUT = '3s';

async function roundTrip(conn: PubSubConnection, label: string): Promise<void> {
  const topic = `${randomId('ws')}/${label}`;
  const sub = conn.subscribe(topic, {}, () => {});
  try {
    await sub.ready();
    for (let i = 0; i < 3; i++) await conn.publish(topic, `${label}-${i}`);
    await sub.waitForAcked(3);
    assert.deepEqual(
      sub.acked.map((d) => d.data.toString()),
      [0, 1, 2].map((i) => `${label}-${i}`),
    );
    assert.equal(sub.acked[0]?.topicName, topic);
    assert.equal(sub.serverEnd, undefined);
  } finally {
    await sub.close();
  }
}

describe('N13: MQTT over WebSocket', () => {
  let pki: TestPki;
  let bench: TransportBench;
  let ws: ExtraListener;
  let wsCustom: ExtraListener;
  let wss: ExtraListener;
  let wssWrongHost: ExtraListener;

  before(async () => {
    pki = await createTestPki();
    bench = await startTransportBench();
    const aedes = bench.broker.aedes;
    ws = bench.track(await startWsListener(aedes, { path: '/mqtt' }));
    wsCustom = bench.track(await startWsListener(aedes, { path: '/gateway/v1/mqtt' }));
    wss = bench.track(await startWsListener(aedes, { path: '/mqtt', tls: { key: pki.server.key, cert: pki.server.cert } }));
    wssWrongHost = bench.track(
      await startWsListener(aedes, { path: '/mqtt', tls: { key: pki.wrongHostServer.key, cert: pki.wrongHostServer.cert } }),
    );
  });
  after(async () => {
    await bench?.close();
    await pki?.cleanup();
  });

  it('ws://127.0.0.1:<port>/mqtt: publish → stream through the WebSocket listener', async () => {
    const before = ws.handedToBroker;
    const conn = bench.connect();
    await conn.init({ url: ws.url, consumerID: randomId('ws'), connectTimeout: CONNECT_TIMEOUT });
    await roundTrip(conn, 'ws');
    assert.ok(ws.handedToBroker >= before + 2, `publisher and subscription links came over WebSocket (${ws.handedToBroker - before})`);
  });

  it('ws:// with a longer path (/gateway/v1/mqtt): the path is kept', async () => {
    const before = wsCustom.handedToBroker;
    const conn = bench.connect();
    await conn.init({ url: wsCustom.url, consumerID: randomId('ws'), connectTimeout: CONNECT_TIMEOUT });
    await roundTrip(conn, 'ws-path');
    assert.ok(wsCustom.handedToBroker >= before + 2);
  });

  it('ws:// without a path uses /mqtt', async () => {
    const conn = bench.connect();
    await conn.init({ url: `ws://127.0.0.1:${ws.port}`, consumerID: randomId('ws'), connectTimeout: CONNECT_TIMEOUT });
    await roundTrip(conn, 'ws-default');
  });

  it('ws:// with the wrong path: Init fails (the listener answers 404), naming the broker', async (t) => {
    const conn = bench.connect();
    let error: unknown;
    const t0 = Date.now();
    try {
      await conn.init({ url: `ws://127.0.0.1:${ws.port}/not-mqtt`, consumerID: randomId('ws'), connectTimeout: CONNECT_TIMEOUT }, { timeoutMs: 10_000 });
    } catch (err) {
      error = err;
    }
    t.diagnostic(`wrong path: ${error === undefined ? 'Init SUCCEEDED' : `${grpcCodeName(error)} after ${Date.now() - t0} ms: ${(error as Error).message}`}`);
    assert.notEqual(error, undefined, 'Init must fail');
    assert.ok(['UNAVAILABLE', 'PERMISSION_DENIED'].includes(grpcCodeName(error)), grpcCodeName(error));
    assert.match((error as Error).message, new RegExp(`127\\.0\\.0\\.1:${ws.port}`));
  });

  it('wss://localhost:<port>/mqtt with caCert: publish → stream', async () => {
    const before = wss.handedToBroker;
    const conn = bench.connect();
    await conn.init({ url: wss.url, consumerID: randomId('wss'), caCert: pki.ca.cert, connectTimeout: CONNECT_TIMEOUT });
    await roundTrip(conn, 'wss');
    assert.ok(wss.handedToBroker >= before + 2);
  });

  it('wss:// without caCert for a private CA: Init fails with PERMISSION_DENIED', async (t) => {
    const conn = bench.connect();
    let error: unknown;
    try {
      await conn.init({ url: wss.url, consumerID: randomId('wss'), connectTimeout: CONNECT_TIMEOUT }, { timeoutMs: 10_000 });
    } catch (err) {
      error = err;
    }
    t.diagnostic(`wss untrusted: ${error === undefined ? 'Init SUCCEEDED' : `${grpcCodeName(error)}: ${(error as Error).message}`}`);
    assert.equal(grpcCodeName(error), 'PERMISSION_DENIED');
  });

  it('wss:// to a server whose certificate names another host: Init fails with PERMISSION_DENIED', async (t) => {
    const conn = bench.connect();
    let error: unknown;
    try {
      await conn.init({ url: wssWrongHost.url, consumerID: randomId('wss'), caCert: pki.ca.cert, connectTimeout: CONNECT_TIMEOUT }, { timeoutMs: 10_000 });
    } catch (err) {
      error = err;
    }
    t.diagnostic(`wss wrong host: ${error === undefined ? 'Init SUCCEEDED' : `${grpcCodeName(error)}: ${(error as Error).message}`}`);
    assert.equal(grpcCodeName(error), 'PERMISSION_DENIED');
    assert.match((error as Error).message, /altname|host ?name|does not match/i);
  });

  it('wss:// to 127.0.0.1 with a certificate for localhost + IP SAN: hostname check passes by IP', async () => {
    const conn = bench.connect();
    await conn.init({ url: `wss://127.0.0.1:${wss.port}/mqtt`, consumerID: randomId('wss'), caCert: pki.ca.cert, connectTimeout: CONNECT_TIMEOUT });
    await roundTrip(conn, 'wss-ip');
  });
});
