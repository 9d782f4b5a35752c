/**
 * aedes-persistence-level ships no types. Its package main wraps this class in a callback
 * layer for Aedes 0.x; Aedes 1.x calls the async methods directly, so we use the class itself.
 */
declare module 'aedes-persistence-level/asyncPersistence.js' {
  export default class AsyncLevelPersistence {
    /** `db` is an abstract-level database (classic-level), opened and closed by the caller. */
    constructor(db: object);
    setup(broker: object): Promise<void>;
    /** Closes the database it was given. */
    destroy(): Promise<void>;
    /** Stored subscriptions (QoS > 0) and the clients holding them: the persistent sessions. */
    countOffline(): Promise<{ subsCount: number; clientsCount: number }>;
  }
}
