import { readFile, stat } from 'node:fs/promises';
import { ComponentError } from '../errors/component-error.js';
import { checkPasswordHash, parsePasswordHash, type PasswordHash } from './password-hash.js';
import { checkAclPattern } from './topic-acl.js';

/**
 * The bundled broker's users file (`MQTT_BROKER_USERS_FILE`), JSON:
 *
 *   {
 *     "users": [
 *       {
 *         "username": "orders",
 *         "password": "$scrypt$ln=15,r=8,p=1$<salt>$<hash>",
 *         "publish": ["orders/#", "devices/%c/#"],
 *         "subscribe": ["orders/#"]
 *       }
 *     ]
 *   }
 *
 * `password` is a salted scrypt hash (`node dist/src/main.js hash-password`), never a password.
 * `publish` and `subscribe` are MQTT topic patterns (`+`, `#`; `%u` = user name, `%c` = client
 * id); a list left out allows nothing. The state service's `$dapr-state/...` topics are not
 * governed by these lists while the state service is attached (see protect-state-topics.ts).
 */
export interface BrokerUser {
  readonly username: string;
  readonly password: PasswordHash;
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
}

export interface UsersFileEntry {
  username: string;
  password: string;
  publish?: string[];
  subscribe?: string[];
}

export type UsersTable = ReadonlyMap<string, BrokerUser>;

const KEYS = new Set(['username', 'password', 'publish', 'subscribe']);

function invalid(path: string, what: string): ComponentError {
  return new ComponentError('ERR_CONFIG_INVALID', `MQTT_BROKER_USERS_FILE ${path}: ${what}`, { field: 'MQTT_BROKER_USERS_FILE' });
}

function patterns(path: string, where: string, value: unknown, key: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(path, `${where}: "${key}" must be a list of topic patterns`);
  for (const pattern of value as string[]) {
    const problem = checkAclPattern(pattern);
    if (problem !== undefined) throw invalid(path, `${where}: ${key} pattern "${pattern}" ${problem}`);
  }
  return [...(value as string[])];
}

/** The entries of a users file as written (for the CLI that edits it); throws naming the problem. */
export function readUsersFileEntries(text: string, path: string): UsersFileEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // Never JSON.parse's message: V8 quotes the text around the error, which may be a secret.
    const position = /at position (\d+)/.exec((err as Error).message)?.[1];
    const before = position === undefined ? undefined : text.slice(0, Number(position)).split('\n');
    throw invalid(path, `not valid JSON${before ? ` (line ${before.length}, column ${before.at(-1)!.length + 1})` : ''}`);
  }
  const users = (doc as { users?: unknown } | null)?.users;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Array.isArray(users)) {
    throw invalid(path, 'expected an object with a "users" list');
  }
  const seen = new Set<string>();
  return users.map((raw: unknown, i): UsersFileEntry => {
    const where = `users[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(path, `${where} must be an object`);
    const entry = raw as Record<string, unknown>;
    const unknownKey = Object.keys(entry).find((k) => !KEYS.has(k));
    if (unknownKey !== undefined) throw invalid(path, `${where}: unknown key "${unknownKey}" (expected username, password, publish, subscribe)`);
    const { username, password } = entry;
    if (typeof username !== 'string' || username === '' || /[\u0000-\u001f]/.test(username)) {
      throw invalid(path, `${where}: "username" must be a non-empty string without control characters`);
    }
    const named = `user "${username}"`;
    if (seen.has(username)) throw invalid(path, `${named} appears twice`);
    seen.add(username);
    if (typeof password !== 'string') throw invalid(path, `${named}: "password" must be a scrypt hash string`);
    const problem = checkPasswordHash(password);
    if (problem !== undefined) throw invalid(path, `${named}: "password" ${problem}`);
    const publish = patterns(path, named, entry.publish, 'publish');
    const subscribe = patterns(path, named, entry.subscribe, 'subscribe');
    return {
      username,
      password,
      ...(entry.publish !== undefined ? { publish } : {}),
      ...(entry.subscribe !== undefined ? { subscribe } : {}),
    };
  });
}

/** Parses a users file's text into the table the broker checks against. */
export function parseUsersFile(text: string, path: string): UsersTable {
  const table = new Map<string, BrokerUser>();
  for (const entry of readUsersFileEntries(text, path)) {
    table.set(
      entry.username,
      Object.freeze({
        username: entry.username,
        password: parsePasswordHash(entry.password),
        publish: Object.freeze([...(entry.publish ?? [])]),
        subscribe: Object.freeze([...(entry.subscribe ?? [])]),
      }),
    );
  }
  return table;
}

/**
 * Reads and parses the users file. A file anyone may write to is refused: whoever can edit it
 * can add themselves a user.
 */
export async function loadUsersFile(path: string): Promise<UsersTable> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw invalid(path, 'not a regular file');
    if ((info.mode & 0o002) !== 0) throw invalid(path, `writable by every user (mode ${(info.mode & 0o777).toString(8)}): chmod 600 it`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof ComponentError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ComponentError('ERR_BROKER_START', `cannot read MQTT_BROKER_USERS_FILE ${path} (${code})`, { field: 'MQTT_BROKER_USERS_FILE', cause: err });
  }
  return parseUsersFile(text, path);
}
