import { loadProtoRoot } from '../proto/proto-files.js';

const root = loadProtoRoot(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
const Status = root.lookupType('google.rpc.Status');
const ErrorInfo = root.lookupType('google.rpc.ErrorInfo');
const BadRequest = root.lookupType('google.rpc.BadRequest');

export interface Detail {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

export function errorInfoDetail(reason: string, domain: string, metadata: Record<string, string>): Detail {
  return { typeUrl: 'type.googleapis.com/google.rpc.ErrorInfo', value: ErrorInfo.encode(ErrorInfo.create({ reason, domain, metadata })).finish() };
}

/** A google.rpc.BadRequest with one field violation: the shape daprd decodes for etag errors. */
export function badRequestDetail(field: string, description: string): Detail {
  return {
    typeUrl: 'type.googleapis.com/google.rpc.BadRequest',
    value: BadRequest.encode(BadRequest.create({ fieldViolations: [{ field, description }] })).finish(),
  };
}

/** The `grpc-status-details-bin` value: a google.rpc.Status whose code equals the call's code. */
export function encodeStatus(code: number, message: string, details: readonly Detail[]): Buffer {
  return Buffer.from(Status.encode(Status.create({ code, message, details: details.map((d) => ({ type_url: d.typeUrl, value: d.value })) })).finish());
}

/** Decodes a `grpc-status-details-bin` value (used by tests and tools). */
export function decodeStatus(bytes: Uint8Array): { code: number; message: string; details: Array<{ typeUrl: string; value: Uint8Array }> } {
  const s = Status.toObject(Status.decode(bytes), { defaults: true }) as { code: number; message: string; details: Array<{ type_url?: string; typeUrl?: string; value: Uint8Array }> };
  return { code: s.code, message: s.message, details: s.details.map((d) => ({ typeUrl: d.typeUrl ?? d.type_url ?? '', value: d.value })) };
}

export function decodeErrorInfo(value: Uint8Array): { reason: string; domain: string; metadata: Record<string, string> } {
  return ErrorInfo.toObject(ErrorInfo.decode(value), { defaults: true }) as { reason: string; domain: string; metadata: Record<string, string> };
}

export function decodeBadRequest(value: Uint8Array): { fieldViolations: Array<{ field: string; description: string }> } {
  return BadRequest.toObject(BadRequest.decode(value), { defaults: true }) as { fieldViolations: Array<{ field: string; description: string }> };
}
