/**
 * MQTT 5 brokers say in their CONNACK what they lack (Maximum QoS, Retain Available). No broker
 * here can be made to say so, so a scripted one does: Init with a setting it cannot honour fails
 * with FAILED_PRECONDITION naming the key, and so does a Publish whose metadata asks for it,
 * before anything is sent; never a retriable UNAVAILABLE.
 */
import { after, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { startFakeMqtt5Broker, type FakeBroker } from '../helpers/fake-mqtt5-broker.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';

describe('MQTT 5 CONNACK capabilities', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  after(async () => {
    for (const o of open.reverse()) await o.close();
  });
  async function against(properties: Record<string, unknown>): Promise<{ broker: FakeBroker; fx: Fixture }> {
    const broker = await startFakeMqtt5Broker({ connackProperties: properties });
    open.push(broker);
    const fx = await startFixture({ broker: 'external', brokerUrl: broker.url, protocolVersion: 5 });
    open.push(fx);
    return { broker, fx };
  }

  it('Maximum QoS 1: Init with qos 2 and Publish metadata qos 2 fail with FAILED_PRECONDITION naming qos', async () => {
    const { fx } = await against({ maximumQoS: 1 });
    await expectGrpcError(fx.connect().init({ url: fx.brokerUrl, consumerID: fx.uid('q'), protocolVersion: '5', qos: '2' }), 'FAILED_PRECONDITION', ['qos', 'at most QoS 1'], 'Init with qos 2');
    const conn = await fx.initInstance({ qos: '1' });
    await expectGrpcError(conn.publish(fx.topic('q2'), 'x', { qos: '2' }), 'FAILED_PRECONDITION', ['qos'], 'Publish with metadata qos 2');
    await conn.ping();
  });

  it('Maximum QoS 0: Init with the default qos 1 fails naming qos', async () => {
    const { fx } = await against({ maximumQoS: 0 });
    await expectGrpcError(fx.connect().init({ url: fx.brokerUrl, consumerID: fx.uid('q'), protocolVersion: '5' }), 'FAILED_PRECONDITION', ['qos', 'set qos to 0'], 'Init with qos 1');
  });

  it('Retain Available 0: Init with retain true and Publish metadata retain true fail with FAILED_PRECONDITION naming retain', async () => {
    const { fx } = await against({ retainAvailable: false });
    await expectGrpcError(fx.connect().init({ url: fx.brokerUrl, consumerID: fx.uid('r'), protocolVersion: '5', retain: 'true' }), 'FAILED_PRECONDITION', ['retain'], 'Init with retain true');
    const conn = await fx.initInstance();
    await expectGrpcError(conn.publish(fx.topic('r'), 'x', { retain: 'true' }), 'FAILED_PRECONDITION', ['retain'], 'Publish with metadata retain true');
    await conn.ping();
  });
});
