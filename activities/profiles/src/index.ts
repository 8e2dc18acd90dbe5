export { createProfileActivities } from './profile-activities';
export { createSendTimeActivities, DEFAULT_SEND_TIME_SETTINGS, type SendTimeSettings } from './send-time-activities';
