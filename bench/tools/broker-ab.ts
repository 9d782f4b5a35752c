/**
 * A/B of two builds of the bundled broker (its state service) in one run: both brokers run
 * side by side, one component serves a state instance on each, and h2load's Set and Get (B4's
 * load: 256 B, one connection, 64 streams) alternate between them, so background load hits both
 * alike. For a broker-side change, measured against the build before it:
 *   node dist/bench/tools/broker-ab.js <before dist/src/main.js> [rounds]
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StateDapr } from '../lib/dapr-client.js';
import { ensureH2load, runH2load, writeBody } from '../lib/h2load.js';
import { compare, type Side } from '../lib/measure.js';
import { freePort, MAIN_JS, spawnNode, waitForMqtt, waitForSocket, type Child } from '../lib/processes.js';
import { getFrame, setFrame, STATE_SERVICE } from '../lib/protos.js';

async function main(): Promise<void> {
  const before = process.argv[2];
  if (!before) throw new Error('usage: broker-ab.js <before build main.js> [rounds]');
  const repeats = Number(process.argv[3] ?? 5);
  const h2load = ensureH2load(true);
  const tmp = await mkdtemp(join(tmpdir(), 'broker-ab-'));
  const started: Child[] = [];
  try {
    const ports: Record<string, number> = {};
    for (const [name, script] of [['before', before], ['after', MAIN_JS]] as const) {
      const port = await freePort();
      const broker = spawnNode(`broker-${name}`, script, ['broker'], { MQTT_BROKER_PORT: String(port), MQTT_BROKER_HOST: '127.0.0.1', MQTT_BROKER_DATA: join(tmp, `data-${name}`), LOG_LEVEL: 'warn' });
      started.push(broker);
      await waitForMqtt(broker, `mqtt://127.0.0.1:${port}`);
      ports[name] = port;
    }
    const sockets = join(tmp, 'sockets');
    await mkdir(sockets, { recursive: true });
    const component = spawnNode('component', MAIN_JS, [], { MQTT_BROKER: 'off', DAPR_COMPONENTS_SOCKETS_FOLDER: sockets, MQTT_SOCKET_NAME: 'ab', LOG_LEVEL: 'warn' });
    started.push(component);
    const socketPath = join(sockets, 'ab.sock');
    await waitForSocket(component, socketPath);
    const settings = { repeats, warmup: true, targetSeconds: 2, smoke: false, log: (l: string) => console.log(l) };
    const value = randomBytes(256);
    const keys: Record<string, string> = {};
    for (const name of ['before', 'after']) {
      const state = new StateDapr(socketPath, `ab-${name}`);
      await state.init({ url: `tcp://127.0.0.1:${ports[name] as number}` });
      keys[name] = `ab||${randomBytes(4).toString('hex')}`;
      await state.set(keys[name] as string, value);
      state.close();
    }
    const sides = (op: 'Set' | 'Get'): Record<string, Side> => {
      const out: Record<string, Side> = {};
      for (const name of ['before', 'after']) {
        out[name] = async (n) => {
          const key = keys[name] as string;
          const frame = op === 'Set' ? setFrame(key, value) : getFrame(key);
          const body = await writeBody(tmp, `${op}-${name}-${n}.bin`, frame);
          const h = await runH2load({ h2load, socketPath, method: `${STATE_SERVICE}/${op}`, bodyFile: body, instance: `ab-${name}`, requests: n, streams: 64 });
          return { value: n / (h.wallMs / 1000), n, ms: h.wallMs };
        };
      }
      return out;
    };
    for (const op of ['Set', 'Get'] as const) {
      const r = await compare(`state ${op}`, sides(op), { warmup: 2_000, min: 1_000, max: 200_000, smoke: 100 }, settings);
      console.log(`${op}: before ${Math.round(r.before!.median)} ops/s, after ${Math.round(r.after!.median)} ops/s, after/before ${(r.after!.median / r.before!.median).toFixed(2)}`);
    }
  } finally {
    for (const c of started.reverse()) await c.stop(5_000);
    await rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
