import type { Aedes, AuthenticateError, Client } from 'aedes';
import type { Logger } from '../logging/logger.js';
import { isStateTopic } from '../mqtt/state-topics.js';
import { DUMMY_HASH, verifyPassword } from './password-hash.js';
import { parseShareTopic } from './share-topic.js';
import { mayPublish, mayReceive, maySubscribe } from './topic-acl.js';
import type { BrokerUser, UsersTable } from './users-file.js';
import { remoteAddressOf } from './limit-connections.js';

export interface ClientAccessOptions {
  /** Who may log in, and their topics. Undefined: anonymous access, every client may do anything. */
  readonly users: UsersTable | undefined;
  /**
   * The state service is attached, so protectStateTopics rules on `$dapr-state/...` topics and
   * the users' lists do not apply there. Otherwise those topics are checked like any other.
   */
  readonly stateTopicsProtected: boolean;
  readonly logger: Logger;
}

/** scrypt runs on libuv's thread pool, which LevelDB needs too: this many checks at a time. */
const CONCURRENT_CHECKS = 2;
/** Logins waiting for a check beyond this many are refused with CONNACK 3 (server unavailable). */
const MAX_WAITING_CHECKS = 256;

/** MQTT 3.1.1 CONNACK return codes (AuthErrorCode in Aedes' types, a const enum). */
const IDENTIFIER_REJECTED = 2;
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function refusal(returnCode: number, message: string): AuthenticateError {
  const err = new Error(message) as AuthenticateError;
  (err as { returnCode: number }).returnCode = returnCode;
  return err;
}

/** Runs at most `limit` tasks at once; refuses (returns undefined) beyond `maxWaiting` queued. */
function createGate(limit: number, maxWaiting: number): <T>(task: () => Promise<T>) => Promise<T> | undefined {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    running -= 1;
    const next = waiting.shift();
    if (next) next();
  };
  return (task) => {
    if (running >= limit && waiting.length >= maxWaiting) return undefined;
    return new Promise<void>((start) => {
      if (running < limit) start();
      else waiting.push(start);
    }).then(() => {
      running += 1;
      return task().finally(release);
    });
  };
}

/**
 * Authentication and per-user topic ACLs for the bundled broker.
 *
 * - With a users table, every CONNECT needs a user name and password of that table (CONNACK 4
 *   otherwise, 5 without credentials); the password is checked against its salted scrypt hash
 *   in constant time, and an unknown user costs the same check (no user enumeration by timing).
 *   Without one, anyone may connect (the caller decided that is safe: loopback, or explicitly
 *   allowed).
 * - A client id connected as one user cannot be taken over by another user (CONNACK 2).
 * - PUBLISH (wills included) to a topic outside the user's `publish` patterns ends the
 *   connection (MQTT 3.1.1 has no negative PUBACK); SUBSCRIBE to a filter not covered by the
 *   `subscribe` patterns gets 0x80 in its SUBACK. A `$share/<group>/<filter>` is checked on its
 *   filter. Each delivery is checked against the `subscribe` patterns too (authorizeForward),
 *   so a persistent session's stored subscription cannot outlive a narrowed users file.
 * - Log lines carry the client id, the remote address, a reason and, for a known user only,
 *   the user name: never a password, and never an unknown user name (it may be a mistyped password).
 *
 * Install before protectStateTopics and persistBeforePuback, which wrap these hooks.
 */
