import { isIP } from 'node:net';
import type { IClientOptions } from 'mqtt';
import type { BrokerAddress } from '../config/broker-urls.js';
import type { ServerChooser } from './mqtt-link.js';

/** Puts one broker's address into client options (host, port, transport, ws path, TLS server name). */
export function applyServer(options: IClientOptions, server: BrokerAddress): void {
  options.protocol = server.transport;
  options.host = server.host;
  options.hostname = server.host;
  options.port = server.port;
  if (server.path === undefined) delete options.path;
  else options.path = server.path;
  // MQTT.js sets the TLS server name from the first host only, once: each node is verified by its
  // own name (an IP address is checked against the certificate's IP SANs, without a server name).
  const tlsOptions = options as { servername?: string };
  if (isIP(server.host) === 0) tlsOptions.servername = server.host;
  else delete tlsOptions.servername;
}

/**
 * The brokers of `url` in turn: the first connection goes to the first, and every new attempt
 * after a closed connection (a failed connect and a lost link alike) to the next, wrapping
 * around, so the loss of one cluster node is one reconnect to the next. Undefined for one broker.
 * (MQTT.js's own `servers` option keeps the first node's TLS server name and one ws path for all.)
 */
export function rotatingServers(servers: readonly BrokerAddress[]): ServerChooser | undefined {
  if (servers.length < 2) return undefined;
  let index = 0;
  return {
    next() {
      index = (index + 1) % servers.length;
      return servers[index] as BrokerAddress;
    },
  };
}
