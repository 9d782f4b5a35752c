import { randomBytes } from 'node:crypto';
import type { InboundMessage, LinkCapabilities, MqttLink, PublishHandle } from './mqtt-link.js';

/**
 * What the broker really does, learnt at Init before the component relies on it. `undefined`
 * means it could not be found out (the probe was refused or timed out): the component then
 * trusts its configuration and says so in the log.
 */
export interface BrokerCapabilities {
  /** `$share/<group>/<filter>` subscriptions are routed (MQTT 5 CONNACK, or the probe). */
  readonly sharedSubscriptions: boolean | undefined;
  /** Highest QoS the broker accepts: MQTT 5 CONNACK Maximum QoS, or the QoS granted to a QoS 2 subscription. */
  readonly maximumQoS: 0 | 1 | 2 | undefined;
  /** Retained messages (MQTT 5 CONNACK Retain Available; MQTT 3.1.1 has no way to say no). */
  readonly retainAvailable: boolean | undefined;
  /** Largest packet the broker accepts (MQTT 5 CONNACK Maximum Packet Size); undefined = no limit announced. */
  readonly maximumPacketSize: number | undefined;
  /** How it was learnt, for the log: `connack` (MQTT 5) or `probe` (MQTT 3.1.1). */
  readonly source: 'connack' | 'probe';
  /** Why the probe could not decide, when it could not. */
  readonly inconclusive?: string;
}

/** First topic level of the probe's private topics. */
export const PROBE_TOPIC_ROOT = 'dapr-mqtt-probe';

export interface ProbeOptions {
  /** Upper bound of the whole probe. */
  readonly timeoutMs: number;
  /** After the plain probe message arrived, how long the shared one may still take. */
  readonly graceMs?: number;
  /** Also find out whether `$share` is routed (skipped when the component does not use it). */
  readonly shared: boolean;
}

/** MQTT 5: the CONNACK says it all; absent properties mean "available" [MQTT-3.2.2.3]. */
export function capabilitiesFromConnack(link: LinkCapabilities | undefined): BrokerCapabilities {
  return Object.freeze({
    sharedSubscriptions: link?.sharedSubscriptionAvailable ?? true,
    maximumQoS: link?.maximumQoS ?? 2,
    retainAvailable: link?.retainAvailable ?? true,
    maximumPacketSize: link?.maximumPacketSize,
    source: 'connack',
  });
}

/** A SUBACK's verdict: the granted QoS, or the failure reason code (>= 0x80). */
async function subscribe(link: MqttLink, filter: string, qos: 0 | 1 | 2): Promise<number> {
  const result = await link.subscribe(filter, qos);
  return result.refused ?? result.granted ?? qos;
}

/**
 * MQTT 3.1.1 has no CONNACK properties, so the broker is asked by doing, on a private topic
 * (`dapr-mqtt-probe/<random>/...`), over the component's own (clean-session) connection:
 * - a QoS 2 subscription: the granted QoS is the most the broker will do (NATS and RabbitMQ
 *   grant 1; NATS closes the link on a QoS 2 PUBLISH);
 * - `$share/<random group>/<probe>/shared` subscribed, then one QoS 1 message published to
 *   `<probe>/shared` and one to `<probe>/plain`. A broker without shared subscriptions takes
 *   `$share/...` as an ordinary filter that never matches (NATS, RabbitMQ accept it silently),
 *   so: the plain one arrives and the shared one does not within `graceMs` after it → none.
 * Refusals and timeouts leave the answer undefined (`inconclusive` says why). The probe's
 * subscriptions stay on the clean-session link (the link has no unsubscribe); nothing else is
 * ever published to their random topics. Afterwards the link acknowledges whatever comes.
 */
export async function probeCapabilities(link: MqttLink, options: ProbeOptions): Promise<BrokerCapabilities> {
  const base = `${PROBE_TOPIC_ROOT}/${randomBytes(8).toString('hex')}`;
  const plainTopic = `${base}/plain`;
  const sharedTopic = `${base}/shared`;
  const sharedFilter = `$share/p${randomBytes(4).toString('hex')}/${sharedTopic}`;
  const arrived = new Set<string>();
  let wake: (() => void) | undefined;
  let probing = true;
  const sent: PublishHandle[] = [];
  link.onMessage((message: InboundMessage, readMore: () => void) => {
    message.ack();
    readMore();
    if (probing && (message.topic === plainTopic || message.topic === sharedTopic)) {
      arrived.add(message.topic);
      wake?.();
    }
  });
  const deadline = Date.now() + options.timeoutMs;
  const result = (partial: Partial<BrokerCapabilities>, inconclusive?: string): BrokerCapabilities =>
    Object.freeze({
      sharedSubscriptions: undefined,
      maximumQoS: undefined,
      retainAvailable: undefined,
      maximumPacketSize: undefined,
      ...partial,
      source: 'probe' as const,
      ...(inconclusive === undefined ? {} : { inconclusive }),
    });
  const waitFor = (done: () => boolean, until: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (done()) return resolve(true);
      const timer = setTimeout(() => finish(false), Math.max(0, until - Date.now()));
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        wake = undefined;
        resolve(ok);
      };
      wake = () => {
        if (done()) finish(true);
      };
    });
  const bounded = <T>(work: Promise<T>): Promise<T | 'timeout'> =>
    Promise.race([work, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())).unref())]);
  try {
    return await runProbe();
  } catch (err) {
    return result({}, `the probe failed: ${(err as Error).message}`);
  } finally {
    probing = false;
    wake = undefined;
    // A probe message the broker has not acknowledged is withdrawn: never replayed on a later link.
    for (const handle of sent) handle.cancel();
  }

  async function runProbe(): Promise<BrokerCapabilities> {
    const granted = await bounded(subscribe(link, plainTopic, 2));
    if (granted === 'timeout') return result({}, 'no SUBACK for the probe subscription in time');
    if (granted >= 0x80) return result({}, `the broker refused the probe subscription to ${plainTopic} (check its ACL)`);
    const maximumQoS = Math.min(2, granted) as 0 | 1 | 2;
    if (!options.shared) return result({ maximumQoS });
    const sharedGranted = await bounded(subscribe(link, sharedFilter, 1));
    if (sharedGranted === 'timeout') return result({ maximumQoS }, 'no SUBACK for the $share probe subscription in time');
    // A SUBACK failure for $share alone is a broker saying it has no shared subscriptions.
    if (sharedGranted >= 0x80) return result({ maximumQoS, sharedSubscriptions: false });
    // QoS 1 both, shared first: a broker routing both delivers the shared one no later than the plain one.
    const ignore = (): void => undefined;
    sent.push(link.publish(sharedTopic, Buffer.from('probe'), { qos: 1, retain: false }, ignore));
    sent.push(link.publish(plainTopic, Buffer.from('probe'), { qos: 1, retain: false }, ignore));
    const plainCame = await waitFor(() => arrived.has(plainTopic), deadline);
    if (!plainCame) {
      return result({ maximumQoS, ...(arrived.has(sharedTopic) ? { sharedSubscriptions: true } : {}) }, 'the probe message did not come back in time');
    }
    const sharedCame = await waitFor(() => arrived.has(sharedTopic), Math.min(deadline, Date.now() + (options.graceMs ?? 250)));
    return result({ maximumQoS, sharedSubscriptions: sharedCame });
  }
}
