import { createStateEngine, type StateEngine, type StateEngineSettings } from './create-state-engine.js';
import { openStateStore } from './open-state-store.js';

export type { HandledRequest, StateEngine } from './create-state-engine.js';

export interface StateEngineOptions extends StateEngineSettings {
  /** The LevelDB folder (created if missing); one engine at a time may hold it. */
  dataDir: string;
}

/** Opens the state service's LevelDB in `options.dataDir` and starts the engine over it. */
export async function openStateEngine(options: StateEngineOptions): Promise<StateEngine> {
  const store = await openStateStore(options.dataDir);
  try {
    return await createStateEngine(store, options);
  } catch (err) {
    await store.close();
    throw err;
  }
}
