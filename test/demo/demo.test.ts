/**
 * `npm run demo` as a user runs it (the built script, in a child process): exits 0, says that
 * each step succeeded, and leaves nothing behind (component process, socket folder).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

/** dist/test/demo/ → dist/src/demo/run-demo.js */
const DEMO_JS = fileURLToPath(new URL('../../src/demo/run-demo.js', import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('npm run demo: every step succeeds, in order, and it cleans up', async () => {
  assert.ok(existsSync(DEMO_JS), `${DEMO_JS} not found: build first`);
  const child = spawn(process.execPath, [DEMO_JS], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, 60_000);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  const output = `${stdout}\n--- stderr ---\n${stderr}`;
  assert.deepEqual(exit, { code: 0, signal: null }, output);
  assert.doesNotMatch(stdout, /FAILED:/, output);

  // Each step, in the order daprd would do them.
  const expected: RegExp[] = [
    /1\. start +component \+ bundled MQTT broker running in one process \(pid (\d+)\)/,
    /discover +reflection \(grpc\.reflection\.v1alpha, as daprd\).*\n.*daprd would register pubsub\.mqtt-pluggable and state\.mqtt-pluggable/,
    /init +pubsub Init \(x-component-instance: demo-pubsub.*→ OK/,
    /features +pubsub Features → BULK_PUBSUB/,
    /subscribe +PullMessages stream open on "demo\/orders"; live at the broker/,
    /publish +Publish \{"orderId":1\}.* → OK .*the broker acknowledged it/,
    /receive +message id \d+ on "demo\/orders": \{"orderId":1\}.*\n.*acked: the app handled it/,
    /publish +Publish \{"orderId":2\}.* → OK/,
    /nack +message id \d+: \{"orderId":2\}\n.*nacked: the app failed/,
    /redeliver +redelivered after nack: \{"orderId":2\} again on the same stream.*dup=true\)\n.*acked: handled this time/,
    /init +state Init \(x-component-instance: demo-state\) → OK.*Features → ETAG, TRANSACTIONAL, TTL, QUERY_API/,
    /set +Set "order-1" = \{"status":"new"\} \(no etag\) → OK/,
    /get +Get "order-1" → \{"status":"new"\}, etag "(\d+)"/,
    /set +Set "order-1" = \{"status":"paid"\} with etag "\d+" → OK: the etag matched/,
    /stale +Set "order-1" with the stale etag "\d+" → etag mismatch → FAILED_PRECONDITION\n.*field "etag".*409 Conflict.*the value is still \{"status":"paid"\}/,
    /metrics +http:\/\/127\.0\.0\.1:\d+\/readyz → 200.*\n.*nacked 1, redelivered 1, in flight 0/,
    /stop +SIGTERM → the component drained and exited 0; socket file removed \((\S+)\)/,
    /Done: every step succeeded\./,
  ];
  let from = 0;
  for (const re of expected) {
    const m = re.exec(stdout.slice(from));
    assert.ok(m, `expected ${re} after offset ${from} in:\n${stdout}`);
    from += m.index + m[0].length;
  }
  assert.equal((stdout.match(/^ ?\d+\. /gm) ?? []).length, 17, 'seventeen numbered steps');

  // Nothing left behind: the component process and the temp socket folder are gone.
  const pid = Number(/running in one process \(pid (\d+)\)/.exec(stdout)?.[1]);
  assert.ok(pid > 0);
  assert.equal(isAlive(pid), false, `component pid ${pid} still running`);
  const socketFolder = /socket file removed \((\S+)\)/.exec(stdout)?.[1] ?? '';
  assert.notEqual(socketFolder, '');
  assert.equal(existsSync(socketFolder), false, `${socketFolder} still exists`);
});
