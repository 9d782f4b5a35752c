/** Writes docs/brokers.md from test/interop/broker-profiles.ts. `npm run docs:brokers`. */
import { writeFileSync } from 'node:fs';
import { renderBrokersDoc } from '../test/interop/brokers-doc.js';

writeFileSync(new URL('../docs/brokers.md', import.meta.url), renderBrokersDoc());
