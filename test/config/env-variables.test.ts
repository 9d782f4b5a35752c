/**
 * The environment is declared once (src/config/env-variables.ts) and read only through that
 * declaration: each kind of variable accepts what its declaration says and rejects the rest with
 * an error naming the variable; no code reads a variable by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_VARIABLES, parseEnvVariable, parseEnvVariables, type EnvVariable } from '../../src/config/env-variables.js';
import { parseEnv } from '../../src/config/env.js';
import { isComponentError } from '../../src/errors/component-error.js';

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url));
const declared = Object.entries(ENV_VARIABLES) as Array<[string, EnvVariable]>;

/** A value the declaration accepts, and one it refuses (undefined: it accepts anything). */
function samples(v: EnvVariable): { good: string; bad: string | undefined } {
  switch (v.kind) {
    case 'choice':
      return { good: v.allowed[v.allowed.length - 1]!.toUpperCase(), bad: 'maybe' };
    case 'integer':
      return { good: String(v.max), bad: String(v.max + 1) };
    case 'port':
      return { good: '65535', bad: '65536' };
    case 'boolean':
      return { good: 'TRUE', bad: 'yes' };
    case 'text':
      return { good: 'abc', bad: v.pattern === undefined ? undefined : 'a/b c' };
    case 'secret':
      return { good: ' pass word ', bad: undefined };
  }
}

test('every variable: unset and blank give its default; a good value is taken; a bad one fails naming the variable', () => {
  const defaults = parseEnvVariables({}) as Record<string, unknown>;
  for (const [name, v] of declared) {
    assert.equal(typeof v.meaning === 'string' && v.meaning.length > 10, true, `${name} says what it means`);
    assert.deepEqual((parseEnvVariables({ [name]: '   ' }) as Record<string, unknown>)[name], v.kind === 'secret' ? '   ' : defaults[name], `${name}: blank`);
    const { good, bad } = samples(v);
    const value = (parseEnvVariables({ [name]: good }) as Record<string, unknown>)[name];
    assert.notEqual(value, undefined, `${name}=${good} is taken`);
    if (bad !== undefined) {
      assert.throws(
        () => parseEnvVariables({ [name]: bad }),
        (err: unknown) => isComponentError(err) && err.code === 'ERR_CONFIG_INVALID' && err.message.startsWith(`${name} `) && err.message.includes(bad),
        `${name}=${bad} is refused, naming ${name}`,
      );
    }
  }
});

test('typed values: choices lower-cased, numbers as numbers, booleans as booleans, `off` where a port allows it, secrets untouched', () => {
  const v = parseEnvVariables({
    MQTT_BROKER: 'OFF',
    LOG_LEVEL: 'Debug',
    MQTT_BROKER_PORT: '1884',
    MQTT_BROKER_ALLOW_ANONYMOUS: 'False',
    MQTT_BROKER_TLS_PORT: 'off',
    STATE_SERVICE_PASSWORD: ' s3cret ',
    METRICS_HOST: ' 0.0.0.0 ',
  });
  assert.equal(v.MQTT_BROKER, 'off');
  assert.equal(v.LOG_LEVEL, 'debug');
  assert.equal(v.MQTT_BROKER_PORT, 1884);
  assert.equal(v.MQTT_BROKER_ALLOW_ANONYMOUS, false);
  assert.equal(v.MQTT_BROKER_TLS_PORT, 'off');
  assert.equal(v.STATE_SERVICE_PASSWORD, ' s3cret ');
  assert.equal(v.METRICS_HOST, '0.0.0.0');
  assert.equal(parseEnvVariable({ MQTT_BROKER_USERS_FILE: ' /etc/users.json ' }, 'MQTT_BROKER_USERS_FILE'), '/etc/users.json');
  assert.equal(parseEnvVariable({}, 'MQTT_BROKER_USERS_FILE'), undefined);
});

test('no dead declaration: each variable, set to a value it accepts, changes the settings parseEnv returns (or is refused naming a variable it needs)', () => {
  const baseline = JSON.stringify(parseEnv({}));
  for (const [name, v] of declared) {
    // A value other than the default (a choice's last allowed value may be the default: try each).
    const candidates = v.kind === 'choice' ? v.allowed : v.kind === 'boolean' ? ['true', 'false'] : v.kind === 'integer' ? [String(v.min), String(v.max)] : [samples(v).good, '/x'];
    const effect = candidates.some((value) => {
      try {
        return JSON.stringify(parseEnv({ [name]: value })) !== baseline;
      } catch (err) {
        return isComponentError(err) && err.message.includes(name);
      }
    });
    assert.ok(effect, `${name} is declared but parseEnv ignores it`);
  }
});

test('a fallback variable is read only when the main one is unset', () => {
  assert.equal(parseEnvVariables({ DAPR_COMPONENT_SOCKETS_FOLDER: '/b' }).DAPR_COMPONENTS_SOCKETS_FOLDER, '/b');
  assert.equal(parseEnvVariables({ DAPR_COMPONENTS_SOCKETS_FOLDER: '/a', DAPR_COMPONENT_SOCKETS_FOLDER: '/b' }).DAPR_COMPONENTS_SOCKETS_FOLDER, '/a');
});

test('parseEnv keeps the rules between variables: TLS files in pairs, TLS listeners need them', () => {
  assert.throws(() => parseEnv({ MQTT_BROKER_TLS_CERT: '/c.pem' }), /MQTT_BROKER_TLS_CERT is set but MQTT_BROKER_TLS_KEY is not/);
  assert.throws(() => parseEnv({ MQTT_BROKER_WSS_PORT: '8884' }), /MQTT_BROKER_WSS_PORT needs MQTT_BROKER_TLS_CERT/);
  const tls = parseEnv({ MQTT_BROKER_TLS_CERT: '/c.pem', MQTT_BROKER_TLS_KEY: '/k.pem' });
  assert.equal(tls.brokerTlsPort, 8883);
  assert.equal(parseEnv({ MQTT_BROKER_TLS_CERT: '/c.pem', MQTT_BROKER_TLS_KEY: '/k.pem', MQTT_BROKER_TLS_PORT: 'off' }).brokerTlsPort, undefined);
  assert.equal(parseEnv({ STATE_SERVICE_PROTOCOL_VERSION: '5' }).stateServiceProtocolVersion, 5);
});

test('no code reads an environment variable by hand: src/ reads them only through the declaration', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'generated') walk(p);
      else if (e.name.endsWith('.ts')) files.push(p);
    }
  };
  walk(join(root, 'src'));
  const byHand: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // process.env.X, process.env['X'], env.X / env['X'] on an environment object.
    for (const m of text.matchAll(/\b(?:process\.)?env(?:\.([A-Z][A-Z0-9_]+)|\[\s*['"`]([A-Z][A-Z0-9_]+)['"`]\s*\])/g)) {
      byHand.push(`${relative(root, file)}: ${m[1] ?? m[2]}`);
    }
  }
  assert.deepEqual(byHand, []);
  // And process.env itself is handed over only by main.ts.
  const users = files.filter((f) => /\bprocess\.env\b/.test(readFileSync(f, 'utf8').replace(/^\s*(\*|\/\/).*$/gm, ''))).map((f) => relative(root, f));
  assert.deepEqual(users, ['src/main.ts']);
});
