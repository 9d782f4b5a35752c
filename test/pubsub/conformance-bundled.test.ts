// Pub/sub conformance (acceptance R3-R7, N1, N4, N6-N11, interop) against the bundled broker.
import { defineConformance } from '../helpers/pubsub-conformance.js';

defineConformance('bundled');
