/**
 * The state store through the real daprd (D6) and component metadata from a secret store (D7):
 * what an app sees on daprd's HTTP state API. Two daprd (app ids e2e-state-a, e2e-state-b) in
 * front of one component process with the bundled broker and state service.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { killAllDaprd, type DaprdProcess } from '../helpers/daprd-process.js';
import { component, pubsubComponent, startDaprStack, stateComponent, type DaprStack, type YamlDoc } from '../helpers/dapr-stack.js';
import { startSubscriberApp, type SubscriberApp } from '../helpers/subscriber-app.js';
import { waitUntil } from '../helpers/wait.js';

/** A password only the secret store knows; it must appear in no log. */
const SECRET = `s3cret-${process.pid}-${Date.now()}`;

let stack: DaprStack;
let app: SubscriberApp;
let a: DaprdProcess;
let b: DaprdProcess;

function withSecretStore(doc: YamlDoc): YamlDoc {
  return { ...doc, auth: { secretStore: 'localsecrets' } } as YamlDoc;
}

async function call(daprd: DaprdProcess, method: string, route: string, body?: unknown): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${daprd.url}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function save(daprd: DaprdProcess, store: string, items: unknown[]): Promise<{ status: number; text: string }> {
  return call(daprd, 'POST', `/v1.0/state/${store}`, items);
}

before(async () => {
  stack = await startDaprStack();
  const secretsFile = path.join(stack.dir, 'secrets.json');
  // keyspace from the secret store too: a store reading the same keyspace by value proves it arrived.
  await writeFile(secretsFile, JSON.stringify({ 'mqtt-username': 'e2e-user', 'mqtt-password': SECRET, 'state-keyspace': 'ks-from-secret' }));
  const url = stack.brokerUrl;
  const secretRef = (key: string): { secretKeyRef: { name: string; key: string } } => ({ secretKeyRef: { name: key, key } });
  const docs = (): YamlDoc[] => [
    component('localsecrets', 'secretstores.local.file', { secretsFile }),
    withSecretStore(component('statestore', 'state.mqtt-pluggable', { url, username: secretRef('mqtt-username'), password: secretRef('mqtt-password') })),
    withSecretStore(component('st-secret-ks', 'state.mqtt-pluggable', { url, keyPrefix: 'none', keyspace: secretRef('state-keyspace') })),
    stateComponent('st-plain-ks', url, { keyPrefix: 'none', keyspace: 'ks-from-secret' }),
    stateComponent('st-none', url, { keyPrefix: 'none' }),
    stateComponent('st-name', url, { keyPrefix: 'name' }),
    stateComponent('st-custom', url, { keyPrefix: 'tenant7' }),
    stateComponent('st-outbox', url, { outboxPublishPubsub: 'pubsub', outboxPublishTopic: 'outbox-orders' }),
    withSecretStore(component('pubsub', 'pubsub.mqtt-pluggable', { url, username: secretRef('mqtt-username'), password: secretRef('mqtt-password') })),
  ];
  app = await startSubscriberApp([{ pubsubname: 'pubsub', topic: 'outbox-orders', route: '/outbox' }]);
  a = await stack.daprd({ appId: 'e2e-state-a', resourcesPath: await stack.resources('a', docs()), appPort: app.port, waitForApp: true });
  // Its own component process: the Components have the same names as a's.
  b = await stack.daprd({ appId: 'e2e-state-b', resourcesPath: await stack.resources('b', docs()) }, await stack.sidecar());
});

after(async () => {
  await a?.stop();
  await b?.stop();
  await killAllDaprd();
  await app?.close();
  await stack?.close();
});

