/**
 * Pub/sub through the real daprd (D1–D3): discovery, publishing over HTTP and gRPC, every kind
 * of subscription daprd has, and what daprd does with the app's answers. One component process
 * (bundled broker) and one daprd with a plain HTTP app serve the whole file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { daprApiClient, unary, type DaprApiClient, type SubscribeResponse } from '../helpers/dapr-api-grpc.js';
import { killAllDaprd, type DaprdProcess } from '../helpers/daprd-process.js';
import { pubsubComponent, startDaprStack, stateComponent, type DaprStack, type YamlDoc } from '../helpers/dapr-stack.js';
import { startSubscriberApp, type SubscriberApp } from '../helpers/subscriber-app.js';
import { staysFalse, waitUntil, withTimeout } from '../helpers/wait.js';

const APP_ID = 'e2e-pubsub';

function subscription(name: string, pubsub: string, topic: string, spec: Record<string, unknown>): YamlDoc {
  return { apiVersion: 'dapr.io/v2alpha1', kind: 'Subscription', metadata: { name }, spec: { pubsubname: pubsub, topic, ...spec } };
}

let stack: DaprStack;
let app: SubscriberApp;
let daprd: DaprdProcess;
let client: DaprApiClient;

async function publish(topic: string, body: unknown, query = '', pubsub = 'pubsub'): Promise<Response> {
  const res = await fetch(`${daprd.url}/v1.0/publish/${pubsub}/${topic}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 204, `publish to ${topic}: HTTP ${res.status} ${await res.clone().text()}`);
  return res;
}

/** The `data` of a CloudEvent delivery. */
function dataOf(body: unknown): unknown {
  return (body as { data?: unknown }).data;
}

before(async () => {
  stack = await startDaprStack();
  app = await startSubscriberApp([
    { pubsubname: 'pubsub', topic: 'prog', route: '/prog' },
    { pubsubname: 'pubsub', topic: 'sensors/+/temp', route: '/wild' },
    { pubsubname: 'pubsub', topic: 'answers', route: '/answers' },
    { pubsubname: 'pubsub', topic: 'raw', route: '/raw', metadata: { rawPayload: 'true' } },
    { pubsubname: 'pubsub2', topic: 'two', route: '/two' },
    { pubsubname: 'pubsub-slow', topic: 'resil', route: '/resil' },
    { pubsubname: 'pubsub', topic: 'ordered', route: '/ordered' },
    { pubsubname: 'pubsub-ahead', topic: 'ordered-ahead', route: '/ordered-ahead' },
  ]);
  const url = stack.brokerUrl;
  const resources = await stack.resources('pubsub', [
    pubsubComponent('pubsub', url),
    pubsubComponent('pubsub2', url),
    // Redelivers a nacked message only after 60 s: a quick retry can only be daprd's resiliency.
    pubsubComponent('pubsub-slow', url, { redeliveryInitialDelay: '60s', redeliveryMaxDelay: '60s' }),
    pubsubComponent('pubsub-ahead', url, { deliveryReadAhead: '8' }),
    stateComponent('statestore', url),
    subscription('decl', 'pubsub', 'decl', { routes: { rules: [{ match: 'event.type == "urgent"', path: '/urgent' }], default: '/decl' } }),
    subscription('dl-src', 'pubsub', 'dl-src', { routes: { default: '/dl-src' }, deadLetterTopic: 'dl-dead' }),
    subscription('dl-dead', 'pubsub', 'dl-dead', { routes: { default: '/dl-dead' } }),
    subscription('bulk', 'pubsub', 'bulk', { routes: { default: '/bulk' }, bulkSubscribe: { enabled: true, maxMessagesCount: 10, maxAwaitDurationMs: 200 } }),
    {
      apiVersion: 'dapr.io/v1alpha1',
      kind: 'Resiliency',
      metadata: { name: 'e2e-resiliency' },
      spec: {
        policies: { retries: { fast: { policy: 'constant', duration: '100ms', maxRetries: 3 } } },
        targets: { components: { 'pubsub-slow': { inbound: { retry: 'fast' } } } },
      },
    },
  ]);
  daprd = await stack.daprd({ appId: APP_ID, resourcesPath: resources, appPort: app.port, waitForApp: true });
  client = daprApiClient(daprd.grpcPort);
  // daprd is healthy before the component's MQTT subscriptions of a brand-new session are
  // acknowledged: probe each subscription until it delivers (probes are not recorded).
  const probes: [string, string, string][] = [
    ['pubsub', 'prog', '/prog'],
    ['pubsub', 'sensors/probe/temp', '/wild'],
    ['pubsub', 'answers', '/answers'],
    ['pubsub2', 'two', '/two'],
    ['pubsub-slow', 'resil', '/resil'],
    ['pubsub', 'decl', '/decl'],
    ['pubsub', 'dl-src', '/dl-src'],
    ['pubsub', 'dl-dead', '/dl-dead'],
    ['pubsub', 'ordered', '/ordered'],
    ['pubsub-ahead', 'ordered-ahead', '/ordered-ahead'],
  ];
  for (const [pubsub, topic, route] of probes) {
    await waitUntil(
      async () => {
        await publish(topic, { __probe: true }, '', pubsub);
        return app.probed(route);
      },
      () => `a probe on ${pubsub}/${topic} to reach ${route}`,
      { intervalMs: 200 },
    );
  }
});

