// Pub/sub conformance rows marked (M) in acceptance.md (R3, R6, R7, N1) and the plain-MQTT
// interop checks, against the shared Mosquitto 2.x.
import { isReachable, MOSQUITTO_URL } from '../helpers/component-fixture.js';
import { defineConformance } from '../helpers/pubsub-conformance.js';

const reachable = await isReachable(MOSQUITTO_URL);
defineConformance('mosquitto', { skip: reachable ? false : `Mosquitto is not reachable at ${MOSQUITTO_URL}` });
