// The broadcast workflow the worker registers, exported under its workflow type.
// A broadcast of a template to an audience (createBroadcast), one run per occurrence.
export { broadcastRun } from './broadcast-run';
