/**
 * The example apps in examples/ with the Component YAMLs in components/, in front of real daprd
 * the way `dapr run --app-id … --resources-path ./components -- node dist/examples/…` starts
 * them (scripts/dapr-run.sh): one component process per app, the apps given DAPR_HTTP_PORT,
 * DAPR_GRPC_PORT and APP_PORT. The one change to the YAMLs: the broker url points at this test's
 * bundled broker instead of 127.0.0.1:1883, which the machine's shared Mosquitto holds.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/broker-process.js';
import { killAllDaprd, type DaprdProcess } from '../helpers/daprd-process.js';
import { startDaprStack, type DaprStack } from '../helpers/dapr-stack.js';
import { waitUntil } from '../helpers/wait.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let stack: DaprStack;
const apps: { child: ChildProcess; out: () => string }[] = [];
const daprds: DaprdProcess[] = [];

function startApp(main: string, env: Record<string, string>): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'examples', main)], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (out += s));
  const app = { child, out: () => out };
  apps.push(app);
  return app;
}

before(async () => {
  const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'examples', 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, `building the examples failed: ${tsc.stdout}${tsc.stderr}`);
  stack = await startDaprStack();
  const resources = path.join(stack.dir, 'components');
  await mkdir(resources);
  for (const file of (await readdir(path.join(ROOT, 'components'))).filter((f) => f.endsWith('.yaml'))) {
    const text = await readFile(path.join(ROOT, 'components', file), 'utf8');
    assert.match(text, /tcp:\/\/127\.0\.0\.1:1883/, `${file} names the broker url this test replaces`);
    await writeFile(path.join(resources, file), text.replaceAll('tcp://127.0.0.1:1883', stack.brokerUrl));
  }
  const appPort = await freePort();
  const subHttp = await freePort();
  const subGrpc = await freePort();
  const subscriber = startApp('order-subscriber/main.js', { APP_PORT: String(appPort), DAPR_HTTP_PORT: String(subHttp), DAPR_GRPC_PORT: String(subGrpc) });
  daprds.push(await stack.daprd({ appId: 'order-subscriber', resourcesPath: resources, appPort, httpPort: subHttp, grpcPort: subGrpc, waitForApp: true, readyTimeoutMs: 60_000 }, await stack.sidecar()));
  await waitUntil(() => /subscribed to pubsub\/orders/.test(subscriber.out()), () => `the subscriber to start (output: ${subscriber.out()})`, { timeoutMs: 30_000 });
  const pub = await stack.daprd({ appId: 'order-publisher', resourcesPath: resources });
  daprds.push(pub);
  startApp('order-publisher/main.js', { DAPR_HTTP_PORT: String(pub.httpPort), DAPR_GRPC_PORT: String(pub.grpcPort), PUBLISH_INTERVAL_MS: '100' });
});

after(async () => {
  for (const { child } of apps) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
  await Promise.all(daprds.map((d) => d.stop()));
  await killAllDaprd();
  await stack?.close();
});

test('order-publisher → daprd → component → daprd → order-subscriber: orders saved with ETags, a bad order retried once then dropped', async () => {
  const subscriber = apps[0]!;
  const publisher = apps[1]!;
  await waitUntil(
    () => (subscriber.out().match(/order \S+ saved/g) ?? []).length >= 12 && /redelivered as expected: DROP/.test(subscriber.out()),
    () => `12 saved orders and a dropped bad one (subscriber output: ${subscriber.out().slice(-3000)}; publisher: ${publisher.out().slice(-1000)})`,
    { timeoutMs: 60_000 },
  );
  assert.match(subscriber.out(), /bad order \S+ .*RETRY, expect a redelivery/);
  const id = /order (\S+) saved/.exec(subscriber.out())![1]!;
  const res = await fetch(`${daprds[0]!.url}/v1.0/state/statestore/order-${id}`);
  assert.equal(res.status, 200);
  const record = (await res.json()) as { order: { id: string }; deliveries: number };
  assert.equal(record.order.id, id);
  assert.ok(record.deliveries >= 1);
});
