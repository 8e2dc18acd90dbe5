// Every journey workflow the worker registers, exported under its workflow type (camelCase id).
export { abandonedCart } from './abandoned-cart';
export { appointmentConfirmation } from './appointment-confirmation';
export { creditCardApplication } from './credit-card-application';
export { onboarding } from './onboarding';
export { orderPoints } from './order-points';
export { orderShipped } from './order-shipped';
export { returnFollowUp } from './return-follow-up';
