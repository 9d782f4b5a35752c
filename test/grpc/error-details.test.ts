import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { status, type ServiceError } from '@grpc/grpc-js';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { decodeErrorInfo, decodeStatus } from '../../src/grpc/status-details.js';

// daprd keeps a status' details (and message) only when the google.rpc.Status inside
// grpc-status-details-bin carries the same code as the call. Check that shape on our errors.
let fx: Fixture;
before(async () => {
  fx = await startFixture({ broker: 'mosquitto' });
});
after(async () => {
  await fx?.close();
});

async function rejection(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (err) {
    return err as ServiceError;
  }
  assert.fail('expected the call to fail');
}

function detailsOf(err: ServiceError): { code: number; message: string; reason: string; meta: Record<string, string> } {
  const bin = err.metadata.get('grpc-status-details-bin')[0];
  assert.ok(Buffer.isBuffer(bin), 'grpc-status-details-bin trailer present');
  const s = decodeStatus(bin);
  assert.equal(s.details.length, 1, 'exactly one detail');
  const d = s.details[0]!;
  assert.equal(d.typeUrl, 'type.googleapis.com/google.rpc.ErrorInfo');
  const info = decodeErrorInfo(d.value);
  return { code: s.code, message: s.message, reason: info.reason, meta: info.metadata };
}

test('a bad Init value: INVALID_ARGUMENT, Status code equal to the call code, ErrorInfo names the field', async () => {
  const c = fx.connect();
  const err = await rejection(c.init({ url: fx.brokerUrl, consumerID: fx.uid('c'), qos: '7' }));
  assert.equal(err.code, status.INVALID_ARGUMENT);
  assert.match(err.details, /"qos"/);
  const d = detailsOf(err);
  assert.equal(d.code, err.code);
  assert.equal(d.message, err.details);
  assert.equal(d.reason, 'ERR_CONFIG_INVALID');
  assert.equal(d.meta.field, 'qos');
});

test('a call before Init: FAILED_PRECONDITION with ERR_NOT_INITIALIZED', async () => {
  const c = fx.connect();
  const err = await rejection(c.publish(fx.topic('x'), 'x'));
  assert.equal(err.code, status.FAILED_PRECONDITION);
  const d = detailsOf(err);
  assert.equal(d.code, status.FAILED_PRECONDITION);
  assert.equal(d.reason, 'ERR_NOT_INITIALIZED');
});

test('an unreachable broker fails Init with UNAVAILABLE within the connect timeout, naming the host', async () => {
  const c = fx.connect();
  const started = Date.now();
  // Port 9 (discard) on loopback: nothing listens there on these machines.
  const err = await rejection(c.init({ url: 'tcp://127.0.0.1:9', consumerID: fx.uid('c'), connectTimeout: '1s' }));
  assert.equal(err.code, status.UNAVAILABLE);
  assert.match(err.details, /127\.0\.0\.1:9/);
  assert.ok(Date.now() - started < 4500, 'answered inside daprd\'s 5 s init timeout');
  assert.equal(detailsOf(err).reason, 'ERR_BROKER_UNREACHABLE');
});