describe('state through daprd', () => {
  test('save, get (with ETag), delete; a missing key is 204', async () => {
    assert.equal((await save(a, 'statestore', [{ key: 'k1', value: { v: 1 } }])).status, 204);
    const got = await call(a, 'GET', '/v1.0/state/statestore/k1');
    assert.equal(got.status, 200);
    assert.deepEqual(JSON.parse(got.text), { v: 1 });
    assert.ok(got.headers.get('etag'), 'an ETag header');
    assert.equal((await call(a, 'DELETE', '/v1.0/state/statestore/k1')).status, 204);
    assert.equal((await call(a, 'GET', '/v1.0/state/statestore/k1')).status, 204);
  });

  test('ETag mismatch is 409, an invalid ETag is 400, first-write on an existing key is 409', async () => {
    await save(a, 'statestore', [{ key: 'e1', value: 'one' }]);
    const etag = (await call(a, 'GET', '/v1.0/state/statestore/e1')).headers.get('etag')!;
    const mismatch = await save(a, 'statestore', [{ key: 'e1', value: 'two', etag: String(Number(etag) + 1000) }]);
    assert.equal(mismatch.status, 409, mismatch.text);
    const invalid = await save(a, 'statestore', [{ key: 'e1', value: 'two', etag: 'not-an-etag' }]);
    assert.equal(invalid.status, 400, invalid.text);
    const firstWrite = await save(a, 'statestore', [{ key: 'e1', value: 'two', options: { concurrency: 'first-write' } }]);
    assert.equal(firstWrite.status, 409, firstWrite.text);
    const matching = await save(a, 'statestore', [{ key: 'e1', value: 'two', etag }]);
    assert.equal(matching.status, 204, matching.text);
    const deleteMismatch = await call(a, 'DELETE', '/v1.0/state/statestore/e1', undefined);
    assert.equal(deleteMismatch.status, 204);
  });

  test('bulk get returns every key, missing ones without data', async () => {
    await save(a, 'statestore', [
      { key: 'b1', value: 1 },
      { key: 'b2', value: 2 },
    ]);
    const res = await call(a, 'POST', '/v1.0/state/statestore/bulk', { keys: ['b1', 'b2', 'b-missing'] });
    assert.equal(res.status, 200);
    const items = (JSON.parse(res.text) as { key: string; data?: unknown; etag?: string }[]).sort((x, y) => x.key.localeCompare(y.key));
    assert.deepEqual(
      items.map((i) => [i.key, i.data]),
      [
        ['b-missing', undefined],
        ['b1', 1],
        ['b2', 2],
      ],
    );
    assert.ok(items[1]!.etag);
  });

  test('a transaction applies every operation or none', async () => {
    await save(a, 'statestore', [{ key: 't-del', value: 'x' }]);
    const ok = await call(a, 'POST', '/v1.0/state/statestore/transaction', {
      operations: [
        { operation: 'upsert', request: { key: 't-new', value: 'y' } },
        { operation: 'delete', request: { key: 't-del' } },
      ],
    });
    assert.equal(ok.status, 204, ok.text);
    assert.equal((await call(a, 'GET', '/v1.0/state/statestore/t-del')).status, 204);
    assert.equal((await call(a, 'GET', '/v1.0/state/statestore/t-new')).text, '"y"');
    const failed = await call(a, 'POST', '/v1.0/state/statestore/transaction', {
      operations: [
        { operation: 'upsert', request: { key: 't-other', value: 'z' } },
        { operation: 'upsert', request: { key: 't-new', value: 'w', etag: '999999' } },
      ],
    });
    assert.notEqual(failed.status, 204, 'a transaction with a stale ETag fails');
    assert.equal((await call(a, 'GET', '/v1.0/state/statestore/t-other')).status, 204, 'nothing of the failed transaction was applied');
  });

  test('TTL: ttlExpireTime is returned, and the key expires', async () => {
    const before = Date.now();
    await save(a, 'statestore', [{ key: 'ttl1', value: 'short', metadata: { ttlInSeconds: '1' } }]);
    const got = await call(a, 'GET', '/v1.0/state/statestore/ttl1');
    assert.equal(got.status, 200);
    const expire = got.headers.get('metadata.ttlexpiretime');
    assert.ok(expire, `a metadata.ttlExpireTime header (headers: ${JSON.stringify([...got.headers])})`);
    const at = Date.parse(expire);
    assert.ok(at >= before && at <= Date.now() + 2_000, `ttlExpireTime ${expire}`);
    await waitUntil(async () => (await call(a, 'GET', '/v1.0/state/statestore/ttl1')).status === 204, () => 'ttl1 to expire', { timeoutMs: 5_000, intervalMs: 200 });
  });

  test('the query API filters, sorts and pages JSON values', async () => {
    await save(a, 'statestore', [
      { key: 'q1', value: { kind: 'fruit', name: 'pear', n: 3 } },
      { key: 'q2', value: { kind: 'fruit', name: 'apple', n: 1 } },
      { key: 'q3', value: { kind: 'veg', name: 'leek', n: 2 } },
    ]);
    const res = await call(a, 'POST', '/v1.0-alpha1/state/statestore/query', { filter: { EQ: { kind: 'fruit' } }, sort: [{ key: 'n', order: 'ASC' }] });
    assert.equal(res.status, 200, res.text);
    const results = (JSON.parse(res.text) as { results: { key: string; data: { name: string } }[] }).results;
    assert.deepEqual(
      results.map((r) => [r.key, r.data.name]),
      [
        ['q2', 'apple'],
        ['q1', 'pear'],
      ],
    );
  });

  test('keyPrefix: appid (default) keeps apps apart; none, name and a custom prefix share keys', async () => {
    for (const store of ['statestore', 'st-none', 'st-name', 'st-custom']) {
      assert.equal((await save(a, store, [{ key: 'shared-k', value: `from-a-${store}` }])).status, 204);
    }
    assert.equal((await call(b, 'GET', '/v1.0/state/statestore/shared-k')).status, 204, 'appid prefix: b does not see a');
    for (const store of ['st-none', 'st-name', 'st-custom']) {
      const got = await call(b, 'GET', `/v1.0/state/${store}/shared-k`);
      assert.equal(got.text, JSON.stringify(`from-a-${store}`), `${store}: b reads what a wrote`);
    }
  });

  test('transactional outbox: a transaction on our store publishes through our pub/sub', async () => {
    const res = await call(a, 'POST', '/v1.0/state/st-outbox/transaction', {
      // Without a JSON content type daprd formats the value with Go's %v into the event.
      operations: [{ operation: 'upsert', request: { key: 'order-1', value: { id: 1, total: 9.5 }, metadata: { contentType: 'application/json' } } }],
    });
    assert.equal(res.status, 204, res.text);
    const [d] = await app.waitFor('/outbox', 1, 20_000);
    assert.deepEqual((d!.body as { data: unknown }).data, { id: 1, total: 9.5 });
    assert.deepEqual(JSON.parse((await call(a, 'GET', '/v1.0/state/st-outbox/order-1')).text), { id: 1, total: 9.5 });
  });
});

describe('secrets', () => {
  test('secretKeyRef metadata reaches the component (Init passed); the secret is in no log', async () => {
    const meta = JSON.parse((await call(a, 'GET', '/v1.0/metadata')).text) as { components: { name: string }[] };
    assert.ok(meta.components.some((c) => c.name === 'statestore'));
    assert.equal((await save(a, 'statestore', [{ key: 'sec', value: 1 }])).status, 204);
    assert.equal((await save(a, 'st-secret-ks', [{ key: 'via-secret', value: 'ks' }])).status, 204);
    assert.equal((await call(a, 'GET', '/v1.0/state/st-plain-ks/via-secret')).text, '"ks"', 'the keyspace read from the secret store reached the component');
    assert.ok(!/secret .* not found/i.test(a.logs()), 'daprd resolved every secretKeyRef');
    // Something that does log: a failing Init names the metadata without its value.
    for (const [who, logs] of [
      ['daprd a', a.logs()],
      ['daprd b', b.logs()],
      ['component', stack.componentLogs()],
    ] as const) {
      assert.ok(logs.length > 0, `${who} logged something`);
      assert.ok(!logs.includes(SECRET), `${who}'s log holds the secret`);
    }
  });
});
