/**
 * Encoding of the MQTT state protocol envelopes (proto/mqttpluggable/state/v1/state_protocol.proto).
 *
 * The client side never decodes the Dapr messages: it puts the request bytes daprd sent straight
 * into the envelope (an embedded message and a bytes field are the same on the wire) and hands
 * the reply's response bytes straight back. The service side decodes and encodes them.
 */
import protobuf from 'protobufjs';
import { loadProtoRoot } from '../proto/proto-files.js';
import type { StateRequest__Output } from '../generated/mqttpluggable/state/v1/StateRequest.js';
import type { StateError, StateError__Output } from '../generated/mqttpluggable/state/v1/StateError.js';
import type { StateReply } from '../generated/mqttpluggable/state/v1/StateReply.js';

const root = loadProtoRoot(['mqttpluggable/state/v1/state_protocol.proto']);
const RequestType = root.lookupType('mqttpluggable.state.v1.StateRequest');
const ReplyType = root.lookupType('mqttpluggable.state.v1.StateReply');
const ErrorType = root.lookupType('mqttpluggable.state.v1.StateError');

/** The operations, as named in StateRequest.operation (the reply's `pong` answers `ping`). */
export const STATE_OP_NAMES = ['get', 'set', 'delete', 'bulkGet', 'bulkSet', 'bulkDelete', 'transact', 'query', 'ping'] as const;
export type StateOp = (typeof STATE_OP_NAMES)[number];

/** A field's number as the loaded .proto declares it; a missing one stops the program at load. */
function fieldNumber(type: protobuf.Type, name: string): number {
  const field = type.fields[name];
  if (field === undefined) throw new Error(`state_protocol.proto: ${type.name} has no field ${name}`);
  return field.id;
}

/** Each operation's field number in StateRequest.operation, the same in StateReply.result (from the loaded .proto). */
export const STATE_OPS: Readonly<Record<StateOp, number>> = Object.freeze(
  Object.fromEntries(
    STATE_OP_NAMES.map((op) => {
      const id = fieldNumber(RequestType, op);
      if (fieldNumber(ReplyType, op === 'ping' ? 'pong' : op) !== id) throw new Error(`state_protocol.proto: ${op} has different numbers in request and reply`);
      return [op, id];
    }),
  ) as Record<StateOp, number>,
);
const ERROR_FIELD = fieldNumber(ReplyType, 'error');
const REQUEST_ID_FIELD = fieldNumber(RequestType, 'requestId');
const REPLY_TOPIC_FIELD = fieldNumber(RequestType, 'replyTopic');
const KEYSPACE_FIELD = fieldNumber(RequestType, 'keyspace');
const DEADLINE_FIELD = fieldNumber(RequestType, 'deadlineUnixMs');
if (fieldNumber(ReplyType, 'requestId') !== REQUEST_ID_FIELD) throw new Error('state_protocol.proto: request_id has different numbers in request and reply');
const OP_BY_FIELD = new Map<number, StateOp>(STATE_OP_NAMES.map((op) => [STATE_OPS[op], op]));

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
  w.uint32((REQUEST_ID_FIELD << 3) | 2).string(header.requestId);
  w.uint32((REPLY_TOPIC_FIELD << 3) | 2).string(header.replyTopic);
  w.uint32((KEYSPACE_FIELD << 3) | 2).string(header.keyspace);
  if (header.deadlineUnixMs > 0) w.uint32((DEADLINE_FIELD << 3) | 0).int64(header.deadlineUnixMs);
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
    if (field === REQUEST_ID_FIELD && wire === 2) requestId = r.string();
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
      if (field === REQUEST_ID_FIELD && (tag & 7) === 2) requestId = r.string();
      else if (field === REPLY_TOPIC_FIELD && (tag & 7) === 2) replyTopic = r.string();
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
