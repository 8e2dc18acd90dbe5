export { createRequestActivities, webhookIdOf, type RequestActivityOptions, type SigningSecrets } from './request-activities';
