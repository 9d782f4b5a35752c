/** Readiness of PullMessages streams: probe messages are published until each stream saw one. */
import type { MqttClient } from 'mqtt';
import { PROBE_PREFIX } from './dapr-client.js';
import { pollUntil } from './processes.js';

export interface Probed {
  readonly topic: string;
  seen: boolean;
}

export function probePayload(): Buffer {
  return Buffer.concat([PROBE_PREFIX, Buffer.from(String(Math.random()))]);
}

/** Publishes a probe to every topic whose stream has not seen one yet, every 200 ms, up to `timeoutMs`. */
export async function waitUntilProbed(publisher: MqttClient, streams: readonly Probed[], timeoutMs = 15_000): Promise<void> {
  let last = 0;
  await pollUntil(
    async () => {
      if (streams.every((s) => s.seen)) return true;
      if (Date.now() - last >= 200) {
        last = Date.now();
        await Promise.all(streams.filter((s) => !s.seen).map((s) => publisher.publishAsync(s.topic, probePayload(), { qos: 1 })));
      }
      return streams.every((s) => s.seen);
    },
    `${streams.filter((s) => !s.seen).length} PullMessages stream(s) to receive a probe`,
    timeoutMs,
  );
}
