/** A three-node NATS cluster (routes on loopback, JetStream, MQTT with replicated streams). */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './mosquitto-process.js';
import { startNatsNode, waitForMqtt, type NatsNode } from './nats-process.js';

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every node's MQTT url, comma-separated: the component's `url`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startNatsCluster(size = 3, streamReplicas = 3): Promise<NatsCluster> {
  const root = await mkdtemp(path.join(tmpdir(), 'nats-cluster-'));
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const nodes: NatsNode[] = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(nodes.map((n) => n.close()));
    await rm(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const dir = path.join(root, `n${i + 1}`);
      await mkdir(dir);
      nodes.push(
        await startNatsNode({
          serverName: `n${i + 1}`,
          dir,
          streamReplicas,
          cluster: { name: 'interop', routePort: routePorts[i]!, routePorts },
        }),
      );
    }
    for (const n of nodes) await waitForMqtt(n.mqttUrl, 60_000);
  } catch (err) {
    await close();
    throw err;
  }
  return { nodes, url: nodes.map((n) => n.mqttUrl).join(','), close };
}
