import { createRequire } from 'node:module';
import { join } from 'node:path';

// Vitest set-up file: Temporal loads our data converter (`dataConverter.payloadConverterPath`, a
// .ts module) with Node's own require, which Vitest's transform does not reach. Register the SWC
// hook `npm start` and the npm scripts run under (tools/register.cjs), as the services have it.
const nodeRequire = createRequire(__filename);
if (!nodeRequire.extensions['.ts']) nodeRequire(join(__dirname, '../../../../tools/register.cjs'));
