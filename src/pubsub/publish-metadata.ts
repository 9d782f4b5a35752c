import type { PubSubConfig, QoS } from '../config/pubsub-config.js';
import { ComponentError } from '../errors/component-error.js';
import type { PublishOptions } from '../mqtt/publisher.js';

type Meta = Readonly<Record<string, string>> | undefined;

function bad(key: string, value: string, expected: string): ComponentError {
  return new ComponentError('ERR_PUBLISH_METADATA_INVALID', `publish metadata "${key}" is "${value}": expected ${expected}`, { field: `metadata.${key}` });
}

/** Per-request `qos`/`retain` over the component defaults. */
export function publishOptionsFrom(config: PubSubConfig, metadata: Meta): PublishOptions {
  let qos: QoS = config.qos;
  let retain = config.retain;
  const q = metadata?.qos;
  if (q !== undefined && q !== '') {
    if (!/^[012]$/.test(q.trim())) throw bad('qos', q, '0, 1 or 2');
    qos = Number(q.trim()) as QoS;
  }
  const r = metadata?.retain;
  if (r !== undefined && r !== '') {
    const v = r.trim().toLowerCase();
    if (v !== 'true' && v !== 'false') throw bad('retain', r, 'true or false');
    retain = v === 'true';
  }
  return { qos, retain };
}

/** Subscription metadata `qos` over the component default. */
export function subscribeQosFrom(config: PubSubConfig, metadata: Meta): QoS {
  const q = metadata?.qos;
  if (q === undefined || q === '') return config.qos;
  if (!/^[012]$/.test(q.trim())) {
    throw new ComponentError('ERR_SUBSCRIBE_METADATA_INVALID', `subscription metadata "qos" is "${q}": expected 0, 1 or 2`, { field: 'topic.metadata.qos' });
  }
  return Number(q.trim()) as QoS;
}