after(async () => {
  client?.close();
  await daprd?.stop();
  await killAllDaprd();
  await app?.close();
  await stack?.close();
});

describe('discovery', () => {
  test('/v1.0/metadata lists every Component of the one socket with its features', async () => {
    const meta = (await (await fetch(`${daprd.url}/v1.0/metadata`)).json()) as { components: { name: string; type: string; capabilities?: string[] }[] };
    const byName = new Map(meta.components.map((c) => [c.name, c]));
    for (const name of ['pubsub', 'pubsub2', 'pubsub-slow']) {
      const c = byName.get(name);
      assert.equal(c?.type, 'pubsub.mqtt-pluggable', JSON.stringify(meta.components));
      assert.deepEqual([...(c?.capabilities ?? [])].sort(), ['BULK_PUBSUB', 'BULK_SUBSCRIBE_IMMEDIATE', 'SUBSCRIBE_WILDCARDS']);
    }
    const state = byName.get('statestore');
    assert.equal(state?.type, 'state.mqtt-pluggable');
    // daprd adds ACTOR itself when a store has ETAG and TRANSACTIONAL; the component never declares it.
    assert.deepEqual([...(state?.capabilities ?? [])].sort(), ['ACTOR', 'ETAG', 'QUERY_API', 'TRANSACTIONAL', 'TTL']);
  });
});

