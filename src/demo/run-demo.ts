/**
 * `npm run demo`: the component without Dapr. Starts `node dist/src/main.js` (the component and
 * the bundled broker with its state service, as `npm start` does) on a free port with a temp
 * socket folder and data dir, then plays daprd against it over the Unix socket: reflection
 * discovery, Init with `x-component-instance`, Features, Publish, a PullMessages subscription
 * with an ack and a nack then redelivery, state Set/Get with etags and a stale-etag failure
 * decoded as daprd decodes it. Prints each step in plain words; exits 0 when every step
 * succeeded, 1 otherwise; removes what it created either way. Not used by the component.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asDaprdSees, DaprdClient, type PullStream } from './daprd-client.js';

const MAIN_JS = fileURLToPath(new URL('../main.js', import.meta.url));
const SOCKET_NAME = 'mqtt-pluggable';
const PUBSUB = 'demo-pubsub';
const STATE = 'demo-state';
const TOPIC = 'demo/orders';
const WARM_UP = '{"warmUp":true}';
/** Bound of every wait in the demo. */
const WAIT_MS = 15_000;

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

class StepFailed extends Error {}

let stepNo = 0;
/** Runs one step and prints what happened; a thrown error ends the demo as FAILED. */
async function step(label: string, run: () => Promise<string | string[]>): Promise<void> {
  stepNo += 1;
  const prefix = `${String(stepNo).padStart(2)}. ${label.padEnd(10)} `;
  let said: string | string[];
  try {
    said = await run();
  } catch (err) {
    out(`${prefix}FAILED: ${(err as Error).message}`);
    throw new StepFailed((err as Error).message);
  }
  const lines = Array.isArray(said) ? said : [said];
  out(`${prefix}${lines[0] ?? ''}`);
  for (const l of lines.slice(1)) out(`${' '.repeat(prefix.length)}${l}`);
}

function ms(since: number): string {
  return `${Date.now() - since} ms`;
}

