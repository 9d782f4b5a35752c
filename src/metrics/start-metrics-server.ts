import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { ComponentError } from '../errors/component-error.js';
import type { Logger } from '../logging/logger.js';
import type { Readiness } from './readiness.js';

export interface MetricsServerOptions {
  /** TCP port; 0 picks a free one (see `MetricsServer.port`). */
  readonly port: number;
  /** Interface to bind (`0.0.0.0` so that Prometheus and the kubelet reach the pod IP). */
  readonly host: string;
  readonly registry: Registry;
  readonly readiness: Readiness;
  readonly logger: Logger;
}

export interface MetricsServer {
  /** The bound port, also when 0 was asked. */
  readonly port: number;
  readonly host: string;
  /** Stops listening and closes open connections (scrapers keep them alive); idempotent. */
  close(): Promise<void>;
}

export const METRICS_PATH = '/metrics';
export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string): ComponentError {
  const why = err.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use` : `cannot listen on ${host}:${port} (${err.code ?? err.message})`;
  return new ComponentError('ERR_METRICS_LISTEN', `metrics server: ${why}: set METRICS_PORT to a free port (or unset it: no metrics) and METRICS_HOST to a local address`, {
    field: 'METRICS_PORT',
    cause: err,
  });
}

/**
 * One small HTTP server: `GET /metrics` (Prometheus text format), `GET /healthz` (200 while the
 * process runs), `GET /readyz` (200, or 503 with JSON saying what is not ready).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, readiness, logger } = options;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', false);
      return;
    }
    if (path === METRICS_PATH) {
      send(res, 200, registry.contentType, await registry.metrics(), head);
    } else if (path === HEALTH_PATH) {
      send(res, 200, 'text/plain; charset=utf-8', 'ok\n', head);
    } else if (path === READY_PATH) {
      const report = readiness.report();
      send(res, report.ready ? 200 : 503, 'application/json', `${JSON.stringify(report)}\n`, head);
    } else {
      send(res, 404, 'text/plain; charset=utf-8', `not found: try ${METRICS_PATH}, ${HEALTH_PATH} or ${READY_PATH}\n`, head);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err, path: req.url }, 'metrics request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n', false);
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => reject(listenError(err, options.port, options.host));
    server.once('error', onError);
    server.listen({ port: options.port, host: options.host }, () => {
      server.off('error', onError);
      server.on('error', (err) => logger.warn({ error: err.message }, 'metrics server error'));
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ host: options.host, port }, 'metrics listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    host: options.host,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
