// State store conformance (S1–S8) with the bundled broker and its in-process state service.
import { defineStateConformance } from '../helpers/state-conformance.js';

defineStateConformance('bundled');