/** The component process: its pino lines are kept (not shown unless something fails). */
class ComponentChild {
  private stdout = '';
  private stderr = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The first log record whose msg is `msg`, once it is written (bounded). */
  async waitForLog(msg: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      for (const line of this.stdout.split('\n')) {
        if (!line.includes(`"msg":"${msg}"`)) continue;
        return JSON.parse(line) as Record<string, unknown>;
      }
      if (this.exitInfo) throw new Error(`the component exited (code ${this.exitInfo.code}) before logging "${msg}": ${this.stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`the component did not log "${msg}" within ${WAIT_MS} ms`);
      await new Promise((r) => setTimeout(r, 25)); // poll interval; the loop ends on the condition
    }
  }

  /** The last lines it logged, for a failure report. */
  tail(n: number): string[] {
    return [...this.stdout.trim().split('\n').slice(-n), ...this.stderr.trim().split('\n').slice(-n)].filter((l) => l !== '');
  }

  /** SIGTERM by pid, then waits (SIGKILL by pid after `timeoutMs`). */
  async stop(timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exitInfo) return this.exitInfo;
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      // exited meanwhile
    }
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.exitInfo) return;
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: WAIT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** One sample of the Prometheus text, e.g. `mqtt_pluggable_pubsub_acked_total{instance="demo-pubsub"}`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** The next message that is not a warm-up (those are acked as they come). */
async function nextOrder(stream: PullStream): Promise<{ id: string; data: string; metadata: Record<string, string>; at: number }> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const m = await stream.next(Math.max(1, deadline - Date.now()));
    const data = (m.data ?? Buffer.alloc(0)).toString();
    if (data === WARM_UP) {
      stream.ack(m.id ?? '');
      continue;
    }
    return { id: m.id ?? '', data, metadata: m.metadata ?? {}, at: Date.now() };
  }
}

async function runSteps(child: ComponentChild, socketFolder: string, client: { current?: DaprdClient }, streams: PullStream[]): Promise<void> {
  let brokerPort = 0;
  let metricsPort = 0;
  let socketPath = '';
  await step('start', async () => {
    const broker = await child.waitForLog('broker listening');
    const metrics = await child.waitForLog('metrics listening');
    const component = await child.waitForLog('component listening');
    brokerPort = Number(broker.port);
    metricsPort = Number(metrics.port);
    socketPath = String(component.socketPath);
    return [
      `component + bundled MQTT broker running in one process (pid ${child.pid}), as \`npm start\` runs them`,
      `broker 127.0.0.1:${brokerPort} (with its state service), socket ${socketPath}`,
    ];
  });
  const daprd = new DaprdClient(socketPath);
  client.current = daprd;

  await step('discover', async () => {
    const services = await daprd.listServices();
    const pubsub = services.includes('dapr.proto.components.v1.PubSub');
    const state = services.includes('dapr.proto.components.v1.StateStore');
    if (!pubsub || !state) throw new Error(`reflection lists ${services.join(', ')}`);
    return [
      `reflection (grpc.reflection.v1alpha, as daprd) on ${SOCKET_NAME}.sock lists ${services.filter((s) => s.startsWith('dapr.')).length} Dapr services`,
      `→ daprd would register pubsub.${SOCKET_NAME} and state.${SOCKET_NAME}`,
    ];
  });

  const url = `tcp://127.0.0.1:${brokerPort}`;
  await step('init', async () => {
    const t = Date.now();
    await daprd.pubsubInit(PUBSUB, { url, consumerID: 'demo-app' });
    return `pubsub Init (x-component-instance: ${PUBSUB}, url ${url}, consumerID demo-app) → OK in ${ms(t)}: connected to the broker`;
  });
  await step('features', async () => `pubsub Features → ${(await daprd.pubsubFeatures(PUBSUB)).join(', ')}`);

  const stream = daprd.pull(PUBSUB, TOPIC);
  streams.push(stream);
  await step('subscribe', async () => {
    // A new subscription is live once the broker routes to it: publish warm-ups until one comes back.
    const deadline = Date.now() + WAIT_MS;
    let sent = 0;
    for (;;) {
      await daprd.publish(PUBSUB, TOPIC, WARM_UP);
      sent += 1;
      try {
        const m = await stream.next(300);
        stream.ack(m.id ?? '');
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`the subscription did not become live within ${WAIT_MS} ms: ${(err as Error).message}`);
      }
    }
    return `PullMessages stream open on "${TOPIC}"; live at the broker (${sent} warm-up message${sent === 1 ? '' : 's'} sent, one came back and was acked)`;
  });

  await step('publish', async () => {
    const t = Date.now();
    await daprd.publish(PUBSUB, TOPIC, '{"orderId":1}');
    return `Publish {"orderId":1} to "${TOPIC}" → OK in ${ms(t)}: the broker acknowledged it (QoS 1)`;
  });
  await step('receive', async () => {
    const m = await nextOrder(stream);
    if (m.data !== '{"orderId":1}') throw new Error(`expected order 1, got ${m.data}`);
    stream.ack(m.id);
    return [`message id ${m.id} on "${m.metadata.topic ?? TOPIC}": ${m.data} (qos ${m.metadata.qos}, dup ${m.metadata.dup})`, 'acked: the app handled it; the component now sends the MQTT PUBACK'];
  });

  await step('publish', async () => {
    await daprd.publish(PUBSUB, TOPIC, '{"orderId":2}');
    return `Publish {"orderId":2} to "${TOPIC}" → OK`;
  });
  let nackedAt = 0;
  let nackedId = '';
  await step('nack', async () => {
    const m = await nextOrder(stream);
    if (m.data !== '{"orderId":2}') throw new Error(`expected order 2, got ${m.data}`);
    stream.nack(m.id, 'simulated handler failure');
    nackedAt = Date.now();
    nackedId = m.id;
    return [`message id ${m.id}: ${m.data}`, 'nacked: the app failed ("simulated handler failure"); no PUBACK, the message stays with the component'];
  });
  await step('redeliver', async () => {
    const m = await nextOrder(stream);
    if (m.data !== '{"orderId":2}') throw new Error(`expected order 2 again, got ${m.data}`);
    if (m.metadata.dup !== 'true') throw new Error(`the redelivery should say dup=true, got dup=${m.metadata.dup}`);
    stream.ack(m.id);
    return [
      `redelivered after nack: ${m.data} again on the same stream, ${m.at - nackedAt} ms later (new id ${m.id}, was ${nackedId}; dup=true)`,
      'acked: handled this time',
    ];
  });

  await step('init', async () => {
    const t = Date.now();
    await daprd.stateInit(STATE, { url });
    const features = await daprd.stateFeatures(STATE);
    return `state Init (x-component-instance: ${STATE}) → OK in ${ms(t)}: the state service answered; Features → ${features.join(', ')}`;
  });
  await step('set', async () => {
    await daprd.set(STATE, 'order-1', '{"status":"new"}');
    return 'Set "order-1" = {"status":"new"} (no etag) → OK';
  });
  let etag = '';
  await step('get', async () => {
    const got = await daprd.get(STATE, 'order-1');
    etag = got.etag?.value ?? '';
    if (etag === '') throw new Error('Get returned no etag');
    return `Get "order-1" → ${(got.data ?? Buffer.alloc(0)).toString()}, etag "${etag}"`;
  });
  const stale = etag;
  await step('set', async () => {
    await daprd.set(STATE, 'order-1', '{"status":"paid"}', etag);
    const got = await daprd.get(STATE, 'order-1');
    etag = got.etag?.value ?? '';
    return `Set "order-1" = {"status":"paid"} with etag "${stale}" → OK: the etag matched; the new etag is "${etag}"`;
  });
  await step('stale', async () => {
    const seen = await daprd.set(STATE, 'order-1', '{"status":"cancelled"}', stale).then(
      () => {
        throw new Error(`a Set with the stale etag "${stale}" succeeded`);
      },
      (err: unknown) => asDaprdSees(err),
    );
    if (seen.code !== 'FAILED_PRECONDITION' || !seen.detailsUsed || !seen.fields.includes('etag')) {
      throw new Error(`expected FAILED_PRECONDITION with a BadRequest on "etag", got ${JSON.stringify(seen)}`);
    }
    const got = await daprd.get(STATE, 'order-1');
    const value = (got.data ?? Buffer.alloc(0)).toString();
    if (value !== '{"status":"paid"}') throw new Error(`the stale write changed the value to ${value}`);
    return [
      `Set "order-1" with the stale etag "${stale}" → etag mismatch → FAILED_PRECONDITION`,
      `(google.rpc.BadRequest on field "etag", which daprd turns into 409 Conflict for the app); the value is still ${value}`,
    ];
  });

  await step('metrics', async () => {
    const ready = await httpGet(metricsPort, '/readyz');
    const text = (await httpGet(metricsPort, '/metrics')).body;
    const of = (name: string): number => sample(text, `mqtt_pluggable_pubsub_${name}{instance="${PUBSUB}"}`);
    if (ready.status !== 200) throw new Error(`/readyz answered ${ready.status}: ${ready.body}`);
    if (of('nacked_total') !== 1 || of('redelivered_total') !== 1) throw new Error(`unexpected counters: nacked ${of('nacked_total')}, redelivered ${of('redelivered_total')}`);
    return [
      `http://127.0.0.1:${metricsPort}/readyz → ${ready.status}; /metrics for ${PUBSUB} (warm-ups included):`,
      `published ${of('published_total')}, delivered ${of('delivered_total')}, acked ${of('acked_total')}, nacked ${of('nacked_total')}, redelivered ${of('redelivered_total')}, in flight ${of('in_flight')}`,
    ];
  });

  await step('stop', async () => {
    for (const s of streams.splice(0)) s.cancel();
    daprd.close();
    client.current = undefined;
    const exit = await child.stop();
    if (exit.code !== 0) throw new Error(`the component exited with ${JSON.stringify(exit)}`);
    if (existsSync(socketPath)) throw new Error(`the socket file ${socketPath} is still there`);
    return `SIGTERM → the component drained and exited 0; socket file removed (${socketFolder})`;
  });
}

