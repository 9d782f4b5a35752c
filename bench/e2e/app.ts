/**
 * The subscriber app of the end-to-end benchmark, in its own process (forked with IPC by the
 * bench): one HTTP listener per daprd (one per side), each answering daprd's
 * `GET /dapr/subscribe` with the bench's subscriptions and counting what daprd delivers.
 * A delivery whose CloudEvent data carries `t` (epoch ms from the publisher) adds a latency.
 *   parent → {type:'listen', subscriptions:[{pubsubname,topic,route}]} ; child → {type:'ports', ports:[a,b]}
 *   parent → {type:'stats', reset:boolean} ; child → {type:'stats', counts:{port/route:n}, latencies:{port:ms[]}}
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Subscription {
  readonly pubsubname: string;
  readonly topic: string;
  readonly route: string;
}

export type ToApp = { type: 'listen'; sides: number; subscriptions: Subscription[] } | { type: 'stats'; reset: boolean };

export interface AppStats {
  /** `${side}:${route}` → deliveries. */
  readonly counts: Record<string, number>;
  /** side → latencies (ms) of deliveries carrying `t`. */
  readonly latencies: Record<number, number[]>;
  /** side → time (epoch ms) of the latest delivery. */
  readonly lastAt: Record<number, number>;
}

const SUCCESS = Buffer.from('{"status":"SUCCESS"}');
const T_FIELD = /"t":([0-9.]+)/;
const now = (): number => performance.timeOrigin + performance.now();

let counts: Record<string, number> = {};
let latencies: Record<number, number[]> = {};
let lastAt: Record<number, number> = {};

function handler(side: number, subscriptions: readonly Subscription[]) {
  const body = Buffer.from(JSON.stringify(subscriptions));
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'GET') {
      if (req.url === '/dapr/subscribe') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      } else {
        res.writeHead(404, { 'content-length': 0 });
        res.end();
      }
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = now();
      const key = `${side}:${req.url ?? ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
      lastAt[side] = at;
      // Only the latency topic carries `t`; a regex on the text avoids parsing every CloudEvent.
      const m = T_FIELD.exec(Buffer.concat(chunks).toString('latin1'));
      if (m) (latencies[side] ??= []).push(at - Number(m[1]));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': SUCCESS.length });
      res.end(SUCCESS);
    });
  };
}

process.on('message', (m: ToApp) => {
  if (m.type === 'listen') {
    const ports: number[] = [];
    let pending = m.sides;
    for (let side = 0; side < m.sides; side++) {
      const server = createServer({ keepAlive: true }, handler(side, m.subscriptions));
      server.listen(0, '127.0.0.1', () => {
        ports[side] = (server.address() as AddressInfo).port;
        if (--pending === 0) process.send?.({ type: 'ports', ports });
      });
    }
  } else if (m.type === 'stats') {
    const stats: AppStats = { counts, latencies, lastAt };
    process.send?.({ type: 'stats', ...stats });
    if (m.reset) {
      counts = {};
      latencies = {};
      lastAt = {};
    }
  }
});
process.on('disconnect', () => process.exit(0));
