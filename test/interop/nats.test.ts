// Interop (I1, I2) and pub/sub conformance against one private NATS node (JetStream, MQTT gateway).
import { after } from 'node:test';
import { startNats } from '../helpers/nats-process.js';
import { brokerProfile } from './broker-profiles.js';
import { defineBrokerScenarios } from './broker-scenarios.js';

const nats = await startNats();
after(() => nats.close());
defineBrokerScenarios(brokerProfile('nats'), nats.mqttUrl);
