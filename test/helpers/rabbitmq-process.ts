/**
 * A private RabbitMQ node with the rabbitmq_mqtt plugin (never the machine's own node on 5672):
 * its own node name, ports, config, data and log folders and Erlang cookie, started from the
 * Debian package's real script (/usr/lib/rabbitmq/bin/rabbitmq-server, not the su wrapper)
 * and stopped by its process group. Start-up takes 10-20 s: start it once per test file.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './mosquitto-process.js';
import { requireBinary, spawnServer, type SpawnedServer } from './spawned-server.js';

export const RABBITMQ_BIN = process.env.RABBITMQ_SERVER_BIN ?? '/usr/lib/rabbitmq/bin/rabbitmq-server';

export interface RabbitMqNode {
  readonly nodeName: string;
  readonly mqttPort: number;
  readonly mqttUrl: string;
  readonly server: SpawnedServer;
  close(): Promise<void>;
}

export async function startRabbitMq(readyTimeoutMs = 60_000): Promise<RabbitMqNode> {
  const bin = requireBinary(RABBITMQ_BIN, 'install rabbitmq-server (apt-get install -y rabbitmq-server; its rabbitmq_mqtt plugin ships with it)');
  const dir = await mkdtemp(path.join(tmpdir(), 'rabbitmq-'));
  const home = path.join(dir, 'home');
  await mkdir(home);
  await mkdir(path.join(dir, 'mnesia'));
  await mkdir(path.join(dir, 'log'));
  // A private cookie: nothing else can talk to this node, and the machine's node is untouched.
  const cookie = path.join(home, '.erlang.cookie');
  await writeFile(cookie, randomBytes(20).toString('hex').toUpperCase());
  await chmod(cookie, 0o400);
  const [amqpPort, distPort, mqttPort] = [await freePort(), await freePort(), await freePort()];
  await writeFile(
    path.join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
      `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
      'mqtt.allow_anonymous = true',
      'loopback_users = none',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
  const nodeName = `mqtt-test-${randomBytes(4).toString('hex')}@localhost`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq'),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
  };
  let server: SpawnedServer;
  try {
    server = await spawnServer(bin, [], { env, cwd: dir, ports: [mqttPort], readyTimeoutMs, name: `rabbitmq-server ${nodeName}` });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    nodeName,
    mqttPort,
    mqttUrl: `tcp://127.0.0.1:${mqttPort}`,
    server,
    async close() {
      await server.close(15_000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
