import { isIP } from 'node:net';
import { ComponentError } from '../errors/component-error.js';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped !== null && mapped[1]!.startsWith('127.');
}

/**
 * Whether clients may connect without credentials.
 * - A users file: never (`MQTT_BROKER_ALLOW_ANONYMOUS=true` with it is refused as contradictory).
 * - No users file: on a loopback address yes; on any other address only with an explicit
 *   `MQTT_BROKER_ALLOW_ANONYMOUS=true` (local development); otherwise startup fails with one line.
 */
export function resolveAnonymousAccess(host: string, usersFile: string | undefined, allowAnonymous: boolean | undefined): boolean {
  if (usersFile !== undefined) {
    if (allowAnonymous === true) {
      throw new ComponentError(
        'ERR_CONFIG_INVALID',
        'MQTT_BROKER_ALLOW_ANONYMOUS=true and MQTT_BROKER_USERS_FILE exclude each other: with a users file every client logs in; unset one of them',
        { field: 'MQTT_BROKER_ALLOW_ANONYMOUS' },
      );
    }
    return false;
  }
  if (allowAnonymous === false) {
    throw new ComponentError(
      'ERR_CONFIG_INVALID',
      'MQTT_BROKER_ALLOW_ANONYMOUS=false needs MQTT_BROKER_USERS_FILE (without users nobody could connect)',
      { field: 'MQTT_BROKER_ALLOW_ANONYMOUS' },
    );
  }
  if (allowAnonymous === true || isLoopbackHost(host)) return true;
  throw new ComponentError(
    'ERR_CONFIG_INVALID',
    `the bundled broker would accept anyone on ${host} without a password: set MQTT_BROKER_USERS_FILE (users with scrypt hashes), or MQTT_BROKER_ALLOW_ANONYMOUS=true for local development only`,
    { field: 'MQTT_BROKER_USERS_FILE' },
  );
}
