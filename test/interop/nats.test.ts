// Interop (I1, I2) pub/sub and state conformance against one private NATS node (JetStream, MQTT gateway).
import { after } from 'node:test';
import { startNats } from '../helpers/nats-process.js';
import { brokerProfile } from './broker-profiles.js';
import { defineBrokerScenarios } from './broker-scenarios.js';
import { defineStateConformance } from '../helpers/state-conformance.js';

const nats = await startNats();
after(() => nats.close());
defineBrokerScenarios(brokerProfile('nats'), nats.mqttUrl);
// The state store through the standalone state service attached to the same broker.
defineStateConformance('external', { brokerUrl: nats.mqttUrl, brokerName: 'NATS' });
