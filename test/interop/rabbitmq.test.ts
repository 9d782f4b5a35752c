// Interop (I1, I2) pub/sub and state conformance against a private RabbitMQ node with rabbitmq_mqtt.
import { after } from 'node:test';
import { startRabbitMq } from '../helpers/rabbitmq-process.js';
import { brokerProfile } from './broker-profiles.js';
import { defineBrokerScenarios } from './broker-scenarios.js';
import { defineStateConformance } from '../helpers/state-conformance.js';

const rabbit = await startRabbitMq();
after(() => rabbit.close());
defineBrokerScenarios(brokerProfile('rabbitmq'), rabbit.mqttUrl);
// The state store through the standalone state service attached to the same broker.
defineStateConformance('external', { brokerUrl: rabbit.mqttUrl, brokerName: 'RabbitMQ' });
