/**
 * The end-to-end core against the oldest daprd release the project is tested with
 * (dapr/daprd-oldest/go.mod): discovery, publish/subscribe, state with ETags.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { daprdVersion } from '../helpers/dapr-binaries.js';
import { killAllDaprd, type DaprdProcess } from '../helpers/daprd-process.js';
import { pubsubComponent, startDaprStack, stateComponent, type DaprStack } from '../helpers/dapr-stack.js';
import { startSubscriberApp, type SubscriberApp } from '../helpers/subscriber-app.js';
import { waitUntil } from '../helpers/wait.js';

const VERSION = daprdVersion('oldest');
let stack: DaprStack;
let app: SubscriberApp;
let daprd: DaprdProcess;

before(async () => {
  stack = await startDaprStack();
  app = await startSubscriberApp([
    { pubsubname: 'pubsub', topic: 'old', route: '/old' },
    { pubsubname: 'pubsub', topic: 'ord', route: '/ord' },
    { pubsubname: 'pubsub-ahead', topic: 'ord-ahead', route: '/ord-ahead' },
  ]);
  const resources = await stack.resources('old', [
    pubsubComponent('pubsub', stack.brokerUrl),
    pubsubComponent('pubsub-ahead', stack.brokerUrl, { deliveryReadAhead: '4' }),
    stateComponent('statestore', stack.brokerUrl),
  ]);
  daprd = await stack.daprd({ appId: 'e2e-oldest', resourcesPath: resources, appPort: app.port, waitForApp: true, release: 'oldest' });
});

after(async () => {
  await daprd?.stop();
  await killAllDaprd();
  await app?.close();
  await stack?.close();
});

test(`daprd ${VERSION}: discovery lists both Components with their features`, async () => {
  const meta = (await (await fetch(`${daprd.url}/v1.0/metadata`)).json()) as { runtimeVersion?: string; components: { name: string; type: string; capabilities?: string[] }[] };
  assert.equal(meta.runtimeVersion, VERSION);
  const pubsub = meta.components.find((c) => c.name === 'pubsub');
  const state = meta.components.find((c) => c.name === 'statestore');
  assert.equal(pubsub?.type, 'pubsub.mqtt-pluggable');
  assert.ok(pubsub?.capabilities?.includes('BULK_PUBSUB'), JSON.stringify(pubsub));
  assert.equal(state?.type, 'state.mqtt-pluggable');
  for (const f of ['ETAG', 'TRANSACTIONAL', 'TTL', 'QUERY_API']) assert.ok(state?.capabilities?.includes(f), `${f} in ${JSON.stringify(state)}`);
});

test(`daprd ${VERSION}: publish reaches the subscribed app; RETRY is redelivered`, async () => {
  let first = true;
  app.respond('/old', (d) => {
    const n = (d.body as { data: { n: number } }).data.n;
    if (n === 2 && first) {
      first = false;
      return { status: 200, body: { status: 'RETRY' } };
    }
    return { status: 200, body: { status: 'SUCCESS' } };
  });
  const publish = async (n: number): Promise<void> => {
    const res = await fetch(`${daprd.url}/v1.0/publish/pubsub/old`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) });
    assert.equal(res.status, 204);
  };
  const seen = (): number[] => app.on('/old').map((d) => (d.body as { data: { n: number } }).data.n);
  // The first subscription of a new session may not be acknowledged yet when daprd is healthy.
  await waitUntil(
    async () => {
      await publish(0);
      return seen().includes(0);
    },
    () => 'a probe to arrive',
    { intervalMs: 200 },
  );
  await publish(1);
  await publish(2);
  await waitUntil(() => seen().filter((n) => n === 2).length === 2 && seen().includes(1), () => `1 once and 2 twice (seen ${JSON.stringify(seen())})`);
});

/** Publishes `{n}` to `topic` on `pubsub` until one reaches `route` (a new session's first subscription may lag daprd's health). */
async function probeUntilDelivered(pubsub: string, topic: string, route: string): Promise<void> {
  await waitUntil(
    async () => {
      const res = await fetch(`${daprd.url}/v1.0/publish/${pubsub}/${topic}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ __probe: true }) });
      assert.equal(res.status, 204);
      return app.probed(route);
    },
    () => `a probe on ${pubsub}/${topic} to reach ${route}`,
    { intervalMs: 200 },
  );
}

async function publishNumbers(pubsub: string, topic: string, count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    const res = await fetch(`${daprd.url}/v1.0/publish/${pubsub}/${topic}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) });
    assert.equal(res.status, 204);
  }
}

test(`daprd ${VERSION}: by default (deliveryReadAhead 1) the app gets one message at a time, in publish order`, async () => {
  await probeUntilDelivered('pubsub', 'ord', '/ord');
  const held = app.holdEach('/ord', () => new Promise((r) => setTimeout(r, 5))); // a slow app
  await publishNumbers('pubsub', 'ord', 20);
  const got = await app.waitFor('/ord', 20);
  assert.deepEqual(got.map((d) => (d.body as { data: { n: number } }).data.n), Array.from({ length: 20 }, (_, n) => n));
  assert.equal(held.mostInHand(), 1);
});

test(`daprd ${VERSION} dispatches a pluggable stream concurrently: with deliveryReadAhead 4 the app has several messages at once`, async () => {
  await probeUntilDelivered('pubsub-ahead', 'ord-ahead', '/ord-ahead');
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = app.holdEach('/ord-ahead', () => gate); // held until the test has seen what daprd does
  await publishNumbers('pubsub-ahead', 'ord-ahead', 8);
  try {
    await waitUntil(() => held.mostInHand() >= 2, () => `several messages in the app at once (most: ${held.mostInHand()}): daprd ${VERSION} handled the stream one at a time`);
  } finally {
    release();
  }
  assert.ok(held.mostInHand() <= 4, `at most deliveryReadAhead (4) at once, saw ${held.mostInHand()}`);
  await app.waitFor('/ord-ahead', 8);
});

test(`daprd ${VERSION}: state save/get/delete with ETags (409 on mismatch)`, async () => {
  const url = `${daprd.url}/v1.0/state/statestore`;
  const save = (body: unknown): Promise<Response> => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await save([{ key: 'o1', value: { v: 1 } }])).status, 204);
  const got = await fetch(`${url}/o1`);
  assert.equal(got.status, 200);
  assert.deepEqual(await got.json(), { v: 1 });
  const etag = got.headers.get('etag')!;
  assert.equal((await save([{ key: 'o1', value: { v: 2 }, etag: String(Number(etag) + 100) }])).status, 409);
  assert.equal((await save([{ key: 'o1', value: { v: 2 }, etag }])).status, 204);
  assert.equal((await fetch(`${url}/o1`, { method: 'DELETE' })).status, 204);
  assert.equal((await fetch(`${url}/o1`)).status, 204);
});
