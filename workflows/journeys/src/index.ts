// Every journey workflow the worker registers, exported under its workflow type (camelCase id).
export { abandonedCart } from './abandoned-cart';
export { appointmentConfirmation } from './appointment-confirmation';
export { creditCardApplication } from './credit-card-application';
export { onboarding } from './onboarding';
export { orderPoints } from './order-points';
export { orderShipped } from './order-shipped';
export { returnFollowUp } from './return-follow-up';
// Not a journey: an operator's re-send of a failed message (see the gateway's retryFailedSend).
export { operatorRetrySend } from '@continuum/journey';
// Not a journey: one transactional message asked for through sendMessage (GraphQL, REST).
export { transactionalSend } from '@continuum/journey';
// Not a journey: a broadcast of a template to an audience (createBroadcast).
export { broadcastRun } from '@continuum/journey';
