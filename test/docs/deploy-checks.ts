/**
 * Shared by the static deployment tests (docker-compose, Kubernetes, dapr run, examples): no
 * Docker engine, cluster or Dapr CLI on our machines, so the files are checked against the code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_SOCKET_NAME, parseEnv } from '../../src/config/env.js';
import { ENV_VARIABLES } from '../../src/config/env-variables.js';
import { PUBSUB_FIELDS, STATE_FIELDS } from '../../src/config/metadata-fields.js';
import * as names from '../../examples/shared/orders.js';

/** The package root, from test/docs (tsx) or dist/test/docs (compiled). */
export const root = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);
export const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** Every YAML document of a file, parsed; a syntax error fails the test that reads it. */
export function readYamlDocs(path: string): unknown[] {
  return parseAllDocuments(read(path)).map((doc) => {
    assert.deepEqual(doc.errors.map((e) => e.message), [], `${path}: YAML errors`);
    return doc.toJS() as unknown;
  });
}
export function readYaml<T>(path: string): T {
  const docs = readYamlDocs(path);
  assert.equal(docs.length, 1, `${path}: one YAML document`);
  return docs[0] as T;
}

/** The names the example apps use (examples/shared/orders.ts). */
export const APP = names;
export const APP_IDS = [names.PUBLISHER_APP_ID, names.SUBSCRIBER_APP_ID] as const;
/** Image repositories (tag aside) of the component and of the example apps. */
export const COMPONENT_IMAGE = 'dapr-mqtt-pluggable';
export const EXAMPLES_IMAGE = 'dapr-mqtt-pluggable-examples';
export const imageRepo = (image: string | undefined): string => (image ?? '').replace(/:[^:/]+$/, '');

// --- Environment variables --------------------------------------------------------------------

/**
 * True when main.ts reads the variable: it is declared in src/config/env-variables.ts, the only
 * way the program reads its environment (test/config/env-variables.test.ts checks that no
 * declaration is dead and nothing is read by hand). A misspelt name is not declared.
 */
export function isReadByMain(name: string): boolean {
  return Object.hasOwn(ENV_VARIABLES, name);
}

/** Kubernetes `env` lists and compose `environment` maps alike, as a name → value record. */
export function envRecord(env: unknown): Record<string, string> {
  if (env === undefined || env === null) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((e: { name: string; value?: unknown }) => [e.name, e.value === undefined ? '' : String(e.value)]),
    );
  }
  return Object.fromEntries(Object.entries(env as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

export function assertEnvReadByMain(env: Record<string, string>, where: string): void {
  for (const name of Object.keys(env)) assert.ok(isReadByMain(name), `${where}: main.ts does not read ${name}`);
  // And the values are ones it accepts.
  assert.doesNotThrow(() => parseEnv(env), `${where}: parseEnv accepts the values`);
}

// --- Dapr Components ---------------------------------------------------------------------------

export interface ComponentDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { type: string; version: string; metadata?: Array<{ name: string; value?: unknown; secretKeyRef?: unknown }> };
  scopes?: string[];
}

/** Fields a Component of this type may set: the component's table (plus what daprd reads itself). */
export function allowedFields(type: string): Set<string> {
  if (type === `pubsub.${DEFAULT_SOCKET_NAME}`) return new Set(PUBSUB_FIELDS.map((f) => f.name));
  if (type === `state.${DEFAULT_SOCKET_NAME}`) return new Set([...STATE_FIELDS.map((f) => f.name), 'actorStateStore']);
  assert.fail(`unexpected Component type ${type}`);
}

/** The Component's `url` metadata value (plain value, not a secret reference). */
export function urlOf(doc: ComponentDoc): URL {
  const value = doc.spec.metadata?.find((m) => m.name === 'url')?.value;
  assert.equal(typeof value, 'string', `${doc.metadata.name}: url is a plain value`);
  return new URL(value as string);
}

/**
 * A Component served by this project: the right type for its name, only declared fields, and
 * scopes naming only known apps and at least the apps that use it.
 */
export function checkComponent(doc: ComponentDoc, where: string, socketName: string): void {
  assert.equal(doc.apiVersion, 'dapr.io/v1alpha1', `${where}: apiVersion`);
  assert.equal(doc.kind, 'Component', `${where}: kind`);
  assert.equal(doc.spec.version, 'v1', `${where}: version`);
  const expected: Record<string, string> = { [APP.PUBSUB_NAME]: `pubsub.${socketName}`, [APP.STATE_STORE_NAME]: `state.${socketName}` };
  assert.ok(doc.metadata.name in expected, `${where}: Component name ${doc.metadata.name} is one the apps use (${Object.keys(expected).join(', ')})`);
  assert.equal(doc.spec.type, expected[doc.metadata.name], `${where}: type of ${doc.metadata.name}`);
  const allowed = allowedFields(doc.spec.type);
  for (const m of doc.spec.metadata ?? []) assert.ok(allowed.has(m.name), `${where}: ${m.name} is not a field of ${doc.spec.type}`);
  if (doc.scopes !== undefined) {
    for (const s of doc.scopes) assert.ok((APP_IDS as readonly string[]).includes(s), `${where}: scope ${s} is an app id`);
    const users = doc.metadata.name === APP.PUBSUB_NAME ? APP_IDS : [APP.SUBSCRIBER_APP_ID];
    for (const u of users) assert.ok(doc.scopes.includes(u), `${where}: ${u} uses ${doc.metadata.name}, so it is in scopes`);
  }
}

/** `--name=value` or `--name value` in an argument list. */
export function flag(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    if (a === `--${name}`) return args[i + 1];
  }
  return undefined;
}
