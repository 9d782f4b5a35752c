import { isIP } from 'node:net';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { BrokerAddress } from '../config/broker-urls.js';

/** Where the next connection attempt of a client goes, for Ping and logs. */
export interface ServerRotation {
  current(): BrokerAddress;
}

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
 * Moves a client to the next broker of `servers` after every closed connection: a failed
 * connect and a lost link alike, wrapping around, so the loss of one cluster node is one
 * reconnect to the next. MQTT.js builds every new connection from `client.options`, read when
 * it reconnects, so the next address is written there as the old connection closes. (MQTT.js's
 * own `servers` option keeps the first node's TLS server name and one ws path for all.)
 */
export function rotateServers(client: MqttClient, servers: readonly BrokerAddress[]): ServerRotation {
  let index = 0;
  if (servers.length > 1) {
    client.prependListener('close', () => {
      index = (index + 1) % servers.length;
      applyServer(client.options, servers[index] as BrokerAddress);
    });
  }
  return { current: () => servers[index] as BrokerAddress };
}
