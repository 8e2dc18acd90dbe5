export {
  createMessagingActivities,
  type EmailProvider,
  type InAppProvider,
  type MessageProvider,
  type MessagingDeps,
  type OutboxSend,
  type SendAttempt,
  type Senders,
  type SendHooks,
  type SendObserver,
  type SmsProvider,
  type TwilioMessageRequest,
} from './messaging-activities';
export { bodyToSend, createTemplateBodyRenderer, type RenderedBody, type RenderTemplateBody } from './template-body';
export { createTransactionalActivities } from './transactional-activities';
export { createBroadcastActivities } from './broadcast-activities';
