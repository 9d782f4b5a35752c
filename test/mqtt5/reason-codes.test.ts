/**
 * MQTT 5 reason codes: a PUBACK/PUBREC or SUBACK with a reason code >= 0x80 is never a success;
 * it maps to a gRPC status with the reason in the message, and a refused subscription ends its
 * PullMessages stream instead of leaving it silent for ever.
 *
 * Brokers: a private Mosquitto with an `acl_file` (publishing to a denied topic gets PUBACK 0x87;
 * Mosquitto's acl_file never refuses a SUBSCRIBE, "FIXME - implement ACL subscription strings"
 * in its security_default.c), and one with the dynamic security plugin, which does (SUBACK 0x87).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brokerRefusal } from '../../src/mqtt/reason-codes.js';
import { randomId, startFixture, type Fixture } from '../helpers/component-fixture.js';
import type { PubSubConnection } from '../helpers/daprd-harness.js';
import { assertGrpcError, expectGrpcError } from '../helpers/grpc-assert.js';
import { connectPeer } from '../helpers/mqtt-peer.js';
import { findMosquitto, startMosquitto, type MosquittoProcess } from '../helpers/mosquitto-process.js';
import { MOSQUITTO_NOT_INSTALLED, requirePeer } from '../helpers/require-peer.js';
import { connectState } from '../helpers/state-harness.js';

/** Mosquitto's dynamic security plugin, where the distribution puts it. */
function findDynsecPlugin(): string | undefined {
  const dirs = ['/usr/lib', '/usr/local/lib', '/usr/lib64'];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const sub of ['', ...readdirSync(dir).filter((d) => d.endsWith('-linux-gnu'))]) {
      const candidate = join(dir, sub, 'mosquitto_dynamic_security.so');
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** A folder mosquitto can read after dropping root (it runs as "mosquitto"/"nobody"). */
async function readableDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mqtt5-acl-'));
  await chmod(dir, 0o755);
  return dir;
}

async function writeReadable(path: string, content: string): Promise<void> {
  await writeFile(path, content);
  await chmod(path, 0o644);
}

describe('MQTT 5 reason codes → gRPC status', () => {
  it('the documented mapping, for PUBACK and SUBACK, with the reason code in the message', () => {
    const publish: Array<[number, string, string]> = [
      [0x87, 'PERMISSION_DENIED', 'ERR_PUBLISH_DENIED'],
      [0x97, 'RESOURCE_EXHAUSTED', 'ERR_PUBLISH_QUOTA_EXCEEDED'],
      [0x90, 'INVALID_ARGUMENT', 'ERR_PUBLISH_TOPIC_INVALID'],
      [0x95, 'INVALID_ARGUMENT', 'ERR_PUBLISH_TOO_LARGE'],
      [0x99, 'INVALID_ARGUMENT', 'ERR_PUBLISH_PAYLOAD_INVALID'],
      [0x91, 'UNAVAILABLE', 'ERR_PUBLISH_BUSY'],
      [0x80, 'INTERNAL', 'ERR_PUBLISH_REJECTED'],
      [0x83, 'INTERNAL', 'ERR_PUBLISH_REJECTED'],
    ];
    for (const [rc, status, code] of publish) {
      const err = brokerRefusal('publish', rc, 'to "t"', 'the broker says why');
      assert.deepEqual([err.status, err.code], [status, code], `PUBACK 0x${rc.toString(16)}`);
      assert.match(err.message, new RegExp(`0x${rc.toString(16).toUpperCase()}.*the broker says why`));
    }
    const subscribe: Array<[number, string, string]> = [
      [0x87, 'PERMISSION_DENIED', 'ERR_SUBSCRIBE_DENIED'],
      [0x97, 'RESOURCE_EXHAUSTED', 'ERR_SUBSCRIBE_QUOTA_EXCEEDED'],
      [0x8f, 'INVALID_ARGUMENT', 'ERR_SUBSCRIBE_TOPIC_INVALID'],
      [0x91, 'UNAVAILABLE', 'ERR_SUBSCRIBE_BUSY'],
      [0x80, 'INTERNAL', 'ERR_SUBSCRIBE_REJECTED'],
      [0x9e, 'INTERNAL', 'ERR_SUBSCRIBE_REJECTED'],
    ];
    for (const [rc, status, code] of subscribe) {
      const err = brokerRefusal('subscribe', rc, 'to "t"');
      assert.deepEqual([err.status, err.code], [status, code], `SUBACK 0x${rc.toString(16)}`);
    }
  });
});

