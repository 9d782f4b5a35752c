/**
 * The plain MQTT.js load publisher, in its own process so it does not share an event loop with
 * what it measures. Driven over IPC by bench/lib/mqtt-load.ts:
 *   parent → {type:'run', ...PublisherJob}; child → {type:'ready'} once connected;
 *   parent → {type:'go'}; child → {type:'done', sent, failed, ms} and exits.
 * Publishes `count` messages round robin over `topics`, keeping `inflight` unacknowledged.
 */
import { connectAsync } from 'mqtt';

export interface PublisherJob {
  readonly url: string;
  readonly topics: readonly string[];
  readonly count: number;
  readonly payloadBytes: number;
  readonly inflight: number;
  readonly qos: 0 | 1 | 2;
  /** The payload as text (e.g. a CloudEvent for daprd); default `payloadBytes` bytes of 'b'. */
  readonly payloadText?: string;
}

type FromParent = { type: 'run'; job: PublisherJob } | { type: 'go' };

function send(msg: unknown): void {
  process.send?.(msg);
}

async function run(job: PublisherJob): Promise<void> {
  const client = await connectAsync(job.url, { clean: true, reconnectPeriod: 0, connectTimeout: 5_000, clientId: `bench-pub-${process.pid}-${Date.now()}` });
  const payload = job.payloadText !== undefined ? Buffer.from(job.payloadText) : Buffer.alloc(job.payloadBytes, 0x62);
  await new Promise<void>((resolve) => {
    send({ type: 'ready' });
    process.once('message', (m: FromParent) => {
      if (m.type === 'go') resolve();
    });
  });
  const started = performance.now();
  let next = 0;
  let acked = 0;
  let failed = 0;
  await new Promise<void>((resolve) => {
    const one = (): void => {
      if (next >= job.count) return;
      const topic = job.topics[next % job.topics.length] as string;
      next += 1;
      client.publish(topic, payload, { qos: job.qos }, (err) => {
        if (err) failed += 1;
        acked += 1;
        if (acked === job.count) resolve();
        else one();
      });
    };
    if (job.count === 0) resolve();
    for (let i = 0; i < Math.min(job.inflight, job.count); i++) one();
  });
  const ms = performance.now() - started;
  send({ type: 'done', sent: acked - failed, failed, ms });
  await client.endAsync();
}

process.once('message', (m: FromParent) => {
  if (m.type !== 'run') return;
  run(m.job).then(
    () => process.exit(0),
    (err: unknown) => {
      send({ type: 'error', message: (err as Error).message });
      process.exit(1);
    },
  );
});
