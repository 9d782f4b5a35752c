/**
 * Competing consumers and restarts through the real daprd (D4, D5). Every daprd has its own
 * component process (a sidecar, as in a pod), all on the bundled broker of the stack's first one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../helpers/broker-process.js';
import { daprApiClient, type SubscribeResponse } from '../helpers/dapr-api-grpc.js';
import { killAllDaprd, type DaprdProcess } from '../helpers/daprd-process.js';
import { pubsubComponent, startDaprStack, stateComponent, type DaprStack } from '../helpers/dapr-stack.js';
import { startSubscriberApp, type SubscriberApp } from '../helpers/subscriber-app.js';
import { staysFalse, waitUntil } from '../helpers/wait.js';

let stack: DaprStack;
const apps: SubscriberApp[] = [];

async function publish(daprd: DaprdProcess, topic: string, n: number): Promise<void> {
  const res = await fetch(`${daprd.url}/v1.0/publish/pubsub/${topic}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) });
  assert.equal(res.status, 204, `publish ${n}: ${res.status} ${await res.text()}`);
}

/** The `n` of every delivery to `route`, probes (negative) left out. */
function numbers(app: SubscriberApp, route: string): number[] {
  return app.on(route).map((d) => (d.body as { data: { n: number } }).data.n).filter((n) => n >= 0);
}

/**
 * Publishes probes (n = -1) until one reaches `app`: daprd is healthy before the component's
 * first MQTT SUBSCRIBE of a new session is acknowledged, and what is published before that has
 * no subscriber yet (later sessions persist).
 */
async function probeSubscribed(publisher: DaprdProcess, app: SubscriberApp, topic: string): Promise<void> {
  await waitUntil(
    async () => {
      await publish(publisher, topic, -1);
      return app.on(`/${topic}`).length > 0;
    },
    () => `a probe on ${topic} to reach the app`,
    { intervalMs: 200 },
  );
}

async function app(topic: string): Promise<SubscriberApp> {
  const a = await startSubscriberApp([{ pubsubname: 'pubsub', topic, route: `/${topic}` }]);
  apps.push(a);
  return a;
}

before(async () => {
  stack = await startDaprStack();
});

after(async () => {
  await killAllDaprd();
  await Promise.all(apps.map((a) => a.close()));
  await stack?.close();
});

describe('competing consumers', () => {
  test('two daprd with one app id share the messages, each once; two app ids each get all', async () => {
    const resources = await stack.resources('cc', [pubsubComponent('pubsub', stack.brokerUrl)]);
    const [r1, r2, other] = [await app('cc'), await app('cc'), await app('cc')];
    const d1 = await stack.daprd({ appId: 'e2e-cc', resourcesPath: resources, appPort: r1.port, waitForApp: true }, await stack.sidecar());
    const d2 = await stack.daprd({ appId: 'e2e-cc', resourcesPath: resources, appPort: r2.port, waitForApp: true }, await stack.sidecar());
    const d3 = await stack.daprd({ appId: 'e2e-cc-other', resourcesPath: resources, appPort: other.port, waitForApp: true }, await stack.sidecar());
    // Every subscription is live once each app has had a probe.
    await waitUntil(
      async () => {
        await publish(d3, 'cc', -1);
        return r1.on('/cc').length > 0 && r2.on('/cc').length > 0 && other.on('/cc').length > 0;
      },
      () => 'a probe at each replica and at the other app',
      { intervalMs: 200 },
    );
    const N = 30;
    for (let n = 0; n < N; n++) await publish(d3, 'cc', n);
    await waitUntil(
      () => numbers(r1, '/cc').length + numbers(r2, '/cc').length >= N && numbers(other, '/cc').length >= N,
      () => `${N} to the replicas together (got ${numbers(r1, '/cc').length}+${numbers(r2, '/cc').length}) and ${N} to the other app (got ${numbers(other, '/cc').length})`,
      { timeoutMs: 20_000 },
    );
    const split = [...numbers(r1, '/cc'), ...numbers(r2, '/cc')].sort((a, b) => a - b);
    assert.deepEqual(split, [...Array(N).keys()], 'each message once across the replicas');
    assert.ok(numbers(r1, '/cc').length > 0 && numbers(r2, '/cc').length > 0, `both replicas got work (${numbers(r1, '/cc').length}/${numbers(r2, '/cc').length})`);
    assert.deepEqual(numbers(other, '/cc').sort((a, b) => a - b), [...Array(N).keys()], 'the other app id got every message');
    assert.ok(await staysFalse(() => numbers(r1, '/cc').length + numbers(r2, '/cc').length > N, 1000));
    await Promise.all([d1.stop(), d2.stop(), d3.stop()]);
  });
});

