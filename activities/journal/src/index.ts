export { createJournalActivities, type JournalObserver } from './journal-activities';
export { createExperimentActivities } from './experiment-activities';
