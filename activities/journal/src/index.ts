export { createJournalActivities, type JournalObserver } from './journal-activities';
