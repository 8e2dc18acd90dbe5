import type { JournalActivities, JournalEntryInput } from '@continuum/contracts';
import type { JournalStore } from '@continuum/data';

/** Told about each journal entry when it is first written (a retried write is not told again). */
export interface JournalObserver {
  entryRecorded(entry: JournalEntryInput): void;
}

/** Writes journey steps to the journal in PostgreSQL (idempotent per instance and sequence). */
export function createJournalActivities(deps: { journal: JournalStore; observer?: JournalObserver }): JournalActivities {
  return {
    async recordJournalEntry(entry: JournalEntryInput): Promise<void> {
      const inserted = await deps.journal.record({ ...entry, at: new Date(entry.at), detail: entry.detail ?? {} });
      if (inserted) deps.observer?.entryRecorded(entry);
    },
    async recordJournalEntries(entries: JournalEntryInput[]): Promise<void> {
      const inserted = await deps.journal.recordMany(entries.map((entry) => ({ ...entry, at: new Date(entry.at), detail: entry.detail ?? {} })));
      entries.forEach((entry, index) => {
        if (inserted[index]) deps.observer?.entryRecorded(entry);
      });
    },
  };
}