async function main(): Promise<number> {
  if (!existsSync(MAIN_JS)) {
    out(`${MAIN_JS} not found: build first (npm run build), or run \`npm run demo\`, which builds.`);
    return 1;
  }
  out('Dapr MQTT pluggable component: demo. This program plays daprd: it starts the component the way');
  out('`npm start` does and talks to it over its Unix socket exactly as daprd would. No Dapr needed.');
  out();
  const socketFolder = await mkdtemp(join(tmpdir(), 'mqtt-demo-sock-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'mqtt-demo-data-'));
  const proc = spawn(process.execPath, [MAIN_JS], {
    // Exactly this environment: nothing from the caller's shell (MQTT_BROKER=off, ...) changes the demo.
    env: {
      DAPR_COMPONENTS_SOCKETS_FOLDER: socketFolder,
      MQTT_SOCKET_NAME: SOCKET_NAME,
      MQTT_BROKER: 'embedded',
      MQTT_BROKER_HOST: '127.0.0.1',
      MQTT_BROKER_PORT: '0',
      MQTT_BROKER_DATA: dataDir,
      MQTT_STATE_SERVICE: 'embedded',
      METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = new ComponentChild(proc);
  const client: { current?: DaprdClient } = {};
  const streams: PullStream[] = [];
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    child.kill();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let code = 0;
  try {
    await runSteps(child, socketFolder, client, streams);
    out();
    out('Done: every step succeeded.');
  } catch (err) {
    code = 1;
    out();
    if (interrupted) out('Interrupted.');
    else if (!(err instanceof StepFailed)) out(`FAILED: ${(err as Error).stack ?? String(err)}`);
    out('Last lines the component logged:');
    for (const l of child.tail(15)) out(`  ${l}`);
  } finally {
    for (const s of streams) s.cancel();
    client.current?.close();
    await child.stop().catch(() => child.kill());
    await rm(socketFolder, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
