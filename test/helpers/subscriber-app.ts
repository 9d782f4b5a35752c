/**
 * A plain HTTP app for daprd (its --app-port), in the test process: answers `/dapr/subscribe`
 * with the programmatic subscriptions given, records every request daprd makes, and answers
 * each delivery with what the test's responder returns (default SUCCESS).
 */
import http from 'node:http';
import { waitUntil } from './wait.js';

export interface Delivery {
  /** Request path (the route daprd chose). */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (a CloudEvent, raw data, or a bulk envelope), or the text when not JSON. */
  readonly body: unknown;
  readonly raw: string;
  readonly at: number;
}

/** What the app answers: an HTTP status and an optional JSON body (e.g. `{status:'RETRY'}`). */
export interface Answer {
  status: number;
  body?: unknown;
}

export type Responder = (delivery: Delivery) => Answer | Promise<Answer>;

export interface SubscriberApp {
  readonly port: number;
  readonly deliveries: Delivery[];
  /** Deliveries to `path` (exact). */
  on(path: string): Delivery[];
  /** True once a CloudEvent whose data is `{"__probe": true}` reached `path` (probes are not in `deliveries`). */
  probed(path: string): boolean;
  /** Sets how deliveries to `path` are answered (others: 200 SUCCESS). */
  respond(path: string, responder: Responder): void;
  /**
   * Answers deliveries to `path` SUCCESS once `work` finished for each, and counts how many were
   * in the app at once (daprd dispatching a stream serially or concurrently).
   */
  holdEach(path: string, work: () => Promise<unknown>): { mostInHand(): number };
  /** Waits until `count` deliveries to `path` arrived. */
  waitFor(path: string, count: number, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (default a free port: 0). */
export async function startSubscriberApp(subscriptions: unknown[] = [], port = 0): Promise<SubscriberApp> {
  const deliveries: Delivery[] = [];
  const probes = new Set<string>();
  const responders = new Map<string, Responder>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      if (req.method === 'GET' && url === '/dapr/subscribe') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(subscriptions));
        return;
      }
      if (req.method === 'GET' && url === '/dapr/config') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // not JSON: keep the text
      }
      const delivery: Delivery = { path: url, headers: req.headers, body, raw, at: Date.now() };
      if ((body as { data?: { __probe?: unknown } } | null)?.data?.__probe === true) {
        // A readiness probe of the test (see probed): answered, not recorded.
        probes.add(url);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"SUCCESS"}');
        return;
      }
      deliveries.push(delivery);
      const responder = responders.get(url);
      Promise.resolve(responder ? responder(delivery) : { status: 200, body: { status: 'SUCCESS' } })
        .then((answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body === undefined ? '' : JSON.stringify(answer.body));
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as { port: number }).port;
  const on = (p: string): Delivery[] => deliveries.filter((d) => d.path === p);
  return {
    port: bound,
    deliveries,
    on,
    probed: (p) => probes.has(p),
    respond: (p, responder) => responders.set(p, responder),
    holdEach(p, work) {
      let inHand = 0;
      let most = 0;
      responders.set(p, async () => {
        inHand += 1;
        most = Math.max(most, inHand);
        await work();
        inHand -= 1;
        return { status: 200, body: { status: 'SUCCESS' } };
      });
      return { mostInHand: () => most };
    },
    async waitFor(p, count, timeoutMs = 15_000) {
      await waitUntil(
        () => on(p).length >= count,
        () => `${count} deliveries to ${p} (got ${on(p).length}; all paths: ${JSON.stringify(deliveries.map((d) => d.path))})`,
        { timeoutMs },
      );
      return on(p);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
