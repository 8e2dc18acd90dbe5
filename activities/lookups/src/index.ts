export { createLookupActivities, type LookupDefaults } from './lookup-activities';
