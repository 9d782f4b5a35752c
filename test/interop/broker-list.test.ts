/**
 * Several brokers in `url` (and STATE_SERVICE_URL): every entry validated by the same rules,
 * tried in order, each failed connect moving on to the next, over plain TCP and TLS (each
 * entry verified by its own host name). The first entry is a port nothing listens on.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { freePort, startMosquitto, type MosquittoProcess } from '../helpers/mosquitto-process.js';
import { assertAckedExactlyOnce, numbered, publishAll } from '../helpers/pubsub-scenarios.js';
import { startStateServiceProcess } from '../helpers/state-fixture.js';
import { connectState } from '../helpers/state-harness.js';
import { createTestPki, type TestPki } from '../helpers/tls-certs.js';
import type { MainProcess } from '../helpers/main-process.js';

describe('several brokers in url', () => {
  let pki: TestPki;
  let mosquitto: MosquittoProcess;
  let fx: Fixture;
  let dead: number;
  before(async () => {
    pki = await createTestPki();
    mosquitto = await startMosquitto({ tls: { caPath: pki.ca.certPath, certPath: pki.server.certPath, keyPath: pki.server.keyPath } });
    dead = await freePort();
    fx = await startFixture({ broker: 'external', brokerUrl: `tcp://127.0.0.1:${dead},tcp://127.0.0.1:${mosquitto.port}` });
  });
  after(async () => {
    await fx?.close();
    await mosquitto?.close();
    await pki?.cleanup();
  });

  async function roundTrip(properties: Record<string, string>, label: string): Promise<void> {
    const conn = await fx.initInstance(properties);
    const topic = fx.topic(label);
    const sub = conn.subscribe(topic, {}, () => undefined);
    await sub.ready();
    const payloads = numbered(label, 5);
    await publishAll(conn, topic, payloads);
    await sub.waitForAcked(5);
    assertAckedExactlyOnce(sub, payloads);
    await conn.ping();
    await sub.close();
  }

  it('plain: the first broker refuses connections, Init moves on to the second, messages flow', async () => {
    await roundTrip({}, 'list-plain');
  });

  it('TLS: each entry is verified by its own name (an IP, then localhost)', async () => {
    await roundTrip({ url: `mqtts://127.0.0.1:${dead},mqtts://localhost:${mosquitto.tlsPort}`, caCert: pki.ca.cert }, 'list-tls');
  });

  it('every entry is checked: a bad one, a mix of TLS and plain, an empty one fail Init with INVALID_ARGUMENT naming url', async () => {
    const good = `tcp://127.0.0.1:${mosquitto.port}`;
    for (const url of [`${good},foo://127.0.0.1:1`, `${good},mqtts://localhost:${mosquitto.tlsPort}`, `${good},,${good}`, `${good},tcp://`]) {
      await expectGrpcError(fx.connect().init({ url, consumerID: fx.uid('bad') }), 'INVALID_ARGUMENT', ['url'], `Init with url ${url}`);
    }
  });

  it('STATE_SERVICE_URL takes the same list: the state service process attaches past the dead entry and serves state', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'state-list-'));
    const serviceName = fx.uid('svc');
    let service: MainProcess | undefined;
    try {
      service = await startStateServiceProcess(fx.brokerUrl, serviceName, dataDir);
      const store = connectState(fx.socketPath, fx.uid('store'));
      try {
        await store.init({ url: fx.brokerUrl, stateService: serviceName });
        await store.set('app||k', '"v"');
        assert.equal((await store.get('app||k')).data?.toString(), '"v"');
      } finally {
        store.close();
      }
    } finally {
      await service?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