export function authorizeClients(aedes: Aedes, options: ClientAccessOptions): void {
  const { users, logger } = options;
  const userOf = new WeakMap<Client, BrokerUser>();
  const gate = createGate(CONCURRENT_CHECKS, MAX_WAITING_CHECKS);
  const subscribeRefusalsLogged = new WeakSet<Client>();

  if (users !== undefined) {
    aedes.authenticate = (client, username, password, done) => {
      const log = (reason: string, extra: Record<string, unknown> = {}): void =>
        logger.warn({ clientId: client.id, remote: remoteAddressOf(client), reason, ...extra }, 'client refused: authentication failed');
      if (username === undefined || password === undefined) {
        log(username === undefined ? 'no user name' : 'no password');
        done(refusal(username === undefined ? NOT_AUTHORIZED : BAD_USERNAME_OR_PASSWORD, 'not authorized: user name and password required'), null);
        return;
      }
      const user = users.get(username);
      const checking = gate(() => verifyPassword(password, user?.password ?? DUMMY_HASH));
      if (checking === undefined) {
        logger.warn({ clientId: client.id, remote: remoteAddressOf(client) }, 'client refused: too many logins waiting for a password check');
        done(refusal(SERVER_UNAVAILABLE, 'server unavailable: too many logins at once'), null);
        return;
      }
      checking.then(
        (ok) => {
          if (!user || !ok) {
            log(user ? 'wrong password' : 'unknown user', user ? { username: user.username } : {});
            done(refusal(BAD_USERNAME_OR_PASSWORD, 'bad user name or password'), null);
            return;
          }
          const holder = (aedes as unknown as { clients: Record<string, Client | undefined> }).clients[client.id];
          const holderUser = holder && holder !== client ? userOf.get(holder) : undefined;
          if (holderUser && holderUser.username !== user.username) {
            log('client id in use by another user', { username: user.username });
            done(refusal(IDENTIFIER_REJECTED, 'identifier rejected: client id in use by another user'), null);
            return;
          }
          userOf.set(client, user);
          logger.debug({ clientId: client.id, username: user.username }, 'client authenticated');
          done(null, true);
        },
        (err: Error) => {
          logger.error({ clientId: client.id, error: err.message }, 'password check failed');
          done(refusal(SERVER_UNAVAILABLE, 'server unavailable: password check failed'), null);
        },
      );
    };
  }

  const governs = (topic: string): boolean => users !== undefined && !(options.stateTopicsProtected && isStateTopic(topic));

  const authorizePublish = aedes.authorizePublish;
  aedes.authorizePublish = (client, packet, callback) => {
    if (client && governs(packet.topic)) {
      const user = userOf.get(client);
      if (!user || !mayPublish(user.publish, { username: user.username, clientId: client.id }, packet.topic)) {
        callback(new Error(`user "${user?.username ?? '?'}" may not publish to "${packet.topic}" (MQTT_BROKER_USERS_FILE publish patterns): disconnected`));
        return;
      }
    }
    authorizePublish.call(aedes, client, packet, callback);
  };

  const authorizeSubscribe = aedes.authorizeSubscribe;
  aedes.authorizeSubscribe = (client, sub, callback) => {
    const filter = parseShareTopic(sub.topic)?.filter ?? sub.topic;
    if (client && governs(filter)) {
      const user = userOf.get(client);
      if (!user || !maySubscribe(user.subscribe, { username: user.username, clientId: client.id }, filter)) {
        const first = !subscribeRefusalsLogged.has(client);
        subscribeRefusalsLogged.add(client);
        logger[first ? 'warn' : 'debug'](
          { clientId: client.id, username: user?.username, topic: sub.topic },
          'subscription refused: not in the user\'s subscribe patterns (SUBACK 0x80)',
        );
        callback(null, null);
        return;
      }
    }
    authorizeSubscribe.call(aedes, client, sub, callback);
  };

  // Checked again on delivery, as Mosquitto does: a subscription a persistent session kept from
  // before the users file changed (restored or queued while offline) delivers only what the
  // user's current patterns still allow. A granted filter never loses a message here: a pattern
  // that covers the filter matches every topic the filter matches.
  const authorizeForward = aedes.authorizeForward;
  aedes.authorizeForward = (client, packet) => {
    if (client && governs(packet.topic)) {
      const user = userOf.get(client);
      if (!user || !mayReceive(user.subscribe, { username: user.username, clientId: client.id }, packet.topic)) return null;
    }
    return authorizeForward.call(aedes, client, packet);
  };
}
