/**
 * Metrics and health in one process: the bundled broker, the component server and the metrics
 * server (port 0), wired as main.ts wires them, driven over the real Unix socket the way daprd
 * drives it, and read over real HTTP. Every counter is compared before and after an action and
 * must have moved by exactly what was done.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { startComponentServer, type ComponentServer } from '../../src/grpc/start-component-server.js';
import { createLogger, createSilentLogger, type Logger } from '../../src/logging/logger.js';
import { createComponentMetrics, type ComponentMetrics } from '../../src/metrics/component-metrics.js';
import { Readiness, type ReadinessReport } from '../../src/metrics/readiness.js';
import { startMetricsServer, type MetricsServer } from '../../src/metrics/start-metrics-server.js';
import { connectPubSub, type PubSubConnection, type Subscription } from '../helpers/daprd-harness.js';
import { asDaprdSees, connectState, type StateConnection } from '../helpers/state-harness.js';
import { waitUntil } from '../helpers/wait.js';
import { httpGet, scrape, type Samples } from './scrape.js';

const P = 'mqtt_pluggable_';
const PUBSUB = 'metrics-pubsub';
const STATE = 'metrics-state';

function testLogger(): Logger {
  const level = process.env.TEST_LOG_LEVEL;
  return level ? createLogger({ level, destination: pino.destination(2) }) : createSilentLogger();
}

async function readyz(port: number): Promise<{ status: number; report: ReadinessReport }> {
  const res = await httpGet(port, '/readyz');
  assert.match(res.contentType, /application\/json/);
  return { status: res.status, report: JSON.parse(res.body) as ReadinessReport };
}

describe('metrics, /healthz and /readyz (component + bundled broker in process)', () => {
  const logger = testLogger();
  const cleanups: Array<() => Promise<unknown>> = [];
  let metrics: ComponentMetrics;
  let readiness: Readiness;
  let http: MetricsServer;
  let broker: Broker | undefined;
  let brokerPort: number;
  let dataDir: string;
  let server: ComponentServer;
  let url: string;
  let pubsub: PubSubConnection;
  let sub: Subscription;
  let state: StateConnection;

  before(async () => {
    metrics = createComponentMetrics();
    readiness = new Readiness();
    http = await startMetricsServer({ port: 0, host: '127.0.0.1', registry: metrics.registry, readiness, logger });
    cleanups.push(() => http.close());
  });

  after(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
  });

  it('/healthz is 200 at once; /readyz is 503 until the socket is bound, then 200 before any Init', async () => {
    const health = await httpGet(http.port, '/healthz');
    assert.equal(health.status, 200);
    assert.equal(health.body, 'ok\n');
    const starting = await readyz(http.port);
    assert.equal(starting.status, 503);
    assert.deepEqual(starting.report.notReady, ['process: starting']);

    dataDir = await mkdtemp(join(tmpdir(), 'dmq-metrics-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir, logger, metrics });
    brokerPort = broker.port;
    cleanups.push(async () => broker?.close());
    url = `tcp://127.0.0.1:${brokerPort}`;
    const socketFolder = await mkdtemp(join(tmpdir(), 'dmq-metrics-sock-'));
    cleanups.push(() => rm(socketFolder, { recursive: true, force: true }));
    server = await startComponentServer({ socketFolder, socketName: 'mqtt-metrics', logger, metrics });
    cleanups.push(() => server.close());
    readiness.add('component', () => server.readiness());

    const ready = await readyz(http.port);
    assert.equal(ready.status, 200, JSON.stringify(ready.report));
    assert.deepEqual(ready.report, { ready: true, notReady: [], checks: { component: { ready: true, reasons: [] } } });
    assert.equal((await httpGet(http.port, '/healthz', 'HEAD')).status, 200);
  });

  it('other paths answer 404, other methods 405', async () => {
    assert.equal((await httpGet(http.port, '/nope')).status, 404);
    assert.equal((await httpGet(http.port, '/metrics', 'POST')).status, 405);
  });

  it('pub/sub: published, delivered, acked, nacked, redelivered, in flight, dropped and publish latency move by exactly what daprd did', async () => {
    pubsub = connectPubSub(server.socketPath, PUBSUB);
    cleanups.push(() => pubsub.close());
    await pubsub.init({ url, consumerID: 'metrics-app', sharedSubscriptions: 'false', redeliveryInitialDelay: '20ms', maxDeliverySize: '1024' });
    await pubsub.features();

    const topic = `metrics-${process.pid}/orders`;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let nackedOnce = false;
    // The subscription is active at the broker once it emitted 'subscribe' for it (no probes:
    // they would be counted too).
    const subscribed = new Promise<void>((resolve) => {
      const onSubscribe = (subs: Array<{ topic: string }>): void => {
        if (subs.some((s) => s.topic === topic)) {
          broker?.aedes.off('subscribe', onSubscribe);
          resolve();
        }
      };
      broker?.aedes.on('subscribe', onSubscribe);
    });
    sub = pubsub.subscribe(topic, {}, async (d) => {
      const body = d.data.toString();
      if (body === 'm2' && !nackedOnce) {
        nackedOnce = true;
        throw new Error('simulated handler failure');
      }
      if (body === 'm3') await gate;
    });
    await subscribed;

    const before = await scrape(http.port);
    const delta = (s: Samples, name: string, labels: Record<string, string> = { instance: PUBSUB }): number => s.get(name, labels) - before.get(name, labels);

    await pubsub.publish(topic, 'm1');
    await sub.waitForAcked(1);
    await pubsub.publish(topic, 'm2'); // nacked once, then redelivered and acked
    await sub.waitForAcked(2);
    await pubsub.publish(topic, 'm3'); // held by the app: in flight
    await sub.waitFor(4);
    const during = await scrape(http.port);
    assert.equal(during.get(`${P}pubsub_in_flight`, { instance: PUBSUB }), 1, 'the message the app holds is in flight');
    release();
    await sub.waitForAcked(3);
    const failed = await pubsub.bulkPublish(topic, [
      { entryId: 'b1', event: 'b1' },
      { entryId: 'b2', event: 'b2' },
    ]);
    assert.deepEqual(failed, []);
    await sub.waitForAcked(5);
    await assert.rejects(pubsub.publish(`${topic}/+`, 'invalid'), /INVALID_ARGUMENT|topic/);
    await pubsub.publish(topic, 'x'.repeat(4096)); // larger than maxDeliverySize: dropped, acknowledged
    await pubsub.publish(topic, 'm4');
    await sub.waitForAcked(6);

    // The component counts an ack when it reads it from the stream, just after the app sent it.
    let now = before;
    await waitUntil(
      async () => {
        now = await scrape(http.port);
        return delta(now, `${P}pubsub_acked_total`) >= 6;
      },
      () => `acked_total to move by 6 (moved by ${delta(now, `${P}pubsub_acked_total`)})`,
    );
    const seen = sub.deliveries.map((d) => d.data.toString());
    assert.deepEqual(seen.slice(0, 4), ['m1', 'm2', 'm2', 'm3'], 'what the app saw');
    assert.deepEqual(seen.slice(4).sort(), ['b1', 'b2', 'm4'], 'what the app saw');
    assert.equal(delta(now, `${P}pubsub_published_total`), 7, '3 Publish + 2 BulkPublish entries + the dropped one + m4');
    assert.equal(delta(now, `${P}pubsub_delivered_total`), 7, '6 messages, one of them twice');
    assert.equal(delta(now, `${P}pubsub_acked_total`), 6);
    assert.equal(delta(now, `${P}pubsub_nacked_total`), 1);
    assert.equal(delta(now, `${P}pubsub_redelivered_total`), 1);
    assert.equal(delta(now, `${P}pubsub_dropped_total`), 1);
    assert.equal(now.get(`${P}pubsub_in_flight`, { instance: PUBSUB }), 0);
    const count = (operation: string, outcome: string): number =>
      delta(now, `${P}pubsub_publish_duration_seconds_count`, { instance: PUBSUB, operation, outcome });
    assert.equal(count('publish', 'ok'), 5);
    assert.equal(count('publish', 'ERR_PUBLISH_TOPIC_INVALID'), 1);
    assert.equal(count('bulk_publish', 'ok'), 1);
    // Topics are never labels.
    assert.ok(!now.text.includes(topic), 'no topic in any label');
  });

  it('state: operation latency by operation and outcome (etag mismatch included), and the state service requests', async () => {
    const before = await scrape(http.port);
    state = connectState(server.socketPath, STATE);
    cleanups.push(async () => state.close());
    await state.init({ url });
    await state.features();
    await state.set('order-1', '{"n":1}');
    const got = await state.get('order-1');
    const etag = got.etag?.value ?? '';
    assert.notEqual(etag, '');
    await state.set('order-1', '{"n":2}', { etag });
    const stale = await state.set('order-1', '{"n":3}', { etag }).then(
      () => assert.fail('a stale etag must fail'),
      (err: unknown) => asDaprdSees(err),
    );
    assert.equal(stale.code, 'FAILED_PRECONDITION');
    await state.get('missing-key');

    const now = await scrape(http.port);
    const op = (operation: string, outcome: string): number => {
      const labels = { instance: STATE, operation, outcome };
      return now.get(`${P}state_operation_duration_seconds_count`, labels) - before.get(`${P}state_operation_duration_seconds_count`, labels);
    };
    assert.equal(op('ping', 'ok'), 1, 'Init asks the state service for a pong');
    assert.equal(op('set', 'ok'), 2);
    assert.equal(op('set', 'ERR_STATE_ETAG_MISMATCH'), 1);
    assert.equal(op('get', 'ok'), 2);
    const served = (operation: string, outcome: string): number => {
      const labels = { operation, outcome };
      return now.get(`${P}state_service_requests_total`, labels) - before.get(`${P}state_service_requests_total`, labels);
    };
    assert.equal(served('ping', 'ok'), 1);
    assert.equal(served('set', 'ok'), 2);
    assert.equal(served('set', 'ETAG_MISMATCH'), 1);
    assert.equal(served('get', 'ok'), 2);
    // The histogram's buckets are cumulative and end with +Inf = count.
    const inf = now.get(`${P}state_operation_duration_seconds_bucket`, { instance: STATE, operation: 'set', outcome: 'ok', le: '+Inf' });
    assert.equal(inf, now.get(`${P}state_operation_duration_seconds_count`, { instance: STATE, operation: 'set', outcome: 'ok' }));
  });

  it('broker gauges: connected clients and persistent sessions', async () => {
    const now = await scrape(http.port);
    // The publisher, the subscription's connection and the state client.
    assert.equal(broker?.aedes.connectedClients, 3);
    assert.equal(now.get(`${P}broker_clients`), 3);
    // Only the subscription keeps a persistent session; the publisher's and the state client's are clean.
    assert.equal(now.get(`${P}broker_sessions`), 1);
    assert.ok(now.families().includes('process_cpu_user_seconds_total'), 'Node process metrics are there');
  });

  it('/readyz is 503 naming each instance while the broker is down, 200 again once it is back; each connection counts one reconnect', async () => {
    const before = await scrape(http.port);
    await broker?.close();
    broker = undefined;
    let down: ReadinessReport | undefined;
    await waitUntil(
      async () => {
        const r = await readyz(http.port);
        down = r.report;
        return r.status === 503 && r.report.notReady.length === 2;
      },
      () => `/readyz to be 503 for both instances (last: ${JSON.stringify(down)})`,
    );
    assert.deepEqual(down?.notReady, [
      `component: pubsub instance "${PUBSUB}" is not connected to broker tcp://127.0.0.1:${brokerPort}`,
      `component: state instance "${STATE}" is not connected to broker tcp://127.0.0.1:${brokerPort}`,
    ]);
    assert.equal((await httpGet(http.port, '/healthz')).status, 200, 'still alive');
    // Without a broker in the process the broker gauges read 0.
    assert.equal((await scrape(http.port)).get(`${P}broker_clients`), 0);

    broker = await startBroker({ port: brokerPort, host: '127.0.0.1', dataDir, logger, metrics });
    let last: ReadinessReport | undefined;
    await waitUntil(
      async () => {
        const r = await readyz(http.port);
        last = r.report;
        return r.status === 200;
      },
      () => `/readyz to be 200 after the restart (last: ${JSON.stringify(last)})`,
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    // The subscription's connection comes back too (it is not part of readiness).
    const reconnects = (s: Samples, instance: string, connection: string): number =>
      s.get(`${P}mqtt_reconnects_total`, { instance, connection }) - before.get(`${P}mqtt_reconnects_total`, { instance, connection });
    let now = before;
    await waitUntil(
      async () => {
        now = await scrape(http.port);
        return reconnects(now, PUBSUB, 'subscriber') >= 1 && now.get(`${P}broker_clients`) === 3;
      },
      () => `the subscriber to reconnect (clients: ${now.get(`${P}broker_clients`)})`,
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    assert.equal(reconnects(now, PUBSUB, 'publisher'), 1);
    assert.equal(reconnects(now, PUBSUB, 'subscriber'), 1);
    assert.equal(reconnects(now, STATE, 'state'), 1);

    // And the stream still works.
    await pubsub.publish(sub.topic, 'after-restart');
    await sub.waitFor(() => sub.acked.some((d) => d.data.toString() === 'after-restart'), { timeoutMs: 20_000 });
  });

  it('the metrics server closes idempotently', async () => {
    await Promise.all([http.close(), http.close()]);
    await assert.rejects(httpGet(http.port, '/healthz'), /ECONNREFUSED/);
  });
});
