export { createJournalActivities } from './journal-activities';
