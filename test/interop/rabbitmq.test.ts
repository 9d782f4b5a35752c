// Interop (I1, I2) and pub/sub conformance against a private RabbitMQ node with rabbitmq_mqtt.
import { after } from 'node:test';
import { startRabbitMq } from '../helpers/rabbitmq-process.js';
import { brokerProfile } from './broker-profiles.js';
import { defineBrokerScenarios } from './broker-scenarios.js';

const rabbit = await startRabbitMq();
after(() => rabbit.close());
defineBrokerScenarios(brokerProfile('rabbitmq'), rabbit.mqttUrl);
