// The single-message workflows the worker registers, exported under their workflow types.
// One transactional message asked for through sendMessage (GraphQL, REST).
export { transactionalSend } from './transactional-send';
// An operator's re-send of a failed message (see the gateway's retryFailedSend).
export { operatorRetrySend } from './operator-retry-send';
// One outbound webhook delivery and its retries (started by the worker's webhook dispatcher).
export { webhookDelivery } from './webhook-delivery';
// The "reply YES" request of a double opt-in granted through the API or tracking.
export { consentConfirmationRequest } from './consent-confirmation-request';
