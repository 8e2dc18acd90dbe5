export { createRequestActivities, webhookIdOf, type RequestActivityOptions, type SigningSecrets } from './request-activities';
export { createWebhookActivities, type WebhookActivityOptions } from './webhook-activities';