describe('publishing', () => {
  test('HTTP publish reaches a programmatic subscription as a CloudEvent', async () => {
    await publish('prog', { n: 1 });
    const [d] = await app.waitFor('/prog', 1);
    const ce = d!.body as Record<string, unknown>;
    assert.equal(ce.specversion, '1.0');
    assert.equal(ce.topic, 'prog');
    assert.equal(ce.pubsubname, 'pubsub');
    assert.equal(ce.source, APP_ID);
    assert.deepEqual(ce.data, { n: 1 });
  });

  // Two topics: both Components share the app id's consumer group, so one topic would be split between them.
  for (const [pubsub, topic, route, what] of [
    ['pubsub', 'ordered', '/ordered', 'default deliveryReadAhead 1'],
    ['pubsub-ahead', 'ordered-ahead', '/ordered-ahead', 'deliveryReadAhead 8'],
  ] as const) {
    test(`N7 (${what}): daprd ${'1.18'} hands the app one message at a time, in publish order`, async () => {
      // A slow app: with read-ahead the component has the next messages with daprd meanwhile.
      const held = app.holdEach(route, () => new Promise((r) => setTimeout(r, 5)));
      const count = 40;
      for (let n = 0; n < count; n++) await publish(topic, { n }, '', pubsub);
      const got = await app.waitFor(route, count);
      assert.deepEqual(got.map((d) => (dataOf(d.body) as { n: number }).n), Array.from({ length: count }, (_, n) => n));
      assert.equal(held.mostInHand(), 1, 'daprd 1.16–1.18 handles a stream one message at a time');
    });
  }

  test('gRPC publish reaches the app; gRPC bulk publish delivers every entry', async () => {
    await unary((cb) => client.PublishEvent({ pubsubName: 'pubsub', topic: 'prog', data: Buffer.from(JSON.stringify({ n: 2 })), dataContentType: 'application/json' }, cb));
    await app.waitFor('/prog', 2);
    const entries = [3, 4, 5].map((n) => ({ entryId: `e${n}`, event: Buffer.from(JSON.stringify({ n })), contentType: 'application/json' }));
    const res = await unary<{ failedEntries: unknown[] }>((cb) => client.BulkPublishEvent({ pubsubName: 'pubsub', topic: 'prog', entries }, cb));
    assert.deepEqual(res.failedEntries, []);
    const got = await app.waitFor('/prog', 5);
    assert.deepEqual(got.map((d) => (dataOf(d.body) as { n: number }).n).sort(), [1, 2, 3, 4, 5]);
  });

  test('HTTP bulk publish delivers every entry', async () => {
    const res = await fetch(`${daprd.url}/v1.0-alpha1/publish/bulk/pubsub/prog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([6, 7].map((n) => ({ entryId: `h${n}`, event: { n }, contentType: 'application/json' }))),
    });
    assert.equal(res.status, 204, await res.text());
    const got = await app.waitFor('/prog', 7);
    assert.deepEqual(got.map((d) => (dataOf(d.body) as { n: number }).n).sort(), [1, 2, 3, 4, 5, 6, 7]);
  });

  test('rawPayload: publisher and subscriber see the bytes, no CloudEvent envelope', async () => {
    await publish('raw', { plain: true }, '?metadata.rawPayload=true');
    const [d] = await app.waitFor('/raw', 1);
    // daprd wraps raw data for an HTTP app in a CloudEvent whose data_base64 holds the bytes.
    const ce = d!.body as { data_base64?: string; data?: unknown };
    const bytes = ce.data_base64 !== undefined ? Buffer.from(ce.data_base64, 'base64').toString('utf8') : JSON.stringify(ce.data);
    assert.deepEqual(JSON.parse(bytes), { plain: true });
  });

  test('per-request retain and qos metadata reach the broker', async () => {
    const peer = await mqtt.connectAsync(stack.brokerUrl, { clientId: `e2e-peer-${process.pid}`, clean: true, reconnectPeriod: 0 });
    try {
      await publish('flags/retained', { keep: 1 }, '?metadata.retain=true&metadata.rawPayload=true');
      await publish('flags/q0', { q: 0 }, '?metadata.qos=0&metadata.rawPayload=true');
      const seen: { topic: string; retain: boolean; qos: number; payload: string }[] = [];
      peer.on('message', (topic, payload, packet) => seen.push({ topic, retain: packet.retain, qos: packet.qos, payload: payload.toString('utf8') }));
      // Subscribed after the publish: only a retained message can arrive.
      await peer.subscribeAsync('flags/retained', { qos: 1 });
      await waitUntil(() => seen.some((m) => m.topic === 'flags/retained'), () => `retained message (seen ${JSON.stringify(seen)})`);
      assert.equal(seen.find((m) => m.topic === 'flags/retained')?.retain, true);
      // rawPayload: the broker carries the app's bytes, no CloudEvent around them.
      assert.deepEqual(JSON.parse(seen.find((m) => m.topic === 'flags/retained')!.payload), { keep: 1 });
      await peer.subscribeAsync('flags/q0', { qos: 2 });
      await publish('flags/q0', { q: 0 }, '?metadata.qos=0&metadata.rawPayload=true');
      await waitUntil(() => seen.some((m) => m.topic === 'flags/q0'), () => `qos 0 message (seen ${JSON.stringify(seen)})`);
      assert.equal(seen.find((m) => m.topic === 'flags/q0')?.qos, 0);
      // Clear the retained message for later runs on the same broker data.
      await peer.publishAsync('flags/retained', '', { retain: true, qos: 1 });
    } finally {
      await peer.endAsync();
    }
  });

  test('a second pub/sub Component on the same socket is independent', async () => {
    await publish('two', { via: 'pubsub2' }, '', 'pubsub2');
    const [d] = await app.waitFor('/two', 1);
    assert.equal((d!.body as { pubsubname: string }).pubsubname, 'pubsub2');
  });
});

describe('subscriptions', () => {
  test('declarative Subscription with routing rules', async () => {
    await publish('decl', { kind: 'normal' });
    await publish('decl', { kind: 'urgent' }, '?metadata.cloudevent.type=urgent');
    const [normal] = await app.waitFor('/decl', 1);
    const [urgent] = await app.waitFor('/urgent', 1);
    assert.deepEqual(dataOf(normal!.body), { kind: 'normal' });
    assert.deepEqual(dataOf(urgent!.body), { kind: 'urgent' });
  });

  test('wildcard topic: the delivery names the concrete topic', async () => {
    await publish('sensors/kitchen/temp', { c: 21 });
    await publish('sensors/hall/temp', { c: 19 });
    const got = await app.waitFor('/wild', 2);
    assert.deepEqual(got.map((d) => (d.body as { topic: string }).topic).sort(), ['sensors/hall/temp', 'sensors/kitchen/temp']);
  });

  test('bulk subscribe: the app gets entries in bulk and answers per entry', async () => {
    app.respond('/bulk', (d) => {
      const entries = (d.body as { entries: { entryId: string }[] }).entries;
      return { status: 200, body: { statuses: entries.map((e) => ({ entryId: e.entryId, status: 'SUCCESS' })) } };
    });
    const res = await fetch(`${daprd.url}/v1.0-alpha1/publish/bulk/pubsub/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([1, 2, 3, 4].map((n) => ({ entryId: `b${n}`, event: { n }, contentType: 'application/json' }))),
    });
    assert.equal(res.status, 204);
    await waitUntil(
      () => app.on('/bulk').flatMap((d) => (d.body as { entries: unknown[] }).entries).length >= 4,
      () => `4 bulk entries (requests ${app.on('/bulk').length})`,
    );
    const entries = app.on('/bulk').flatMap((d) => (d.body as { entries: { event: { data: { n: number } } }[] }).entries);
    assert.deepEqual(entries.map((e) => e.event.data.n).sort(), [1, 2, 3, 4]);
  });

  test('streaming subscription (SubscribeTopicEventsAlpha1) gets messages and acks them', async () => {
    const stream = client.SubscribeTopicEventsAlpha1();
    const events: SubscribeResponse[] = [];
    stream.on('data', (m: SubscribeResponse) => {
      events.push(m);
      if (m.eventMessage) stream.write({ eventProcessed: { id: m.eventMessage.id, status: { status: 'SUCCESS' } } });
    });
    stream.on('error', () => undefined);
    try {
      stream.write({ initialRequest: { pubsubName: 'pubsub', topic: 'streamed' } });
      await waitUntil(() => events.some((e) => e.initialResponse !== undefined), () => 'the initial response');
      // daprd answers before the component's MQTT SUBSCRIBE is acknowledged (it cannot know):
      // a message published in that window has no subscriber yet. Probe until one arrives.
      const streamed = (): { s: number }[] => events.filter((e) => e.eventMessage).map((e) => JSON.parse(e.eventMessage!.data.toString('utf8')) as { s: number });
      await waitUntil(
        async () => {
          await publish('streamed', { s: 0 });
          return streamed().length > 0;
        },
        () => 'a probe message on the new streaming subscription',
        { intervalMs: 200 },
      );
      const probes = streamed().length;
      await publish('streamed', { s: 1 });
      await publish('streamed', { s: 2 });
      await waitUntil(() => streamed().filter((d) => d.s > 0).length >= 2, () => `2 streamed events (got ${JSON.stringify(streamed())})`);
      assert.deepEqual(streamed().filter((d) => d.s > 0).map((d) => d.s).sort(), [1, 2]);
      assert.ok(probes >= 1);
    } finally {
      stream.end();
      stream.cancel();
    }
  });
});

