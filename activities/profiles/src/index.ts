export { createProfileActivities } from './profile-activities';
