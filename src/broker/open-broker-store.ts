import { join, resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';
import AsyncLevelPersistence from 'aedes-persistence-level/asyncPersistence.js';
import { ComponentError } from '../errors/component-error.js';
import { ensurePrivateDir } from './ensure-private-dir.js';
import { createSharedSubscriptionStore, type SharedSubscriptionStore } from './shared-subscription-store.js';

/** The LevelDB behind the broker's retained messages, sessions, offline queues and share groups. */
export interface BrokerStore {
  /** The LevelDB folder, `<dataDir>/broker` (mode 0700). */
  readonly location: string;
  /** Set when an existing folder could not be restricted to its owner. */
  readonly permissionWarning: string | undefined;
  /** The Aedes 1.x (async) persistence over the database. */
  readonly persistence: AsyncLevelPersistence;
  /** The shared subscriptions' members and queues, in the same database. */
  readonly shared: SharedSubscriptionStore;
  /** Closes the database; idempotent. */
  close(): Promise<void>;
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

function startError(message: string, cause: unknown): ComponentError {
  return new ComponentError('ERR_BROKER_START', message, { field: 'MQTT_BROKER_DATA', cause });
}

/** Creates `<dataDir>/broker` if missing (mode 0700, or tightened to it) and opens the LevelDB there (exclusively). */
export async function openBrokerStore(dataDir: string): Promise<BrokerStore> {
  const location = join(resolve(dataDir), 'broker');
  let permissionWarning: string | undefined;
  try {
    permissionWarning = await ensurePrivateDir(location);
  } catch (err) {
    throw startError(
      `cannot create the broker data directory ${location} (${errorCode(err)}): set MQTT_BROKER_DATA to a writable directory`,
      err,
    );
  }

  const db = new ClassicLevel(location, { createIfMissing: true });
  try {
    await db.open();
  } catch (err) {
    // classic-level reports the reason (LEVEL_LOCKED, EACCES, LEVEL_CORRUPTION, ...) as the cause.
    const reason = errorCode((err as { cause?: unknown }).cause);
    throw startError(
      reason === 'LEVEL_LOCKED'
        ? `the broker data in ${location} is in use by another process (LevelDB lock): stop that broker or set MQTT_BROKER_DATA to another directory`
        : `cannot open the broker data in ${location} (${reason}): check that MQTT_BROKER_DATA is a writable directory`,
      err,
    );
  }

  let closing: Promise<void> | undefined;
  return {
    location,
    permissionWarning,
    persistence: new AsyncLevelPersistence(db),
    shared: createSharedSubscriptionStore(db),
    close: () => (closing ??= db.close()),
  };
}