describe('PUBACK 0x87 (private Mosquitto with an acl_file)', () => {
  before(() => requirePeer(findMosquitto() ? false : MOSQUITTO_NOT_INSTALLED));
  let dir: string;
  let mosquitto: MosquittoProcess;
  let fx: Fixture;
  let url: string;
  before(async () => {
    dir = await readableDir();
    // Lines before any `user` apply to anonymous clients.
    await writeReadable(join(dir, 'acl'), 'topic readwrite allowed/#\n');
    mosquitto = await startMosquitto({ extraConfig: [`acl_file ${join(dir, 'acl')}`] });
    url = `tcp://127.0.0.1:${mosquitto.port}`;
    fx = await startFixture({ broker: 'bundled' }); // the component server; instances point at the private broker
  });
  after(async () => {
    await fx?.close();
    await mosquitto?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const initOn = async (properties: Record<string, string>): Promise<PubSubConnection> => {
    const conn = fx.connect();
    await conn.init({ url, consumerID: randomId('acl'), publishTimeout: '5s', ...properties });
    return conn;
  };

  it('v5: a publish to a denied topic fails with PERMISSION_DENIED naming 0x87; the link stays up and allowed publishes go through', async () => {
    const conn = await initOn({ protocolVersion: '5' });
    const peer = await connectPeer(url, { protocolVersion: 5 });
    try {
      const seen = await peer.subscribe('allowed/#', 1);
      const started = Date.now();
      await expectGrpcError(conn.publish('denied/orders', 'x'), 'PERMISSION_DENIED', ['0x87', 'not authorized', 'denied/orders'], 'publish to a denied topic');
      assert.ok(Date.now() - started < 2_000, 'answered by the PUBACK, not by publishTimeout');
      await expectGrpcError(conn.publish('denied/orders', 'x', { qos: '2' }), 'PERMISSION_DENIED', ['0x87'], 'QoS 2 publish (PUBREC 0x87)');
      await conn.ping();
      await conn.publish('allowed/orders', 'ok');
      await seen.waitFor(1);
    } finally {
      await peer.close();
    }
  });

  it('v4 (for contrast): MQTT 3.1.1 has no negative PUBACK, so Mosquitto acknowledges the denied publish and drops it', async () => {
    const conn = await initOn({});
    await conn.publish('denied/orders', 'x');
  });
});

const dynsec = findDynsecPlugin();

describe('SUBACK 0x87 (private Mosquitto with the dynamic security plugin)', () => {
  before(() =>
    requirePeer(!findMosquitto() ? MOSQUITTO_NOT_INSTALLED : dynsec ? false : 'mosquitto_dynamic_security.so (the mosquitto dynamic security plugin) is not found: apt-get install mosquitto (scripts/test-prereqs.sh does it)'),
  );
  let dir: string;
  let mosquitto: MosquittoProcess;
  let fx: Fixture;
  let url: string;
  before(async () => {
    dir = await readableDir();
    const deny = (topic: string) => ({ acltype: 'subscribePattern', topic, priority: 0, allow: false });
    await writeReadable(
      join(dir, 'dynsec.json'),
      JSON.stringify({
        defaultACLAccess: { publishClientSend: true, publishClientReceive: true, subscribe: true, unsubscribe: true },
        clients: [],
        groups: [{ groupname: 'anonymous', roles: [{ rolename: 'limited' }] }],
        roles: [{ rolename: 'limited', acls: [deny('denied/#'), deny('$share/+/denied/#'), deny('$dapr-state/#')] }],
        anonymousGroup: 'anonymous',
      }),
    );
    mosquitto = await startMosquitto({ extraConfig: [`plugin ${dynsec}`, `plugin_opt_config_file ${join(dir, 'dynsec.json')}`] });
    url = `tcp://127.0.0.1:${mosquitto.port}`;
    fx = await startFixture({ broker: 'bundled' });
  });
  after(async () => {
    await fx?.close();
    await mosquitto?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const initOn = async (properties: Record<string, string>): Promise<PubSubConnection> => {
    const conn = fx.connect();
    await conn.init({ url, consumerID: randomId('dynsec'), ...properties });
    return conn;
  };

  it('v5: a denied subscription ends its PullMessages stream with PERMISSION_DENIED naming 0x87; other streams go on', async () => {
    const conn = await initOn({ protocolVersion: '5' });
    const good = conn.subscribe('allowed/orders', {}, () => undefined);
    await good.ready();
    for (const sharing of ['true', 'false']) {
      const other = sharing === 'true' ? conn : await initOn({ protocolVersion: '5', sharedSubscriptions: 'false' });
      const denied = other.subscribe('denied/orders', {}, () => undefined);
      const err = await denied.waitForServerEnd();
      assertGrpcError(err, 'PERMISSION_DENIED', ['0x87', 'denied/orders'], `stream end (sharedSubscriptions ${sharing})`);
    }
    await conn.publish('allowed/orders', 'still flowing');
    await good.waitForAcked(1);
    assert.equal(good.serverEnd, undefined);
    await good.close();
  });

  it('v4: the same refusal (SUBACK 0x80, no reason in MQTT 3.1.1) ends the stream with INTERNAL naming 0x80', async () => {
    const conn = await initOn({ sharedSubscriptions: 'false' });
    const denied = conn.subscribe('denied/orders', {}, () => undefined);
    const err = await denied.waitForServerEnd();
    assertGrpcError(err, 'INTERNAL', ['0x80'], 'stream end');
  });

  it('v5 state store: a refused reply-topic subscription fails Init with PERMISSION_DENIED naming 0x87', async () => {
    const store = connectState(fx.socketPath, randomId('store'));
    try {
      await expectGrpcError(store.init({ url, protocolVersion: '5' }), 'PERMISSION_DENIED', ['0x87', 'reply'], 'state Init');
    } finally {
      store.close();
    }
  });
});
