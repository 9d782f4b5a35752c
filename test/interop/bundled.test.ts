// Interop (I1, I2) and pub/sub conformance against the bundled broker run as its own process.
import { after } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startBrokerProcess } from '../helpers/broker-process.js';
import { brokerProfile } from './broker-profiles.js';
import { defineBrokerScenarios } from './broker-scenarios.js';

const dataDir = await mkdtemp(join(tmpdir(), 'interop-bundled-'));
const broker = await startBrokerProcess({ port: await freePort(), dataDir });
after(async () => {
  await broker.stop();
  await rm(dataDir, { recursive: true, force: true });
});
defineBrokerScenarios(brokerProfile('bundled'), `tcp://127.0.0.1:${broker.port}`);
