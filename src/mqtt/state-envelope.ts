/**
 * Encoding of the MQTT state protocol envelopes (proto/mqttpluggable/state/v1/state_protocol.proto).
 *
 * The client side never decodes the Dapr messages: it puts the request bytes daprd sent straight
 * into the envelope (an embedded message and a bytes field are the same on the wire) and hands
 * the reply's response bytes straight back. The service side decodes and encodes them.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { StateRequest__Output } from '../generated/mqttpluggable/state/v1/StateRequest.js';
import type { StateError, StateError__Output } from '../generated/mqttpluggable/state/v1/StateError.js';
import type { StateReply } from '../generated/mqttpluggable/state/v1/StateReply.js';

/** proto/ at the package root (from src/ under tsx and from dist/src/ alike). */
const PROTO_DIR = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../proto' : '../../proto', import.meta.url));

/** The operations, by their field number in StateRequest.operation / StateReply.result. */
export const STATE_OPS = {
  get: 10,
  set: 11,
  delete: 12,
  bulkGet: 13,
  bulkSet: 14,
  bulkDelete: 15,
  transact: 16,
  query: 17,
  ping: 18,
} as const;
export type StateOp = keyof typeof STATE_OPS;
const ERROR_FIELD = 20;
const OP_BY_FIELD = new Map<number, StateOp>(Object.entries(STATE_OPS).map(([k, v]) => [v, k as StateOp]));

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync('mqttpluggable/state/v1/state_protocol.proto', { keepCase: false });
const RequestType = root.lookupType('mqttpluggable.state.v1.StateRequest');
const ReplyType = root.lookupType('mqttpluggable.state.v1.StateReply');
const ErrorType = root.lookupType('mqttpluggable.state.v1.StateError');

/** Same conversions as the gRPC loader options: longs and enums as strings, oneof names set. */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, oneofs: true };

// ---- client side -------------------------------------------------------------------------

export interface RequestHeader {
  readonly requestId: string;
  readonly replyTopic: string;
  readonly keyspace: string;
  /** Unix ms; 0 = none. */
  readonly deadlineUnixMs: number;
}

/** Builds a StateRequest around `body`, the already-serialized Dapr request message. */
export function encodeStateRequest(header: RequestHeader, op: StateOp, body: Uint8Array): Buffer {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).string(header.requestId);
  w.uint32((2 << 3) | 2).string(header.replyTopic);
  w.uint32((3 << 3) | 2).string(header.keyspace);
  if (header.deadlineUnixMs > 0) w.uint32((4 << 3) | 0).int64(header.deadlineUnixMs);
  w.uint32((STATE_OPS[op] << 3) | 2).bytes(body);
  return Buffer.from(w.finish());
}

export type RawReply =
  | { readonly requestId: string; readonly op: StateOp; readonly body: Buffer; readonly error?: undefined }
  | { readonly requestId: string; readonly op?: undefined; readonly body?: undefined; readonly error: StateError__Output };

/**
 * Reads a StateReply without decoding the Dapr response: `body` is its serialized form, ready
 * to be sent to daprd as is. Throws on malformed input or a reply with no result.
 */
export function decodeStateReply(bytes: Uint8Array): RawReply {
  const r = protobuf.Reader.create(bytes);
  let requestId = '';
  let op: StateOp | undefined;
  let body: Buffer | undefined;
  let error: StateError__Output | undefined;
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 2) requestId = r.string();
    else if (field === ERROR_FIELD && wire === 2) {
      error = ErrorType.toObject(ErrorType.decode(r.bytes()), { ...TO_OBJECT, defaults: true }) as StateError__Output;
      op = undefined;
      body = undefined;
    } else if (OP_BY_FIELD.has(field) && wire === 2) {
      op = OP_BY_FIELD.get(field);
      body = Buffer.from(r.bytes());
      error = undefined;
    } else r.skipType(wire);
  }
  if (error) return { requestId, error };
  if (op === undefined || body === undefined) throw new Error('state reply carries neither a result nor an error');
  return { requestId, op, body };
}

// ---- service side ------------------------------------------------------------------------

/** Decodes a StateRequest, Dapr request included. Throws on malformed input. */
export function decodeStateRequest(bytes: Uint8Array): StateRequest__Output {
  return RequestType.toObject(RequestType.decode(bytes), TO_OBJECT) as StateRequest__Output;
}

/**
 * The request id and reply topic of a request whose operation cannot be decoded (garbage or
 * truncated Dapr bytes), so it can still be answered with an error; undefined if even those
 * cannot be read.
 */
export function decodeRequestHeader(bytes: Uint8Array): { requestId: string; replyTopic: string } | undefined {
  try {
    const r = protobuf.Reader.create(bytes);
    let requestId = '';
    let replyTopic = '';
    while (r.pos < r.len) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1 && (tag & 7) === 2) requestId = r.string();
      else if (field === 2 && (tag & 7) === 2) replyTopic = r.string();
      else if ((tag & 7) === 2) r.skip(r.uint32()); // length-delimited: skip without looking inside
      else r.skipType(tag & 7);
      if (requestId !== '' && replyTopic !== '') break;
    }
    return requestId !== '' && replyTopic !== '' ? { requestId, replyTopic } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Encodes a StateReply given as a plain object, e.g. `{ requestId, get: { data, etag: { value } } }`
 * or `{ requestId, error: { kind: 'ETAG_MISMATCH', message, field: 'etag', key } }`.
 */
export function encodeStateReply(reply: StateReply): Buffer {
  return Buffer.from(ReplyType.encode(ReplyType.fromObject(reply as Record<string, unknown>)).finish());
}

export type { StateError, StateError__Output };
