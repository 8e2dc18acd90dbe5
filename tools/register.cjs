// Runs the workspace's TypeScript in Node without a build step: SWC compiles on load,
// honouring tsconfig paths and decorator metadata (which NestJS dependency injection needs).
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
