// State store conformance (S1–S8) against the shared Mosquitto with MQTT 5 on both sides: the
// component instances (`protocolVersion: 5`: response topic and correlation data on every
// request) and the state service process (STATE_SERVICE_PROTOCOL_VERSION=5).
import { isReachable, MOSQUITTO_URL } from '../helpers/component-fixture.js';
import { mosquittoUnreachable } from '../helpers/require-peer.js';
import { defineStateConformance } from '../helpers/state-conformance.js';

const reachable = await isReachable(MOSQUITTO_URL);
defineStateConformance('mosquitto', { protocolVersion: 5, missingPeer: reachable ? false : mosquittoUnreachable(MOSQUITTO_URL) });
