/**
 * A scripted MQTT "broker" on 127.0.0.1 (port 0), MQTT 3.1.1 or 5 (whatever the CONNECT says),
 * for link behaviour no real broker can be made to show on demand: a reply that never comes, a
 * PUBACK that never comes, a link cut right after a given packet. It routes nothing; `onPacket`
 * decides what each connection answers. By default it answers CONNECT (CONNACK, no session),
 * SUBSCRIBE (granted as asked), PINGREQ and AUTH (success); it never acknowledges a PUBLISH
 * unless the script does. Packets are read and written with mqtt-packet (MQTT.js's own codec).
 */
import net from 'node:net';
import mqttPacket, { type IConnectPacket, type IPublishPacket, type ISubscribePacket, type Packet } from 'mqtt-packet';
import { listenLoopback } from './listen-loopback.js';

export interface ScriptedConnection {
  /** 1 for the first connection accepted, 2 for the next, ... */
  readonly index: number;
  readonly protocolVersion: 4 | 5;
  send(packet: Packet): void;
  /** Cuts the link (RST-like: the socket is destroyed). */
  destroy(): void;
  readonly closed: boolean;
}

/** Return true when the script handled the packet (no default answer). */
export type PacketScript = (conn: ScriptedConnection, packet: Packet) => boolean | void;

export interface ScriptedBroker {
  readonly url: string;
  readonly port: number;
  /** Every PUBLISH received, with the index of the connection it came on. */
  readonly published: ReadonlyArray<{ readonly conn: number; readonly packet: IPublishPacket }>;
  /** Every packet received, in order, with its connection index. */
  readonly received: ReadonlyArray<{ readonly conn: number; readonly packet: Packet }>;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections open now. */
  readonly open: ScriptedConnection[];
  dropAll(): void;
  close(): Promise<void>;
}

export async function startScriptedBroker(script: PacketScript = () => false): Promise<ScriptedBroker> {
  const published: Array<{ conn: number; packet: IPublishPacket }> = [];
  const received: Array<{ conn: number; packet: Packet }> = [];
  const open = new Set<ScriptedConnection>();
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const index = ++accepted;
    let version: 4 | 5 = 4;
    let parser = mqttPacket.parser({ protocolVersion: 5 });
    const conn: ScriptedConnection = {
      index,
      get protocolVersion() {
        return version;
      },
      send(packet) {
        if (!socket.destroyed) socket.write(mqttPacket.generate(packet, { protocolVersion: version }));
      },
      destroy() {
        socket.destroy();
      },
      get closed() {
        return socket.destroyed;
      },
    };
    open.add(conn);
    socket.on('close', () => {
      sockets.delete(socket);
      open.delete(conn);
    });
    socket.on('error', () => socket.destroy());
    const onPacket = (packet: Packet): void => {
      if (packet.cmd === 'connect') {
        version = (packet as IConnectPacket).protocolVersion === 5 ? 5 : 4;
      }
      received.push({ conn: index, packet });
      if (packet.cmd === 'publish') published.push({ conn: index, packet: packet as IPublishPacket });
      if (script(conn, packet) === true) return;
      switch (packet.cmd) {
        case 'connect':
          conn.send({ cmd: 'connack', sessionPresent: false, returnCode: 0, reasonCode: 0 } as Packet);
          break;
        case 'subscribe': {
          const sub = packet as ISubscribePacket;
          conn.send({ cmd: 'suback', messageId: sub.messageId as number, granted: sub.subscriptions.map((s) => s.qos) });
          break;
        }
        case 'pingreq':
          conn.send({ cmd: 'pingresp' });
          break;
        case 'auth':
          conn.send({ cmd: 'auth', reasonCode: 0, properties: { authenticationMethod: packet.properties?.authenticationMethod } } as Packet);
          break;
        case 'disconnect':
          socket.end();
          break;
        default:
          break;
      }
    };
    // The first packet (CONNECT) names the protocol level; later packets are parsed at that level.
    let first = true;
    const attach = (p: ReturnType<typeof mqttPacket.parser>): void => {
      p.on('error', () => socket.destroy());
      p.on('packet', (packet: Packet) => {
        onPacket(packet);
        if (first) {
          first = false;
          if (version === 4) {
            parser = mqttPacket.parser({ protocolVersion: 4 });
            attach(parser);
          }
        }
      });
    };
    attach(parser);
    socket.on('data', (chunk: Buffer) => {
      // A CONNECT arrives alone in practice: later bytes go to the parser of the right level.
      parser.parse(chunk);
    });
  });
  const port = await listenLoopback(server);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    published,
    received,
    get connections() {
      return accepted;
    },
    get open() {
      return [...open];
    },
    dropAll() {
      for (const s of sockets) s.destroy();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