describe('restarts', () => {
  test('daprd restarted: what was published while it was down arrives (persistent session)', async () => {
    const resources = await stack.resources('rs', [pubsubComponent('pubsub', stack.brokerUrl)]);
    const sub = await app('rs');
    const sidecar = await stack.sidecar();
    const publisher = await stack.daprd({ appId: 'e2e-rs-pub', resourcesPath: resources }, await stack.sidecar());
    let d = await stack.daprd({ appId: 'e2e-rs', resourcesPath: resources, appPort: sub.port, waitForApp: true }, sidecar);
    await probeSubscribed(publisher, sub, 'rs');
    await d.stop();
    for (let n = 1; n <= 5; n++) await publish(publisher, 'rs', n);
    d = await stack.daprd({ appId: 'e2e-rs', resourcesPath: resources, appPort: sub.port, waitForApp: true }, sidecar);
    await waitUntil(() => numbers(sub, '/rs').length >= 5, () => `5 messages after the restart (got ${JSON.stringify(numbers(sub, '/rs'))})`, { timeoutMs: 20_000 });
    assert.deepEqual(numbers(sub, '/rs').sort((a, b) => a - b), [1, 2, 3, 4, 5]);
    await Promise.all([d.stop(), publisher.stop()]);
  });

  test('component restarted under a running daprd: measured (daprd neither re-inits nor resubscribes)', async () => {
    const resources = await stack.resources('cr', [pubsubComponent('pubsub', stack.brokerUrl), stateComponent('statestore', stack.brokerUrl)]);
    const sub = await app('cr');
    const sidecar = await stack.sidecar();
    const d = await stack.daprd({ appId: 'e2e-cr', resourcesPath: resources, appPort: sub.port, waitForApp: true }, sidecar);
    await probeSubscribed(d, sub, 'cr');
    const probes = sub.on('/cr').length;

    // An app's streaming subscription through the same daprd.
    const client = daprApiClient(d.grpcPort);
    const stream = client.SubscribeTopicEventsAlpha1();
    const streamEvents: string[] = [];
    stream.on('data', (m: SubscribeResponse) => streamEvents.push(m.subscribeTopicEventsResponseType));
    stream.on('error', (err: Error) => streamEvents.push(`error: ${err.message}`));
    stream.on('end', () => streamEvents.push('end'));
    stream.write({ initialRequest: { pubsubName: 'pubsub', topic: 'cr-stream' } });
    await waitUntil(() => streamEvents.includes('initialResponse'), () => 'the streaming subscription to start');

    await sidecar.stop();
    // The same socket path again, as a restarted container would have.
    const metricsPort = await freePort();
    const again = await stack.sidecar(sidecar.socketFolder, { METRICS_PORT: String(metricsPort) });
    // Unary calls: daprd's connection to the socket comes back, but the new process has no
    // instance: daprd never calls Init again, so every call fails, loudly, naming the cause.
    let publishStatus = 0;
    let publishText = '';
    await waitUntil(
      async () => {
        const res = await fetch(`${d.url}/v1.0/publish/pubsub/cr`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
        publishStatus = res.status;
        publishText = await res.text();
        return /not initialized|restart/i.test(publishText);
      },
      () => `publish after the component restart to fail naming the missing Init (last: ${publishStatus} ${publishText})`,
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    assert.equal(publishStatus, 500);
    const get = await fetch(`${d.url}/v1.0/state/statestore/k`);
    assert.equal(get.status, 500, 'state calls fail the same way');
    // The subscription stream died with the old process and daprd does not reopen it: a message
    // published by another app is not delivered (it waits in the broker's session).
    const other = await stack.daprd({ appId: 'e2e-cr-pub', resourcesPath: resources }, await stack.sidecar());
    await publish(other, 'cr', 2);
    await publish(other, 'cr-stream', 3);
    assert.ok(await staysFalse(() => numbers(sub, '/cr').length > 0 || streamEvents.length > 1, 3000), `no delivery after the component restart (stream: ${JSON.stringify(streamEvents)})`);
    // The app's streaming subscription neither ends nor fails: it stays open and silent.
    assert.deepEqual(streamEvents, ['initialResponse']);
    // The component ends its streams with UNAVAILABLE on SIGTERM so that daprd says so (an OK
    // end would make daprd drop the subscription without a word).
    assert.match(d.logs(), /Failed to receive pubsub message: .*shutting down/);
    // The component's readiness says what happened and what to do.
    const readyz = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
    const report = await readyz.text();
    assert.equal(readyz.status, 503, report);
    assert.match(report, /never initialized.*restart daprd/);
    stream.cancel();
    client.close();
    // daprd's health endpoint does not notice.
    assert.equal((await fetch(`${d.url}/v1.0/healthz`)).status, 204);
    // The remedy: restart daprd too. Then the queued message arrives.
    await d.stop();
    const d2 = await stack.daprd({ appId: 'e2e-cr', resourcesPath: resources, appPort: sub.port, waitForApp: true }, again);
    await waitUntil(() => numbers(sub, '/cr').length > 0, () => 'the queued message after restarting daprd', { timeoutMs: 20_000 });
    assert.deepEqual(numbers(sub, '/cr'), [2]);
    assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status, 200, 'ready again once daprd initialized it');
    assert.ok(probes > 0);
    await Promise.all([d2.stop(), other.stop()]);
  });
});
