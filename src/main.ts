/**
 * Process entry point, and the only place that reads process.env and exits.
 *   node dist/src/main.js          component (+ bundled broker unless MQTT_BROKER=off)
 *   node dist/src/main.js broker   bundled broker (+ its state service unless MQTT_STATE_SERVICE=off)
 *   node dist/src/main.js state-service   the state service alone, attached to STATE_SERVICE_URL
 *   node dist/src/main.js hash-password   password on stdin → scrypt hash for the broker's users file
 *   node dist/src/main.js add-user <name> [--publish <p>]... [--subscribe <p>]... [--file <path>]
 */
import { parseEnv, type EnvConfig } from './config/env.js';
import { parseEnvVariable } from './config/env-variables.js';
import { createLogger, type Logger } from './logging/logger.js';
import { isComponentError } from './errors/component-error.js';
import { startBroker } from './broker/start-broker.js';
import { startComponentServer } from './grpc/start-component-server.js';
import { startStandaloneStateService } from './broker/state/start-standalone-state-service.js';
import { runUsersCli } from './broker/users-cli.js';
import { ensurePrivateDir } from './broker/ensure-private-dir.js';
import { createComponentMetrics, type ComponentMetrics } from './metrics/component-metrics.js';
import { notReady, Readiness, READY } from './metrics/readiness.js';
import { startMetricsServer, type MetricsServer } from './metrics/start-metrics-server.js';

interface Closable {
  close(): Promise<void>;
}

async function run(mode: string, env: EnvConfig, logger: Logger, readiness: Readiness): Promise<Closable[]> {
  const started: Closable[] = [];
  // Metrics first: a taken port stops startup before anything else, and /healthz and /readyz
  // answer while the rest starts.
  let metrics: ComponentMetrics | undefined;
  let metricsServer: MetricsServer | undefined;
  if (env.metricsPort !== undefined) {
    metrics = createComponentMetrics();
    metricsServer = await startMetricsServer({
      port: env.metricsPort,
      host: env.metricsHost,
      registry: metrics.registry,
      readiness,
      logger: logger.child({ block: 'metrics' }),
    });
  }
  if (mode === 'broker' || (mode === 'component' && env.broker === 'embedded')) {
    const broker = await startBroker({
      port: env.brokerPort,
      host: env.brokerHost,
      dataDir: env.brokerDataDir,
      logger, // start-broker logs under block broker and state-service
      stateService: env.stateService === 'embedded',
      stateServiceName: env.stateServiceName,
      metrics,
      security: {
        usersFile: env.brokerUsersFile,
        allowAnonymous: env.brokerAllowAnonymous,
        tls: env.brokerTlsFiles,
        tlsPort: env.brokerTlsPort,
        wsPort: env.brokerWsPort,
        wssPort: env.brokerWssPort,
        limits: {
          maxPacketSize: env.brokerMaxPacketSize,
          maxTopicLevels: env.brokerMaxTopicLevels,
          maxInflight: env.brokerMaxInflight,
          maxConnections: env.brokerMaxConnections,
        },
      },
    });
    started.push(broker);
    readiness.add('broker', () => {
      const reasons = broker.notReadyReasons();
      return reasons.length === 0 ? READY : notReady(...reasons);
    });
  }
  if (mode === 'state-service') {
    // 0700 (a folder that cannot be created is reported by the service, naming STATE_SERVICE_DATA).
    const warning = await ensurePrivateDir(env.stateServiceDataDir).catch(() => undefined);
    if (warning) logger.warn(warning);
    const service = await startStandaloneStateService({
      url: env.stateServiceUrl,
      username: env.stateServiceUsername,
      password: env.stateServicePassword,
      clientId: env.stateServiceClientId,
      service: env.stateServiceName,
      dataDir: env.stateServiceDataDir,
      logger: logger.child({ block: 'state-service' }),
      metrics,
      protocolVersion: env.stateServiceProtocolVersion,
    });
    started.push(service);
    readiness.add('state-service', () => (service.connected() ? READY : notReady('not connected to its broker (STATE_SERVICE_URL)')));
  }
  if (mode === 'component') {
    const server = await startComponentServer({
      socketFolder: env.socketFolder,
      socketName: env.socketName,
      logger, // the server logs under block grpc, pubsub and state
      metrics,
      maxStreams: env.maxStreams,
      maxInstances: env.maxInstances,
    });
    // The component stops before the broker it may be using.
    started.unshift(server);
    readiness.add('component', () => server.readiness());
  }
  // Stops last: /readyz says "shutting down" while the rest stops.
  if (metricsServer) started.push(metricsServer);
  return started;
}

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'component';
  if (mode === 'hash-password' || mode === 'add-user') {
    process.exitCode = await runUsersCli(mode, process.argv.slice(3), parseEnvVariable(process.env, 'MQTT_BROKER_USERS_FILE'), process);
    return;
  }
  if (mode !== 'component' && mode !== 'broker' && mode !== 'state-service') {
    process.stderr.write(`unknown mode "${mode}": use "component" (default), "broker", "state-service", "hash-password" or "add-user"\n`);
    process.exit(2);
  }
  let env: EnvConfig;
  try {
    env = parseEnv(process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: env.logLevel });
  const readiness = new Readiness();
  // Signal handlers go in first: a SIGTERM during startup waits for startup, then stops cleanly.
  let startup: Promise<Closable[]> | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    readiness.markShuttingDown();
    logger.info({ signal }, 'shutting down');
    void (async () => {
      const started = await (startup ?? Promise.resolve([])).catch(() => [] as Closable[]);
      for (const s of started) {
        try {
          await s.close();
        } catch (err) {
          logger.error({ err }, 'error during shutdown');
        }
      }
      logger.info('stopped');
      logger.flush();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  startup = run(mode, env, logger, readiness);
  try {
    await startup;
  } catch (err) {
    // One line that says what to change; no stack for the errors we declared.
    process.stderr.write(`${isComponentError(err) ? err.message : String((err as Error).stack ?? err)}\n`);
    logger.flush();
    process.exit(1);
  }
}

void main();
