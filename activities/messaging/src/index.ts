export { createMessagingActivities, type SendAttempt, type SendObserver, type SmsProvider } from './messaging-activities';
export { bodyToSend, createTemplateBodyRenderer, type RenderedBody, type RenderTemplateBody } from './template-body';
