import { ComponentError } from '../errors/component-error.js';
import type { ErrorCode } from '../errors/codes.js';

/** Names of the reason codes a PUBACK, PUBREC or SUBACK may carry (MQTT 5 §2.4, §3.4.2.1, §3.9.3). */
const REASON_NAMES: Readonly<Record<number, string>> = {
  0x80: 'unspecified error',
  0x83: 'implementation specific error',
  0x87: 'not authorized',
  0x8f: 'topic filter invalid',
  0x90: 'topic name invalid',
  0x91: 'packet identifier in use',
  0x95: 'packet too large',
  0x97: 'quota exceeded',
  0x99: 'payload format invalid',
  0x9e: 'shared subscriptions not supported',
  0xa1: 'subscription identifiers not supported',
  0xa2: 'wildcard subscriptions not supported',
};

const PUBLISH_CODES: Readonly<Record<number, ErrorCode>> = {
  0x87: 'ERR_PUBLISH_DENIED',
  0x97: 'ERR_PUBLISH_QUOTA_EXCEEDED',
  0x90: 'ERR_PUBLISH_TOPIC_INVALID',
  0x95: 'ERR_PUBLISH_TOO_LARGE',
  0x99: 'ERR_PUBLISH_PAYLOAD_INVALID',
  0x91: 'ERR_PUBLISH_BUSY',
};

const SUBSCRIBE_CODES: Readonly<Record<number, ErrorCode>> = {
  0x87: 'ERR_SUBSCRIBE_DENIED',
  0x97: 'ERR_SUBSCRIBE_QUOTA_EXCEEDED',
  0x8f: 'ERR_SUBSCRIBE_TOPIC_INVALID',
  0x91: 'ERR_SUBSCRIBE_BUSY',
};

/** A reason code of 0x80 or more is a failure [MQTT-3.4.2.1, 3.9.3]; below is success (0x10 "no matching subscribers" included). */
export function isFailureReasonCode(code: unknown): code is number {
  return typeof code === 'number' && code >= 0x80 && code <= 0xff;
}

export function reasonCodeText(code: number): string {
  const hex = `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  const name = REASON_NAMES[code];
  return name === undefined ? hex : `${hex} (${name})`;
}

/**
 * The error for a broker's negative PUBACK/PUBREC (`publish`) or SUBACK (`subscribe`): not
 * authorized → PERMISSION_DENIED, quota exceeded → RESOURCE_EXHAUSTED, invalid topic / too
 * large / bad payload format → INVALID_ARGUMENT, packet id in use → UNAVAILABLE, others INTERNAL.
 * The message names the reason code and the broker's reason string, if it gave one.
 */
export function brokerRefusal(kind: 'publish' | 'subscribe', code: number, what: string, reasonString?: string): ComponentError {
  const table = kind === 'publish' ? PUBLISH_CODES : SUBSCRIBE_CODES;
  const errorCode = table[code] ?? (kind === 'publish' ? 'ERR_PUBLISH_REJECTED' : 'ERR_SUBSCRIBE_REJECTED');
  const packet = kind === 'publish' ? 'the publish' : 'the subscription';
  const because = reasonString ? `: ${reasonString}` : '';
  return new ComponentError(errorCode, `the broker refused ${packet} ${what} with reason code ${reasonCodeText(code)}${because}`, {
    field: kind === 'subscribe' ? 'topic.name' : code === 0x95 || code === 0x99 ? 'data' : 'topic',
  });
}
