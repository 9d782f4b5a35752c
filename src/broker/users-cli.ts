/**
 * The users file tools, run through main.ts:
 *   node dist/src/main.js hash-password                        password on stdin → scrypt hash on stdout
 *   node dist/src/main.js add-user <name> [--publish <pattern>]... [--subscribe <pattern>]... [--file <path>]
 *     password on stdin; adds the user to the users file (MQTT_BROKER_USERS_FILE unless --file),
 *     or sets a new password (and, when given, new patterns) for an existing one.
 * A password is never taken from the command line (it would show in `ps` and shell history),
 * never echoed, never written anywhere but as its hash.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { isComponentError } from '../errors/component-error.js';
import { hashPassword } from './password-hash.js';
import { checkAclPattern } from './topic-acl.js';
import { readUsersFileEntries, type UsersFileEntry } from './users-file.js';

export interface CliIo {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** A CONNECT must fit in 64 KiB before login; a longer password could never be used. */
const MAX_PASSWORD_BYTES = 16 * 1024;

class UsageError extends Error {}

/** Reads a line from a terminal without echoing it. */
function readHidden(io: CliIo, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    io.stderr.write(prompt);
    const stdin = io.stdin;
    stdin.setRawMode?.(true);
    stdin.resume();
    let value = '';
    const finish = (err?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The first line of stdin (a pipe or file), without its line ending. */
async function readFirstLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const end = text.search(/\r?\n/);
    if (end >= 0) return text.slice(0, end);
    if (text.length > MAX_PASSWORD_BYTES * 2) break;
  }
  return text;
}

async function readPassword(io: CliIo): Promise<string> {
  let password: string;
  if (io.stdin.isTTY) {
    password = await readHidden(io, 'Password: ');
    const again = await readHidden(io, 'Repeat password: ');
    if (again !== password) throw new UsageError('the two passwords differ');
  } else {
    password = await readFirstLine(io.stdin);
  }
  if (password === '') throw new UsageError('empty password: give it on stdin (for example: printf %s "$PASSWORD" | ...)');
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw new UsageError(`password longer than ${MAX_PASSWORD_BYTES} bytes`);
  return password;
}

interface AddUserArgs {
  username: string;
  file: string;
  publish: string[] | undefined;
  subscribe: string[] | undefined;
}

function parseAddUserArgs(args: readonly string[], defaultFile: string | undefined): AddUserArgs {
  let username: string | undefined;
  let file = defaultFile;
  let publish: string[] | undefined;
  let subscribe: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--file') file = value();
    else if (arg === '--publish') (publish ??= []).push(value());
    else if (arg === '--subscribe') (subscribe ??= []).push(value());
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg.split('=')[0]} (the password is read from stdin, never from the command line)`);
    else if (username === undefined) username = arg;
    else throw new UsageError('one user name only (the password is read from stdin, never from the command line)');
  }
  if (username === undefined || username === '') throw new UsageError('add-user needs a user name');
  if (file === undefined) throw new UsageError('no users file: set MQTT_BROKER_USERS_FILE or pass --file <path>');
  for (const pattern of [...(publish ?? []), ...(subscribe ?? [])]) {
    const problem = checkAclPattern(pattern);
    if (problem !== undefined) throw new UsageError(`topic pattern "${pattern}" ${problem}`);
  }
  return { username, file, publish, subscribe };
}

async function readEntries(file: string): Promise<UsersFileEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return readUsersFileEntries(text, file);
}

/** Writes next to the file and renames over it, so the broker never reads half a file; mode 0600. */
async function writeEntries(file: string, entries: UsersFileEntry[]): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ users: entries }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

/** Runs `hash-password` or `add-user`; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runUsersCli(command: 'hash-password' | 'add-user', args: readonly string[], usersFile: string | undefined, io: CliIo): Promise<number> {
  try {
    if (command === 'hash-password') {
      if (args.length > 0) throw new UsageError('hash-password takes no arguments: the password is read from stdin, never from the command line');
      io.stdout.write(`${await hashPassword(await readPassword(io))}\n`);
      return 0;
    }
    const parsed = parseAddUserArgs(args, usersFile);
    const entries = await readEntries(parsed.file);
    const password = await hashPassword(await readPassword(io));
    const existing = entries.find((e) => e.username === parsed.username);
    const entry: UsersFileEntry = existing ?? { username: parsed.username, password, publish: ['#'], subscribe: ['#'] };
    entry.password = password;
    if (parsed.publish) entry.publish = parsed.publish;
    if (parsed.subscribe) entry.subscribe = parsed.subscribe;
    if (!existing) entries.push(entry);
    await writeEntries(parsed.file, entries);
    io.stderr.write(
      `${existing ? 'updated' : 'added'} user "${parsed.username}" in ${parsed.file}: publish ${JSON.stringify(entry.publish ?? [])}, subscribe ${JSON.stringify(entry.subscribe ?? [])}\n`,
    );
    return 0;
  } catch (err) {
    io.stderr.write(`${command}: ${err instanceof UsageError || isComponentError(err) ? err.message : (err as Error).message}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
