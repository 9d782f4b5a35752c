/**
 * B5: the bundled broker (its own process, state service attached) under the plain MQTT.js
 * publish load (1 KiB, QoS 1, 64 in flight, counted at a plain subscriber), against the
 * Mosquitto at 127.0.0.1:1883 under the same load (random topics; it is shared and left running).
 */
import { compare, type Series } from '../lib/measure.js';
import { mqttAccepts } from '../lib/processes.js';
import { row, type BenchContext, type Row } from '../lib/context.js';
import { mqttjsPublisher } from './b1-publish.js';

const SIZING = { warmup: 2_000, min: 1_000, max: 300_000, smoke: 200 };

export interface B5Result {
  readonly rows: Row[];
  readonly raw: Record<string, Series>;
  readonly skipped?: string;
}

export async function runB5(ctx: BenchContext): Promise<B5Result> {
  if (!(await mqttAccepts(ctx.mosquittoUrl))) {
    return { rows: [], raw: {}, skipped: `B5: no MQTT broker answers at ${ctx.mosquittoUrl} (Mosquitto)` };
  }
  const r = await compare(
    'B5 broker, MQTT.js publisher 1 KiB QoS 1',
    { bundled: mqttjsPublisher(ctx, ctx.deploy.brokerUrl, 1024), mosquitto: mqttjsPublisher(ctx, ctx.mosquittoUrl, 1024) },
    SIZING,
    ctx.settings,
  );
  return {
    rows: [
      row({
        id: 'B5',
        what: 'Broker: plain MQTT.js publisher (1 KiB, QoS 1, 64 in flight) → plain subscriber, bundled broker in its own process',
        unit: 'msg/s',
        ours: r.bundled!.median,
        baselineName: 'Mosquitto (127.0.0.1:1883)',
        baseline: r.mosquitto!.median,
        target: { op: '>=', value: 0.8 },
      }),
    ],
    raw: r,
  };
}
