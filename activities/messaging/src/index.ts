export { createMessagingActivities, type SendAttempt, type SendObserver, type SmsProvider } from './messaging-activities';
