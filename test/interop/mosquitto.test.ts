// Interop (I1, I2) and pub/sub conformance against a private Mosquitto (not the machine's on 1883).
import { after } from 'node:test';
import { startMosquitto } from '../helpers/mosquitto-process.js';
import { brokerProfile } from './broker-profiles.js';
import { defineBrokerScenarios } from './broker-scenarios.js';

const mosquitto = await startMosquitto();
after(() => mosquitto.close());
defineBrokerScenarios(brokerProfile('mosquitto'), `tcp://127.0.0.1:${mosquitto.port}`);
