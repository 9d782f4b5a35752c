import type { MqttClient } from 'mqtt';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Delay for attempt n (0-based): exponential, capped, with ±25% jitter so replicas spread out. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.round(base * (0.75 + random() * 0.5)));
}

/**
 * Gives an MQTT.js client bounded exponential reconnect backoff with jitter: MQTT.js itself
 * retries at a fixed `reconnectPeriod`, read when the link closes, so we set it just before.
 */
export function applyReconnectBackoff(client: MqttClient, options: BackoffOptions): void {
  let attempt = 0;
  client.options.reconnectPeriod = backoffDelay(0, options);
  client.on('connect', () => {
    attempt = 0;
  });
  client.prependListener('close', () => {
    client.options.reconnectPeriod = backoffDelay(attempt++, options);
  });
}