describe("the app's answers", () => {
  test('SUCCESS once; RETRY redelivered by the component; DROP never again; HTTP 500 redelivered', async () => {
    const attempts = new Map<string, number>();
    app.respond('/answers', (d) => {
      const kind = (dataOf(d.body) as { kind: string }).kind;
      const n = (attempts.get(kind) ?? 0) + 1;
      attempts.set(kind, n);
      if (kind === 'retry' && n === 1) return { status: 200, body: { status: 'RETRY' } };
      if (kind === 'drop') return { status: 200, body: { status: 'DROP' } };
      if (kind === 'error' && n === 1) return { status: 500, body: { error: 'boom' } };
      return { status: 200, body: { status: 'SUCCESS' } };
    });
    for (const kind of ['ok', 'retry', 'drop', 'error']) await publish('answers', { kind });
    await waitUntil(
      () => attempts.get('ok') === 1 && attempts.get('retry') === 2 && attempts.get('drop') === 1 && attempts.get('error') === 2,
      () => `ok 1, retry 2, drop 1, error 2 attempts (got ${JSON.stringify([...attempts])})`,
    );
    assert.ok(await staysFalse(() => (attempts.get('drop') ?? 0) > 1 || (attempts.get('ok') ?? 0) > 1 || (attempts.get('retry') ?? 0) > 2, 1500), JSON.stringify([...attempts]));
  });

  test('deadLetterTopic: a failed or dropped message goes to the dead-letter topic, not back to the app', async () => {
    app.respond('/dl-src', (d) => ((dataOf(d.body) as { kind: string }).kind === 'drop' ? { status: 200, body: { status: 'DROP' } } : { status: 200, body: { status: 'RETRY' } }));
    await publish('dl-src', { kind: 'retry' });
    await publish('dl-src', { kind: 'drop' });
    const dead = await app.waitFor('/dl-dead', 2);
    assert.deepEqual(dead.map((d) => (dataOf(d.body) as { kind: string }).kind).sort(), ['drop', 'retry']);
    assert.ok(await staysFalse(() => app.on('/dl-src').length > 2, 1500), `dl-src deliveries: ${app.on('/dl-src').length}`);
  });

  test('a resiliency policy on the pub/sub retries in daprd (the component would wait 60 s)', async () => {
    let calls = 0;
    app.respond('/resil', () => (++calls <= 2 ? { status: 500 } : { status: 200, body: { status: 'SUCCESS' } }));
    const started = Date.now();
    await publish('resil', { r: 1 }, '', 'pubsub-slow');
    await app.waitFor('/resil', 3, 15_000);
    assert.ok(Date.now() - started < 15_000);
    assert.ok(await staysFalse(() => calls > 3, 1000), `calls: ${calls}`);
  });

  test('app down: the message waits and arrives once the app is back', async () => {
    const downApp = await startSubscriberApp([{ pubsubname: 'pubsub', topic: 'down', route: '/down' }]);
    const port = downApp.port;
    const resources = await stack.resources('down', [pubsubComponent('pubsub', stack.brokerUrl, { redeliveryMaxDelay: '1s' })]);
    const downDaprd = await stack.daprd({ appId: 'e2e-down', resourcesPath: resources, appPort: port, waitForApp: true }, await stack.sidecar());
    let back: SubscriberApp | undefined;
    try {
      // The subscription of this brand-new session is live once a probe arrives.
      await waitUntil(
        async () => {
          await publish('down', { d: -1 });
          return downApp.on('/down').length > 0;
        },
        () => 'a probe on the new subscription',
        { intervalMs: 200 },
      );
      await downApp.close();
      await publish('down', { d: 1 });
      // daprd gets connection refused: the delivery fails and the component redelivers.
      await waitUntil(() => /retriable error while publishing a subscribed message to topic down/.test(downDaprd.logs()), () => 'daprd to log the failed delivery', { timeoutMs: 15_000 });
      back = await withTimeout(startSubscriberAppOn(port), 10_000, 'restart the app on its port');
      await waitUntil(() => back!.on('/down').some((d) => (dataOf(d.body) as { d: number }).d === 1), () => 'the message after the app came back', { timeoutMs: 20_000 });
    } finally {
      await downDaprd.stop();
      await back?.close();
    }
  });
});

/** The subscriber app again on a fixed port (daprd keeps the port it was given). */
async function startSubscriberAppOn(port: number): Promise<SubscriberApp> {
  for (let i = 0; i < 50; i++) {
    const candidate = await startSubscriberApp([], port).catch(() => undefined);
    if (candidate) return candidate;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} stayed busy`);
}
