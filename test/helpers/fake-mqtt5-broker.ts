/**
 * A scripted MQTT 5 "broker" on 127.0.0.1 (port 0) for what no real broker here can be made to
 * do (e.g. announce Shared Subscription Available = 0): it answers CONNECT with the CONNACK
 * properties it is given, records every SUBSCRIBE, and answers it with the reason code chosen by
 * `subackCode`. It routes no messages. Packets are read and written with mqtt-packet (MQTT.js's
 * own codec).
 */
import net from 'node:net';
import mqttPacket, { type IConnackPacket, type ISubscribePacket, type Packet } from 'mqtt-packet';
import { listenLoopback } from './listen-loopback.js';

export interface FakeBrokerOptions {
  /** CONNACK properties, e.g. `{ sharedSubscriptionAvailable: false }`. */
  connackProperties?: IConnackPacket['properties'];
  /** SUBACK reason code for a filter; default: granted at the requested QoS. */
  subackCode?: (filter: string, qos: number) => number;
}

export interface FakeBroker {
  readonly url: string;
  /** Every topic filter subscribed to, in order, by any client. */
  readonly subscribed: readonly string[];
  close(): Promise<void>;
}

export async function startFakeMqtt5Broker(options: FakeBrokerOptions = {}): Promise<FakeBroker> {
  const subscribed: string[] = [];
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
        case 'connect':
          send({ cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: options.connackProperties ?? {} });
          break;
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
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
