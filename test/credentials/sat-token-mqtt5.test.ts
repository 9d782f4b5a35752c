/**
 * Token authentication as in Azure IoT Operations with `protocolVersion: "5"`: enhanced
 * authentication, CONNECT with Authentication Method `K8S-SAT` and the token as Authentication
 * Data (no user name, no password). When the token file changes, every open connection
 * re-authenticates (AUTH, reason code 0x19, the new token) without dropping the link, as AIO
 * asks of MQTT 5 clients before their token expires; a reconnect sends the new token in CONNECT.
 * No broker here speaks K8S-SAT (Mosquitto refuses unknown methods), so a scripted MQTT 5 broker
 * checks the packets: it accepts only the current token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomId } from '../helpers/component-fixture.js';
import { connectPubSub, type PubSubConnection } from '../helpers/daprd-harness.js';
import { startComponentProcess, type ComponentProcess } from '../helpers/component-process.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { startFakeMqtt5Broker, type FakeBroker } from '../helpers/fake-mqtt5-broker.js';
import { createProjectedVolume, type ProjectedVolume } from '../helpers/projected-volume.js';
import { waitUntil } from '../helpers/wait.js';
import { fakeServiceAccountToken } from '../helpers/service-account-token.js';

/** 0x87 Not authorized; 0x8C Bad authentication method. */
const NOT_AUTHORIZED = 0x87;
const BAD_AUTHENTICATION_METHOD = 0x8c;

describe('satTokenPath with MQTT 5: enhanced authentication K8S-SAT, re-authentication on rotation', () => {
  let broker: FakeBroker;
  let volume: ProjectedVolume;
  let component: ComponentProcess;
  let conn: PubSubConnection;
  /** The token the broker accepts now. */
  let valid = fakeServiceAccountToken();
  const tokens = [valid];

  const tokenOf = (p: { properties?: { authenticationData?: Buffer } }): string | undefined => p.properties?.authenticationData?.toString('utf8');

  before(async () => {
    broker = await startFakeMqtt5Broker({
      connackCode: (c) => (c.properties?.authenticationMethod !== 'K8S-SAT' ? BAD_AUTHENTICATION_METHOD : tokenOf(c) === valid ? 0 : NOT_AUTHORIZED),
      authCode: (a) => (tokenOf(a) === valid ? 0 : NOT_AUTHORIZED),
    });
    volume = await createProjectedVolume({ token: `${valid}\n` });
    component = await startComponentProcess({ env: { LOG_LEVEL: 'debug' } });
    conn = connectPubSub(component.socketPath, 'sat5');
  });
  after(async () => {
    await conn?.close();
    await component?.cleanup();
    await broker?.close();
    await volume?.cleanup();
  });

  it('CONNECT carries Authentication Method K8S-SAT and the token as Authentication Data, no user name or password', async () => {
    await conn.init({ url: broker.url, consumerID: randomId('sat5'), protocolVersion: '5', satTokenPath: volume.path('token'), connectTimeout: '3s' });
    await conn.ping();
    const connect = broker.connects.at(-1);
    assert.ok(connect);
    assert.equal(connect.protocolVersion, 5);
    assert.equal(connect.properties?.authenticationMethod, 'K8S-SAT');
    assert.equal(tokenOf(connect), valid, 'the trimmed file content');
    assert.equal(connect.username, undefined);
    assert.equal(connect.password, undefined);
  });

  it('a new token in the volume (..data swap): the open connection re-authenticates with AUTH 0x19 and stays up; a reconnect sends the new token', async (t) => {
    const connectsBefore = broker.connects.length;
    const next = fakeServiceAccountToken();
    tokens.push(next);
    valid = next;
    await volume.update({ token: next });
    await waitUntil(() => broker.auths.some((a) => tokenOf(a) === next), () => `an AUTH with the new token (got ${broker.auths.length} AUTH packets)`);
    const auth = broker.auths.find((a) => tokenOf(a) === next);
    assert.equal(auth?.reasonCode, 0x19, 'Re-authenticate');
    assert.equal(auth?.properties?.authenticationMethod, 'K8S-SAT');
    await conn.ping();
    assert.equal(broker.connects.length, connectsBefore, 'no reconnect was needed');

    // The link drops (e.g. a broker node restarts): the reconnect logs in with the new token.
    broker.dropAll();
    await waitUntil(() => broker.connects.length > connectsBefore, () => 'a reconnect');
    assert.equal(tokenOf(broker.connects.at(-1) as { properties?: { authenticationData?: Buffer } }), next);
    await waitUntil(async () => {
      try {
        await conn.ping();
        return true;
      } catch {
        return false;
      }
    }, () => 'Ping to answer OK after the reconnect');
    t.diagnostic(`AUTH packets: ${broker.auths.length}, CONNECTs: ${broker.connects.length}`);
  });

  it('a wrong token: Init fails with PERMISSION_DENIED (CONNACK 0x87) without the token in the error', async () => {
    const wrongToken = fakeServiceAccountToken();
    const wrong = await createProjectedVolume({ token: wrongToken });
    const other = connectPubSub(component.socketPath, 'sat5-wrong');
    try {
      const err = await expectGrpcError(
        other.init({ url: broker.url, consumerID: randomId('sat5'), protocolVersion: '5', satTokenPath: wrong.path('token'), connectTimeout: '3s' }, { timeoutMs: 10_000 }),
        'PERMISSION_DENIED',
      );
      assert.ok(!err.details.includes(wrongToken.slice(0, 40)), `the token is not in: ${err.details}`);
    } finally {
      await other.close();
      await wrong.cleanup();
    }
  });

  it('no token ever reaches the component\'s output', () => {
    const output = component.stdout + component.stderr;
    for (const token of tokens) assert.ok(!output.includes(token.slice(-64)), 'a token is in the output');
  });
});
