// The pub/sub conformance rows of conformance-mosquitto.test.ts again, with every component
// instance and plain peer speaking MQTT 5 (`protocolVersion: 5`), against the shared Mosquitto 2.x.
import { isReachable, MOSQUITTO_URL } from '../helpers/component-fixture.js';
import { mosquittoUnreachable } from '../helpers/require-peer.js';
import { defineConformance } from '../helpers/pubsub-conformance.js';

const reachable = await isReachable(MOSQUITTO_URL);
defineConformance('mosquitto', { protocolVersion: 5, missingPeer: reachable ? false : mosquittoUnreachable(MOSQUITTO_URL) });
