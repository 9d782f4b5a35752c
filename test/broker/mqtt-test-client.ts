/** Plain MQTT.js clients for the broker tests, with an inbox that records every delivery. */
import { connect, type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';

export const WAIT_MS = 5_000;

export interface Received {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

export interface TestClient {
  readonly client: MqttClient;
  readonly connack: IConnackPacket;
  /** Every message delivered, in arrival order. */
  readonly received: Received[];
  /** Errors the client reported after CONNACK (for example the broker going away). */
  readonly errors: Error[];
  /** Resolves once at least `n` messages arrived (bounded by `timeoutMs`). */
  waitForMessages(n: number, timeoutMs?: number): Promise<Received[]>;
  end(): Promise<void>;
}

/**
 * Connects and resolves on CONNACK. The inbox listens before CONNECT is sent, so the messages
 * a persistent session had queued (delivered right after CONNACK) are recorded too.
 */
export function connectClient(port: number, options: IClientOptions = {}): Promise<TestClient> {
  const client = connect({
    host: '127.0.0.1',
    port,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: WAIT_MS,
    ...options,
  });
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload, packet) => {
    received.push({ topic, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain });
    for (const wake of waiters) wake();
  });

  const waitForMessages = (n: number, timeoutMs = WAIT_MS): Promise<Received[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (received.length < n) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(received.slice());
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${n} messages, got ${JSON.stringify(received)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      client.end(true);
      reject(err);
    };
    client.once('error', onError);
    client.once('connect', (connack) => {
      client.off('error', onError);
      const errors: Error[] = [];
      client.on('error', (err) => errors.push(err));
      resolve({ client, connack, received, errors, waitForMessages, end: () => client.endAsync() });
    });
  });
}
