import { lstat, mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ComponentError } from '../errors/component-error.js';

/** Linux sun_path holds 107 bytes plus NUL. */
const MAX_SOCKET_PATH = 107;

/** Creates the folder, removes a stale socket file, and returns the path to bind. */
export async function prepareSocket(folder: string, name: string): Promise<string> {
  const path = join(folder, `${name}.sock`);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
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
  return path;
}

/** Removes the socket file if it is there. */
export async function removeSocket(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
