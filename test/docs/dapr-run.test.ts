import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP, APP_IDS, checkComponent, flag, isReadByMain, read, readYaml, root, type ComponentDoc } from './deploy-checks.js';
import { DEFAULT_SOCKET_NAME } from '../../src/config/env.js';
import { requirePeer } from '../helpers/require-peer.js';

// scripts/dapr-run.sh cannot run here (no Dapr CLI): check it statically, and that it stops at
// once, clearly, without the CLI.
const SCRIPT = 'scripts/dapr-run.sh';
const script = read(SCRIPT);
/** The script without its comment lines (the header mentions commands too). */
const code = script.replace(/^\s*#.*$/gm, '');
const scriptPath = fileURLToPath(new URL(SCRIPT, root));

/** An executable on PATH (the test's own), or undefined. */
function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    if (dir !== '' && existsSync(p)) return p;
  }
  return undefined;
}
const bash = which('bash');

test('dapr-run.sh is valid bash with strict mode', () => {
  assert.ok(bash, 'bash on PATH');
  const r = spawnSync(bash, ['-n', scriptPath], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(script, /^#!\/usr\/bin\/env bash$/m);
  assert.match(script, /^set -euo pipefail$/m);
});

test('dapr-run.sh is shellcheck-clean', () => {
  const shellcheck = which('shellcheck');
  requirePeer(shellcheck === undefined && 'shellcheck is not installed: apt-get install shellcheck');
  const r = spawnSync(shellcheck!, ['-x', scriptPath], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('dapr-run.sh without the Dapr CLI: exits 1 at once, naming it, having started nothing', () => {
  // A PATH with bash and what the script needs before that check (not dapr, node or npm).
  const bin = mkdtempSync(join(tmpdir(), 'dapr-run-path-'));
  try {
    for (const tool of ['dirname', 'bash']) {
      const found = which(tool);
      assert.ok(found, `${tool} on PATH`);
      symlinkSync(found, join(bin, tool));
    }
    const r = spawnSync(bash!, [scriptPath], { encoding: 'utf8', env: { PATH: bin, HOME: bin }, timeout: 10_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Dapr CLI \(dapr\) is not on PATH/);
    assert.match(r.stderr, /dapr init/);
    assert.doesNotMatch(r.stderr, /building/, 'stopped before building anything');
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test('dapr-run.sh: the files, app ids, ports and env names it uses exist and agree with the code', () => {
  for (const path of ['components/pubsub.yaml', 'components/statestore.yaml', 'src/main.ts', 'examples/tsconfig.json', 'package.json']) {
    assert.ok(existsSync(new URL(path, root)), path);
  }
  assert.match(code, /--resources-path \.\/components/);
  for (const file of ['pubsub.yaml', 'statestore.yaml']) {
    checkComponent(readYaml<ComponentDoc>(`components/${file}`), `components/${file}`, DEFAULT_SOCKET_NAME);
  }
  // `npm start` = build, then node dist/src/main.js: the script runs the same after `npm run build`.
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts.start, 'node dist/src/main.js');
  assert.ok(pkg.scripts.build, 'npm run build');
  assert.match(code, /^npm run --silent build$/m);
  assert.match(code, /node dist\/src\/main\.js$/m);
  assert.ok(existsSync(new URL('node_modules/typescript/bin/tsc', root)), 'the tsc the script calls');
  // Every dapr run: a known app id, its example, and for the subscriber its port.
  const runs = [...code.matchAll(/dapr run ((?:.*\\\n)*.*)/g)].map((m) => (m[1] ?? '').replace(/\\\n/g, ' ').split(/\s+/).filter((a) => a !== ''));
  assert.deepEqual(runs.map((a) => flag(a, 'app-id')).sort(), [...APP_IDS].sort());
  for (const args of runs) {
    const appId = flag(args, 'app-id')!;
    assert.ok(args.includes(`dist/examples/${appId}/main.js`), `${appId} runs its example`);
    assert.ok(existsSync(new URL(`examples/${appId}/main.ts`, root)), `examples/${appId}/main.ts`);
    if (appId === APP.SUBSCRIBER_APP_ID) {
      assert.equal(flag(args, 'app-port'), '"${SUBSCRIBER_APP_PORT}"');
      assert.match(code, new RegExp(`^readonly SUBSCRIBER_APP_PORT=${APP.SUBSCRIBER_APP_PORT}$`, 'm'));
    }
  }
  // Environment variables it passes to the component processes are ones main.ts reads.
  const passed = [...code.matchAll(/\benv ((?:[A-Z_][A-Z0-9_]*="[^"]*"\s*(?:\\\n\s*)?)+)/g)]
    .flatMap((m) => [...(m[1] ?? '').matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map((n) => n[1] ?? ''));
  for (const name of ['DAPR_COMPONENTS_SOCKETS_FOLDER', 'MQTT_SOCKET_NAME', 'MQTT_BROKER']) {
    assert.ok(passed.includes(name), `the script sets ${name}`);
  }
  for (const name of passed.filter((n) => n !== 'APP_PORT')) assert.ok(isReadByMain(name), `main.ts reads ${name}`);
  // APP_PORT is the subscriber's (examples/order-subscriber/main.ts).
  assert.match(read('examples/order-subscriber/main.ts'), /process\.env\.APP_PORT/);
});
