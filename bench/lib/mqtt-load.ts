/**
 * Plain MQTT.js on the bench side: the load publisher (a child process), a subscriber that
 * counts arrivals, and the baseline subscriber that holds each PUBACK until a handler one
 * macrotask away has returned (what an app on plain MQTT.js does, serially, as daprd does).
 */
import { randomBytes } from 'node:crypto';
import mqtt, { connectAsync, type IPublishPacket, type MqttClient } from 'mqtt';
import type { PublisherJob } from '../tools/mqtt-publisher.js';
import { forkNode, PUBLISHER_JS, pollUntil } from './processes.js';

export function randomTopic(prefix: string): string {
  return `bench/${prefix}/${randomBytes(6).toString('hex')}`;
}

export interface LoadPublisher {
  /** Starts publishing; resolves when every message was acknowledged by the broker. */
  go(): Promise<{ sent: number; failed: number; ms: number; startedAt: number }>;
  /** Stops the child by pid (if it is still running). */
  stop(): Promise<void>;
}

/** Forks the publisher and resolves once it is connected and waiting for `go()`. */
export async function startLoadPublisher(job: PublisherJob): Promise<LoadPublisher> {
  const child = forkNode('mqtt-publisher', PUBLISHER_JS);
  const messages: Array<{ type: string; [k: string]: unknown }> = [];
  child.child.on('message', (m: { type: string }) => messages.push(m));
  child.child.send({ type: 'run', job });
  const find = (type: string) => messages.find((m) => m.type === type || m.type === 'error');
  const failure = (): string | undefined => {
    const e = messages.find((m) => m.type === 'error');
    if (e) return `publisher failed: ${String(e.message)}`;
    return child.hasExited() ? `publisher exited: ${child.stderr().slice(-1000)}` : undefined;
  };
  await pollUntil(() => find('ready') !== undefined, 'load publisher to connect', 15_000, failure);
  return {
    async go() {
      const startedAt = performance.now();
      child.child.send({ type: 'go' });
      // Bounded by the slowest plausible run (10 minutes).
      await new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + 600_000;
        const check = (): void => {
          const why = failure();
          if (messages.some((m) => m.type === 'done')) resolve();
          else if (why !== undefined && !messages.some((m) => m.type === 'done')) reject(new Error(`bench: ${why}`));
          else if (Date.now() > deadline) reject(new Error('bench: load publisher did not finish'));
          else setTimeout(check, 5);
        };
        check();
      });
      const done = messages.find((m) => m.type === 'done') as unknown as { sent: number; failed: number; ms: number };
      return { sent: done.sent, failed: done.failed, ms: done.ms, startedAt };
    },
    stop: () => child.stop(5_000),
  };
}

/** Counts what arrives on `filter`; `lastAt` is the performance.now() of the latest arrival. */
export interface Counter {
  count: number;
  lastAt: number;
  firstAt: number;
  /** Per message: the callback (latency probes). */
  onMessage?: (payload: Buffer, at: number) => void;
  end(): Promise<void>;
}

function counterOf(client: MqttClient): Counter {
  const counter: Counter = {
    count: 0,
    lastAt: 0,
    firstAt: 0,
    async end() {
      await client.endAsync(true);
    },
  };
  return counter;
}

/** A subscriber that acknowledges at once (MQTT.js default), clean session, QoS 1. */
export async function startCounter(url: string, filter: string): Promise<Counter> {
  const client = await connectAsync(url, { clean: true, reconnectPeriod: 0, clientId: `bench-count-${randomBytes(4).toString('hex')}` });
  const counter = counterOf(client);
  client.on('message', (_topic: string, payload: Buffer) => {
    const at = performance.now();
    if (counter.count === 0) counter.firstAt = at;
    counter.count += 1;
    counter.lastAt = at;
    counter.onMessage?.(payload, at);
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return counter;
}

/**
 * The B2 baseline: a persistent-session QoS 1 subscriber (as the component's default
 * cleanSession=false) whose PUBACK waits until a handler one macrotask away has returned;
 * MQTT.js reads the next message only after that, so it is serial like daprd.
 */
export async function startHoldingSubscriber(url: string, filter: string, clean = false): Promise<Counter> {
  const client = mqtt.connect(url, { clean, reconnectPeriod: 0, clientId: `bench-hold-${randomBytes(4).toString('hex')}` });
  const counter = counterOf(client);
  client.handleMessage = (packet: IPublishPacket, callback: () => void) => {
    setImmediate(() => {
      const at = performance.now();
      if (counter.count === 0) counter.firstAt = at;
      counter.count += 1;
      counter.lastAt = at;
      counter.onMessage?.(packet.payload as Buffer, at);
      callback();
    });
  };
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(filter, { qos: 1 });
  // Ends without leaving a session behind on the broker (a shared Mosquitto keeps them forever).
  const clientId = client.options.clientId as string;
  counter.end = async () => {
    await client.endAsync(true);
    const cleaner = await connectAsync(url, { clean: true, reconnectPeriod: 0, clientId });
    await cleaner.endAsync();
  };
  return counter;
}

/** One-off publisher in the bench process (probes, latency runs at a fixed rate). */
export async function connectPublisher(url: string): Promise<MqttClient> {
  return connectAsync(url, { clean: true, reconnectPeriod: 0, clientId: `bench-p-${randomBytes(4).toString('hex')}` });
}
