/**
 * Process entry point, and the only place that reads process.env and exits.
 *   node dist/src/main.js          component (+ bundled broker unless MQTT_BROKER=off)
 *   node dist/src/main.js broker   bundled broker (+ its state service unless MQTT_STATE_SERVICE=off)
 *   node dist/src/main.js state-service   the state service alone, attached to STATE_SERVICE_URL
 */
import { parseEnv, type EnvConfig } from './config/env.js';
import { createLogger, type Logger } from './logging/logger.js';
import { isComponentError } from './errors/component-error.js';
import { startBroker } from './broker/start-broker.js';
import { startComponentServer } from './grpc/start-component-server.js';
import { startStandaloneStateService } from './broker/state/start-standalone-state-service.js';

interface Closable {
  close(): Promise<void>;
}

async function run(mode: string, env: EnvConfig, logger: Logger): Promise<Closable[]> {
  const started: Closable[] = [];
  if (mode === 'broker' || (mode === 'component' && env.broker === 'embedded')) {
    const broker = await startBroker({
      port: env.brokerPort,
      host: env.brokerHost,
      dataDir: env.brokerDataDir,
      logger: logger.child({ block: 'broker' }),
      stateService: env.stateService === 'embedded',
      stateServiceName: env.stateServiceName,
    });
    started.push(broker);
  }
  if (mode === 'state-service') {
    started.push(
      await startStandaloneStateService({
        url: env.stateServiceUrl,
        username: env.stateServiceUsername,
        password: env.stateServicePassword,
        clientId: env.stateServiceClientId,
        service: env.stateServiceName,
        dataDir: env.stateServiceDataDir,
        logger: logger.child({ block: 'state-service' }),
      }),
    );
  }
  if (mode === 'component') {
    const server = await startComponentServer({
      socketFolder: env.socketFolder,
      socketName: env.socketName,
      logger: logger.child({ block: 'grpc' }),
    });
    // The component stops before the broker it may be using.
    started.unshift(server);
  }
  return started;
}

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'component';
  if (mode !== 'component' && mode !== 'broker' && mode !== 'state-service') {
    process.stderr.write(`unknown mode "${mode}": use "component" (default), "broker" or "state-service"\n`);
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
  // Signal handlers go in first: a SIGTERM during startup waits for startup, then stops cleanly.
  let startup: Promise<Closable[]> | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
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

  startup = run(mode, env, logger);
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
