import type { JournalEntryRow } from '@continuum/data';
import type { JournalEntryTypeName } from '../common/models/journal-entry-type.model';
import type { TimelineEntry } from './models/journey-instance-detail.model';

/** A stored journal entry as the GraphQL TimelineEntry (a Node, local id: its journal id). */
export function toTimelineEntry({ id, instanceId, runId, seq, type, step, at, detail }: JournalEntryRow): TimelineEntry {
  return { entryId: id, instanceId, runId, seq, type: type as JournalEntryTypeName, step, at, detail };
}
