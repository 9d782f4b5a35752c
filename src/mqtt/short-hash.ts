import { createHash } from 'node:crypto';

/** 10 hex digits of SHA-256: tells client ids apart without exposing what they are made of. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
