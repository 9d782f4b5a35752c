/**
 * The Dapr component protos as protobufjs types, to pre-encode the request bodies h2load sends
 * and to check the responses' sizes. Loaded from proto/ (the same files the component serves).
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';

/** proto/ at the package root (bench/lib → ../../proto from src, ../../../proto from dist). */
export const PROTO_DIR = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../proto' : '../../proto', import.meta.url));

let root: protobuf.Root | undefined;

function load(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => join(PROTO_DIR, target);
    r.loadSync(['dapr/proto/components/v1/pubsub.proto', 'dapr/proto/components/v1/state.proto'], { keepCase: false });
    root = r;
  }
  return root;
}

/** Serializes `value` as the message `name` (short name in dapr.proto.components.v1). */
export function encodeMessage(name: string, value: Record<string, unknown>): Buffer {
  const type = load().lookupType(`dapr.proto.components.v1.${name}`);
  const err = type.verify(value);
  if (err) throw new Error(`bench: bad ${name}: ${err}`);
  return Buffer.from(type.encode(type.fromObject(value)).finish());
}

/** A gRPC length-prefixed message: flag 0 (not compressed), 4-byte big-endian length, bytes. */
export function grpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

export const PUBSUB_SERVICE = 'dapr.proto.components.v1.PubSub';
export const STATE_SERVICE = 'dapr.proto.components.v1.StateStore';

/** The request body of a Publish as daprd sends it (no content_type; data = the CloudEvent or raw bytes). */
export function publishFrame(topic: string, data: Buffer): Buffer {
  return grpcFrame(encodeMessage('PublishRequest', { data, pubsubName: 'pubsub', topic, metadata: {} }));
}

/** A Set as daprd sends it for a plain save: no etag, options present (last-write unspecified). */
export function setFrame(key: string, value: Buffer): Buffer {
  return grpcFrame(
    encodeMessage('SetRequest', {
      key,
      value,
      metadata: {},
      options: { concurrency: 0, consistency: 0 },
      contentType: '',
    }),
  );
}

export function getFrame(key: string): Buffer {
  return grpcFrame(encodeMessage('GetRequest', { key, metadata: {}, consistency: 0 }));
}

/** A GetResponse with a value and an etag (what the no-op answers, sized like the real answer). */
export function getResponseMessage(value: Buffer, etag: string): Buffer {
  return encodeMessage('GetResponse', { data: value, etag: { value: etag }, metadata: {}, contentType: '' });
}
