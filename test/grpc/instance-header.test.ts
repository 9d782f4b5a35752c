import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '@grpc/grpc-js';
import { DEFAULT_INSTANCE, INSTANCE_HEADER, instanceOf } from '../../src/grpc/instance-registry.js';

function md(...values: string[]): Metadata {
  const m = new Metadata();
  for (const v of values) m.add(INSTANCE_HEADER, v);
  return m;
}

test('x-component-instance: one value, none, and the repeated header real daprd sends on a dead-letter publish', () => {
  assert.equal(instanceOf(md('pubsub')), 'pubsub');
  assert.equal(instanceOf(md()), DEFAULT_INSTANCE);
  // What grpc-js hands over when daprd appended the header twice (seen with daprd 1.18.1).
  assert.equal(instanceOf(md('pubsub, pubsub')), 'pubsub');
  assert.equal(instanceOf(md('pubsub', 'pubsub')), 'pubsub');
  assert.equal(instanceOf(md('orders, audit')), 'audit');
});
