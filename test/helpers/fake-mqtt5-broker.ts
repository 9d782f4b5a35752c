/**
 * A scripted MQTT 5 "broker" on 127.0.0.1 (port 0) for what no real broker here can be made to
 * do (e.g. announce Shared Subscription Available = 0): it answers CONNECT with the CONNACK
 * properties it is given, records every SUBSCRIBE, and answers it with the reason code chosen by
 * `subackCode`. It routes no messages. Packets are read and written with mqtt-packet (MQTT.js's
 * own codec). For enhanced authentication it records every CONNECT and AUTH, answers CONNECT with
 * the reason code `connackCode` chooses, and answers a client's AUTH (re-authentication) with
 * AUTH of the reason code `authCode` chooses (default 0, success).
 */
import net from 'node:net';
import mqttPacket, { type IAuthPacket, type IConnackPacket, type IConnectPacket, type ISubscribePacket, type Packet } from 'mqtt-packet';
import { listenLoopback } from './listen-loopback.js';

export interface FakeBrokerOptions {
  /** CONNACK properties, e.g. `{ sharedSubscriptionAvailable: false }`. */
  connackProperties?: IConnackPacket['properties'];
  /** SUBACK reason code for a filter; default: granted at the requested QoS. */
  subackCode?: (filter: string, qos: number) => number;
  /** CONNACK reason code for a CONNECT; default 0 (success). */
  connackCode?: (connect: IConnectPacket) => number;
  /** Reason code of the AUTH answering a client's AUTH; default 0 (success). */
  authCode?: (auth: IAuthPacket) => number;
}

export interface FakeBroker {
  readonly url: string;
  /** Every topic filter subscribed to, in order, by any client. */
  readonly subscribed: readonly string[];
  /** Every CONNECT received, in order. */
  readonly connects: readonly IConnectPacket[];
  /** Every AUTH received from a client, in order. */
  readonly auths: readonly IAuthPacket[];
  /** Connections open now. */
  readonly openCount: number;
  /** Destroys every open connection (the clients see the link drop). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFakeMqtt5Broker(options: FakeBrokerOptions = {}): Promise<FakeBroker> {
  const subscribed: string[] = [];
  const connects: IConnectPacket[] = [];
  const auths: IAuthPacket[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const send = (packet: Packet): void => {
      socket.write(mqttPacket.generate(packet, { protocolVersion: 5 }));
    };
    parser.on('error', () => socket.destroy());
    parser.on('packet', (packet: Packet) => {
      switch (packet.cmd) {
        case 'connect': {
          const connect = packet as IConnectPacket;
          connects.push(connect);
          const reasonCode = options.connackCode?.(connect) ?? 0;
          send({ cmd: 'connack', sessionPresent: false, reasonCode, properties: options.connackProperties ?? {} });
          if (reasonCode >= 0x80) socket.end();
          break;
        }
        case 'auth': {
          const auth = packet as IAuthPacket;
          auths.push(auth);
          const reasonCode = options.authCode?.(auth) ?? 0;
          if (reasonCode >= 0x80) {
            send({ cmd: 'disconnect', reasonCode });
            socket.end();
          } else {
            send({ cmd: 'auth', reasonCode, properties: { authenticationMethod: auth.properties?.authenticationMethod } } as IAuthPacket);
          }
          break;
        }
        case 'subscribe': {
          const sub = packet as ISubscribePacket;
          const granted = sub.subscriptions.map((s) => {
            subscribed.push(s.topic);
            return options.subackCode?.(s.topic, s.qos) ?? s.qos;
          });
          send({ cmd: 'suback', messageId: sub.messageId as number, granted });
          break;
        }
        case 'pingreq':
          send({ cmd: 'pingresp' });
          break;
        case 'disconnect':
          socket.end();
          break;
        default:
          break;
      }
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
  });
  const port = await listenLoopback(server);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    subscribed,
    connects,
    auths,
    get openCount() {
      return sockets.size;
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
