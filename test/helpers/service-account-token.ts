import { randomBytes } from 'node:crypto';

/** Something shaped like a Kubernetes service-account token (a JWT, about 1 KB), random each time. */
export function fakeServiceAccountToken(): string {
  const part = (n: number): string => randomBytes(n).toString('base64url');
  return `${part(27)}.${part(520)}.${part(256)}`;
}
