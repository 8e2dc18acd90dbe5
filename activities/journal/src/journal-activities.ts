import type { JournalActivities, JournalEntryInput } from '@continuum/contracts';
import type { JournalStore } from '@continuum/data';

/** Writes journey steps to the journal in PostgreSQL (idempotent per instance and sequence). */
export function createJournalActivities(deps: { journal: JournalStore }): JournalActivities {
  return {
    async recordJournalEntry(entry: JournalEntryInput): Promise<void> {
      await deps.journal.record({ ...entry, at: new Date(entry.at), detail: entry.detail ?? {} });
    },
  };
}
