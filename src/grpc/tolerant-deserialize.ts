import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

const UNDECODABLE = Symbol('undecodable');

interface Undecodable {
  readonly [UNDECODABLE]: string;
}

/**
 * grpc-js answers a request it cannot deserialize with INTERNAL ("Error deserializing
 * request"), which tells daprd the component failed. Garbage input is the caller's fault:
 * the wrapped deserializer hands the handler a marker instead, and the handler answers
 * INVALID_ARGUMENT (unary) or ignores the frame with a log line (a stream's acks).
 */
export function withTolerantDeserialize(def: ServiceDefinition): ServiceDefinition {
  const out: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(def as Record<string, MethodDefinition<unknown, unknown>>)) {
    const deserialize = method.requestDeserialize;
    out[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return deserialize(bytes);
        } catch (err) {
          return { [UNDECODABLE]: (err as Error).message } satisfies Undecodable;
        }
      },
    };
  }
  return out as ServiceDefinition;
}

/** Why the request could not be decoded, or undefined when it was. */
export function undecodableReason(request: unknown): string | undefined {
  return typeof request === 'object' && request !== null && UNDECODABLE in request ? (request as Undecodable)[UNDECODABLE] : undefined;
}
