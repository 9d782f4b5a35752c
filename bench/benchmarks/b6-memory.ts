/**
 * B6: the component's peak RSS during B1 and B2 (sampled every 20 ms while they ran), and while
 * `nackMessages` messages are published to one subscription whose app nacks everything: the
 * subscription holds at most maxBufferedMessages (default 1,000) and stops reading from the
 * broker, so memory stays bounded whatever the backlog.
 */
import { connectPublisher, randomTopic, startLoadPublisher } from '../lib/mqtt-load.js';
import { waitUntilProbed, type Probed } from '../lib/probe.js';
import { readRss, sampleRss } from '../lib/processes.js';
import { row, type BenchContext, type Row } from '../lib/context.js';

const MiB = 1024 * 1024;

export interface B6Result {
  readonly rows: Row[];
  readonly idleRssBytes: number;
  readonly peaks: Record<string, number>;
  readonly nack: { published: number; deliveries: number; brokerPeakRssBytes: number };
}

/** Idle RSS of the component, before anything else ran (taken when the harness starts). */
export async function componentRss(ctx: BenchContext): Promise<number> {
  return (await readRss(ctx.deploy.component.pid))?.rss ?? 0;
}

export async function runB6(ctx: BenchContext, idleRss: number): Promise<B6Result> {
  const { deploy } = ctx;
  const topic = randomTopic('b6');
  const probed: Probed = { topic, seen: false };
  let deliveries = 0;
  const stream = deploy.pubsub.pull(topic, {}, () => (deliveries += 1), { nack: true, onProbe: () => (probed.seen = true) });
  const probe = await connectPublisher(deploy.brokerUrl);
  let published = 0;
  let brokerPeak = 0;
  try {
    await waitUntilProbed(probe, [probed]);
    const pub = await startLoadPublisher({ url: deploy.brokerUrl, topics: [topic], count: ctx.nackMessages, payloadBytes: 1024, inflight: 64, qos: 1 });
    const rss = sampleRss(deploy.component.pid);
    const brokerRss = sampleRss(deploy.broker.pid);
    try {
      const done = await pub.go();
      published = done.sent;
      // Let the component take what it will take of the backlog (bounded by maxBufferedMessages).
      await new Promise((r) => setTimeout(r, ctx.settings.smoke ? 200 : 3_000));
    } finally {
      ctx.rss.set('nack', await rss.stop());
      brokerPeak = await brokerRss.stop();
      await pub.stop();
    }
  } finally {
    stream.close();
    await probe.endAsync();
  }
  const peaks = Object.fromEntries(ctx.rss);
  const rows: Row[] = [];
  const add = (phase: string, what: string): void => {
    const peak = ctx.rss.get(phase);
    if (peak === undefined) return;
    rows.push(row({ id: `B6 ${phase}`, what, unit: 'MiB', ours: peak / MiB, baselineName: 'component idle RSS', baseline: idleRss / MiB }));
  };
  add('B1', 'Peak RSS of the component during B1 (Publish, 64 streams)');
  add('B2', 'Peak RSS of the component during B2 (delivery, 1 and 8 streams)');
  add('nack', `Peak RSS of the component while ${published.toLocaleString('en-US')} messages are published and the app nacks everything (${deliveries} deliveries, all nacked)`);
  return { rows, idleRssBytes: idleRss, peaks, nack: { published, deliveries, brokerPeakRssBytes: brokerPeak } };
}
