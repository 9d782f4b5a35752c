import { chmod, mkdir, stat } from 'node:fs/promises';

/** Owner only: the broker's and the state service's data hold every message and state value. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates `path` (and missing parents) with mode 0700, or tightens an existing `path` to 0700
 * (parents that already exist are left alone: they may be a volume the operator set up).
 * Returns a warning when an existing folder could not be tightened (not its owner); throws
 * what mkdir throws.
 */
export async function ensurePrivateDir(path: string): Promise<string | undefined> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  const mode = (await stat(path)).mode & 0o777;
  if (mode === PRIVATE_DIR_MODE) return undefined;
  try {
    await chmod(path, PRIVATE_DIR_MODE);
    return undefined;
  } catch (err) {
    return `cannot restrict ${path} to its owner (mode ${mode.toString(8)}, ${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}
