// The conversation workflow and the journeys that answer within its topics, exported under their workflow types.
export { conversation } from './conversation';
export { returnsAgent, salesAgent, supportAgent } from './agents';
export { humanHandoff } from './human-handoff';
