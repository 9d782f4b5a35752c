import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Salted scrypt password hashes in the PHC string format (as passlib writes them):
 *
 *   $scrypt$ln=15,r=8,p=1$<salt, base64 without padding>$<hash, base64 without padding>
 *
 * `ln` is log2 of scrypt's cost N. The parameters travel with each hash, so the defaults can
 * rise later without invalidating the hashes already in a users file.
 */
export interface PasswordHash {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** N = 2^15, r = 8, p = 1: 32 MiB and about 70 ms per check on one core of a 2020s x86 machine. */
export const DEFAULT_SCRYPT = Object.freeze({ ln: 15, r: 8, p: 1 });
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Bounds for hashes read from a file: enough for any sane setting, not enough to stall the broker. */
const LIMITS = { ln: [10, 20], r: [1, 32], p: [1, 16], salt: [8, 64], hash: [16, 64] } as const;

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

const toB64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');

function scryptOptions(h: { ln: number; r: number; p: number }): ScryptOptions {
  const N = 2 ** h.ln;
  // scrypt needs 128 * N * r * p bytes at most (p runs sequentially in Node, but stay generous).
  return { N, r: h.r, p: h.p, maxmem: 256 * N * h.r + 1024 * 1024 };
}

function derive(password: Buffer, h: { ln: number; r: number; p: number; salt: Buffer }, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, h.salt, length, scryptOptions(h), (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Why a hash string is not one this broker accepts (never echoes the string), or undefined when it is. */
export function checkPasswordHash(text: string): string | undefined {
  const m = PHC.exec(text);
  if (!m) return 'is not a "$scrypt$ln=<n>,r=<n>,p=<n>$<salt>$<hash>" string (make one with `hash-password`)';
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4]!, 'base64');
  const hash = Buffer.from(m[5]!, 'base64');
  const within = (v: number, [lo, hi]: readonly [number, number]): boolean => v >= lo && v <= hi;
  if (!within(ln, LIMITS.ln) || !within(r, LIMITS.r) || !within(p, LIMITS.p)) {
    return `has scrypt parameters outside ln ${LIMITS.ln.join('-')}, r ${LIMITS.r.join('-')}, p ${LIMITS.p.join('-')}`;
  }
  if (!within(salt.length, LIMITS.salt) || !within(hash.length, LIMITS.hash)) return 'has a salt or hash of an unusable length';
  return undefined;
}

/** Parses a PHC scrypt string; throws (without echoing it) when {@link checkPasswordHash} finds a problem. */
export function parsePasswordHash(text: string): PasswordHash {
  const problem = checkPasswordHash(text);
  if (problem !== undefined) throw new Error(`password hash ${problem}`);
  const m = PHC.exec(text)!;
  return Object.freeze({
    ln: Number(m[1]),
    r: Number(m[2]),
    p: Number(m[3]),
    salt: Buffer.from(m[4]!, 'base64'),
    hash: Buffer.from(m[5]!, 'base64'),
  });
}

/** A new random salt and the scrypt hash of `password`, as a PHC string. */
export async function hashPassword(password: string | Buffer, params: { ln: number; r: number; p: number } = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(Buffer.from(password), { ...params, salt }, HASH_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${toB64(salt)}$${toB64(hash)}`;
}

/** True when `password` hashes to `stored`; the comparison takes the same time wherever the bytes differ. */
export async function verifyPassword(password: Buffer, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, stored, stored.hash.length);
  return timingSafeEqual(candidate, stored.hash);
}

/** Checked against when the user name is unknown, so that answer takes as long as a wrong password. */
export const DUMMY_HASH: PasswordHash = Object.freeze({
  ...DEFAULT_SCRYPT,
  salt: randomBytes(SALT_BYTES),
  hash: randomBytes(HASH_BYTES),
});
