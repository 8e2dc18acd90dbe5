export { createMessagingActivities, type SmsProvider } from './messaging-activities';
