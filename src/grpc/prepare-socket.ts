import { chmod, lstat, mkdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ComponentError } from '../errors/component-error.js';

/** Linux sun_path holds 107 bytes plus NUL. */
const MAX_SOCKET_PATH = 107;

/** Creates the folder, removes a stale socket file, and returns the path to bind. */
export async function prepareSocket(folder: string, name: string): Promise<string> {
  const path = join(folder, `${name}.sock`);
  if (Buffer.byteLength(stagingPath(path)) > MAX_SOCKET_PATH) {
    throw new ComponentError('ERR_SOCKET_BIND', `socket path ${path} is longer than ${MAX_SOCKET_PATH} bytes: use a shorter DAPR_COMPONENTS_SOCKETS_FOLDER or MQTT_SOCKET_NAME`);
  }
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    throw new ComponentError('ERR_SOCKET_BIND', `cannot create socket folder ${folder}: ${(err as Error).message}`, { cause: err });
  }
  const existing = await lstat(path).catch(() => undefined);
  if (existing) {
    if (!existing.isSocket()) {
      throw new ComponentError('ERR_SOCKET_BIND', `${path} exists and is not a socket: remove it or change MQTT_SOCKET_NAME`);
    }
    await unlink(path);
  }
  // A staging folder left by a process that was killed while binding.
  await rm(dirname(stagingPath(path)), { recursive: true, force: true });
  return path;
}

/**
 * Where the server binds before the socket is published: a hidden folder beside it, which
 * daprd's discovery skips (it skips folders). The socket is created with the process umask; it
 * appears under its real name only once it is 0666, so a daprd running as another user never
 * finds it half-ready.
 */
export function stagingPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.bind`, basename(path));
}

/** Creates the staging folder for `path` and returns the path to bind. */
export async function prepareStaging(path: string): Promise<string> {
  const staging = stagingPath(path);
  await mkdir(dirname(staging), { mode: 0o700 });
  return staging;
}

/** Makes the bound socket connectable for every user and moves it to its real name. */
export async function publishSocket(staging: string, path: string): Promise<void> {
  // daprd often runs as another user.
  await chmod(staging, 0o666);
  await rename(staging, path);
  await rmdir(dirname(staging));
}

/** Removes the socket file if it is there. */
export async function removeSocket(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
