// State store conformance (S1–S8) against the shared Mosquitto, with the state service as its
// own process (`main.js state-service`) under a random service name.
import { isReachable, MOSQUITTO_URL } from '../helpers/component-fixture.js';
import { mosquittoUnreachable } from '../helpers/require-peer.js';
import { defineStateConformance } from '../helpers/state-conformance.js';

const reachable = await isReachable(MOSQUITTO_URL);
defineStateConformance('mosquitto', { missingPeer: reachable ? false : mosquittoUnreachable(MOSQUITTO_URL) });
