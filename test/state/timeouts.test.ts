// When the state service cannot answer, operations fail within requestTimeout with the code
// that tells the app whether retrying is safe, and work again once it is back, data intact.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isReachable, MOSQUITTO_URL, randomId } from '../helpers/component-fixture.js';
import { mosquittoUnreachable, requirePeer } from '../helpers/require-peer.js';
import { expectGrpcError, pingOk } from '../helpers/grpc-assert.js';
import { startStateFixture, type StateBackend, type StateFixture } from '../helpers/state-fixture.js';
import { waitUntil } from '../helpers/wait.js';

const mosquittoUp = await isReachable(MOSQUITTO_URL);

/** bundled: the broker itself is gone (UNAVAILABLE: never sent); mosquitto: only the service is (DEADLINE_EXCEEDED: sent, no reply). */
const expectedWhileDown: Record<StateBackend, 'UNAVAILABLE' | 'DEADLINE_EXCEEDED'> = { bundled: 'UNAVAILABLE', mosquitto: 'DEADLINE_EXCEEDED', external: 'DEADLINE_EXCEEDED' };

for (const backend of ['bundled', 'mosquitto'] as StateBackend[]) {
  describe(`state operations while the state service is down (${backend})`, () => {
    before(() => requirePeer(backend === 'mosquitto' && !mosquittoUp ? mosquittoUnreachable(MOSQUITTO_URL) : false));
    let fx: StateFixture;
    before(async () => {
      fx = await startStateFixture(backend);
    });
    after(async () => {
      await fx?.close();
    });

    it(`fail with ${expectedWhileDown[backend]} within requestTimeout, naming it; a late write is not applied; all works again after a restart`, async () => {
      const store = await fx.initInstance({ requestTimeout: '1s' });
      const k = `app||${randomId('kept')}`;
      await store.set(k, '"before"');
      await fx.stopBackend();

      const started = Date.now();
      await expectGrpcError(store.get(k), expectedWhileDown[backend], ['requestTimeout'], 'Get while down');
      const took = Date.now() - started;
      assert.ok(took >= 900 && took < 4_000, `failed after about requestTimeout (1 s), took ${took} ms`);
      const late = `app||${randomId('late')}`;
      await expectGrpcError(store.set(late, '"late"'), expectedWhileDown[backend], [], 'Set while down');

      await fx.restartBackend();
      await waitUntil(() => pingOk(store), () => 'Ping to answer after the restart', { timeoutMs: 15_000, intervalMs: 100 });
      assert.equal((await store.get(k)).data?.toString(), '"before"', 'data written before the outage is intact');
      // On Mosquitto the timed-out Set waited in the service's session: it arrives after its deadline and is refused.
      assert.equal((await store.get(late)).data?.length ?? 0, 0, 'the write that timed out was not applied later');
      await store.set(k, '"after"');
      assert.equal((await store.get(k)).data?.toString(), '"after"');
    });
  });
}
