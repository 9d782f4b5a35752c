// Pub/sub conformance rows marked (M) in acceptance.md (R3, R6, R7, N1) and the plain-MQTT
// interop checks, against the shared Mosquitto 2.x.
import { isReachable, MOSQUITTO_URL } from '../helpers/component-fixture.js';
import { mosquittoUnreachable } from '../helpers/require-peer.js';
import { defineConformance } from '../helpers/pubsub-conformance.js';

const reachable = await isReachable(MOSQUITTO_URL);
defineConformance('mosquitto', { missingPeer: reachable ? false : mosquittoUnreachable(MOSQUITTO_URL) });
