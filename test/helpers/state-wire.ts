/**
 * Speaks the MQTT state protocol directly, as a component would, for tests that need to see
 * the wire: encode Dapr state requests, wrap them in the envelope, decode replies.
 */
import { loadProtoRoot } from '../../src/proto/proto-files.js';
import { decodeStateReply, encodeStateRequest, type RawReply, type StateOp } from '../../src/mqtt/state-envelope.js';
import { stateReplyTopic, stateRequestTopic } from '../../src/mqtt/state-topics.js';
import type { MqttPeer } from './mqtt-peer.js';

const root = loadProtoRoot(['dapr/proto/components/v1/state.proto']);

/** Serializes a Dapr state message, e.g. `daprMessage('SetRequest', { key, value })`. */
export function daprMessage(type: string, fields: Record<string, unknown>): Uint8Array {
  const t = root.lookupType(`dapr.proto.components.v1.${type}`);
  return t.encode(t.fromObject(fields)).finish();
}

/** Decodes a Dapr state response body from a reply. */
export function decodeDapr(type: string, bytes: Uint8Array): Record<string, unknown> {
  const t = root.lookupType(`dapr.proto.components.v1.${type}`);
  return t.toObject(t.decode(bytes), { longs: String, enums: String }) as Record<string, unknown>;
}

export interface WireRequest {
  readonly requestId: string;
  readonly keyspace: string;
  readonly op: StateOp;
  readonly body: Uint8Array;
  /** Unix ms; default 30 s from now. */
  readonly deadlineUnixMs?: number;
}

/** A raw client of the state service: `peer` publishes on its own request topic and reads its reply topic. */
export interface WireClient {
  /** The encoded request (to publish it again byte for byte). */
  encode(req: WireRequest): Buffer;
  send(encoded: Buffer): Promise<void>;
  /** Replies received so far, raw and decoded. */
  readonly replies: Array<{ raw: Buffer; reply: RawReply }>;
  waitForReplies(n: number): Promise<void>;
}

export async function wireClient(peer: MqttPeer, service: string): Promise<WireClient> {
  const replyTopic = stateReplyTopic(service, peer.clientId);
  const sub = await peer.subscribe(replyTopic, 1);
  return {
    encode: (req) =>
      encodeStateRequest({ requestId: req.requestId, replyTopic, keyspace: req.keyspace, deadlineUnixMs: req.deadlineUnixMs ?? Date.now() + 30_000 }, req.op, req.body),
    send: (encoded) => peer.publish(stateRequestTopic(service, peer.clientId), encoded, { qos: 1 }),
    get replies() {
      return sub.messages.map((m) => ({ raw: m.payload, reply: decodeStateReply(m.payload) }));
    },
    waitForReplies: (n) => sub.waitFor(n),
  };
}
