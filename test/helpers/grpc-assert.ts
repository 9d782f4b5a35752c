import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import type { GrpcError } from './daprd-harness.js';

export type StatusName = keyof typeof status;

function codeName(code: number | undefined): string {
  const entry = Object.entries(status).find(([, v]) => v === code);
  return entry ? entry[0] : String(code);
}

function isGrpcError(err: unknown): err is GrpcError {
  return err instanceof Error && typeof (err as Partial<GrpcError>).code === 'number';
}

/** Asserts `err` is a gRPC error with status `expected` whose message mentions every string in `mentions`. */
export function assertGrpcError(err: unknown, expected: StatusName, mentions: readonly string[] = [], what = 'the call'): GrpcError {
  assert.ok(isGrpcError(err), `${what}: expected a gRPC ${expected} error, got ${err instanceof Error ? err.stack : String(err)}`);
  assert.equal(codeName(err.code), expected, `${what}: expected gRPC ${expected}, got ${codeName(err.code)}: ${err.details}`);
  for (const word of mentions) {
    assert.ok(err.details.includes(word), `${what}: expected the ${expected} message to name "${word}", got: "${err.details}"`);
  }
  return err;
}

/**
 * Awaits `promise`, which must reject with gRPC status `expected` (message naming `mentions`);
 * `what` labels the call in failure messages.
 */
export async function expectGrpcError(
  promise: Promise<unknown>,
  expected: StatusName,
  mentions: readonly string[] = [],
  what = 'the call',
): Promise<GrpcError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (err) {
    return assertGrpcError(err, expected, mentions, what);
  }
  assert.fail(`${what}: expected gRPC ${expected}, but it succeeded (${JSON.stringify(result) ?? 'no response'})`);
}

export function grpcCodeName(err: unknown): string {
  return isGrpcError(err) ? codeName(err.code) : 'not a gRPC error';
}

/** True when Ping answers OK, false when it fails (for polling the component's link state). */
export async function pingOk(conn: { ping(): Promise<void> }): Promise<boolean> {
  try {
    await conn.ping();
    return true;
  } catch {
    return false;
  }
}
