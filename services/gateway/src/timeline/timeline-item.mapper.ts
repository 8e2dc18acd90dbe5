import type { JournalEntryRow, MessageEntity, OperatorAuditRow, TimelineRow } from '@continuum/data';
import { toProfileEvent, type ProfileEvent } from '../events/models/profile-event.model';
import { toTimelineEntry } from '../journeys/timeline-entry.mapper';
import type { TimelineEntry } from '../journeys/models/journey-instance-detail.model';
import type { OperatorAuditEntry } from '../operators/models/operator-audit.model';
import { toOperatorAuditEntry } from '../operators/operator-audit.mapper';
import { TIMELINE_KIND, type TimelineKind } from '../node/timeline-item.model';
import { toMessage } from '../profiles/message.mapper';
import type { Message } from '../profiles/models/profile.model';

/** An entity read as a timeline item: tagged with its kind, for `TimelineItem.resolveType`. */
export type TimelineEntity = (ProfileEvent | Message | TimelineEntry | OperatorAuditEntry) & { [TIMELINE_KIND]: TimelineKind };

/**
 * A stored timeline row as the entity it is (ProfileEvent, Message, TimelineEntry, OperatorAuditEntry), made by
 * the same mapper as everywhere else, so that its global id is the one node(id:) and the entity's own lists give.
 */
export function toTimelineItem(row: TimelineRow): TimelineEntity {
  const data = row.data;
  const date = (value: unknown): Date => new Date(value as string);
  let entity: ProfileEvent | Message | TimelineEntry | OperatorAuditEntry;
  switch (row.kind) {
    case 'EVENT':
      entity = toProfileEvent({
        id: row.id,
        userId: data['userId'] as string,
        messageId: data['messageId'] as string,
        type: data['type'] as string,
        name: (data['name'] as string | null) ?? null,
        properties: (data['properties'] as Record<string, unknown>) ?? {},
        traits: (data['traits'] as Record<string, unknown> | null) ?? null,
        timestamp: row.at,
        receivedAt: date(data['receivedAt']),
      });
      break;
    case 'JOURNEY_STEP':
      entity = toTimelineEntry({ ...(data as unknown as Omit<JournalEntryRow, 'id' | 'at'>), id: row.id, at: row.at });
      break;
    case 'MESSAGE':
      entity = toMessage({
        ...(data as unknown as Omit<MessageEntity, 'id' | 'createdAt' | 'updatedAt'>),
        id: row.id,
        providerId: (data['providerId'] as string | null) ?? null,
        errorCode: (data['errorCode'] as number | null) ?? null,
        errorMessage: (data['errorMessage'] as string | null) ?? null,
        createdAt: row.at,
        updatedAt: date(data['updatedAt']),
      } as MessageEntity);
      break;
    case 'OPERATOR_ACTION':
      entity = toOperatorAuditEntry({
        id: row.id,
        actorKeyId: (data['actorKeyId'] as string | null) ?? null,
        actorName: data['actor'] as string,
        action: data['action'] as OperatorAuditRow['action'],
        target: data['target'] as string,
        instanceId: (data['instanceId'] as string | null) ?? null,
        runId: (data['runId'] as string | null) ?? null,
        customerId: (data['customerId'] as string | null) ?? null,
        input: (data['input'] as Record<string, unknown>) ?? {},
        outcome: data['outcome'] as OperatorAuditRow['outcome'],
        message: (data['message'] as string | null) ?? null,
        at: row.at,
      });
      break;
  }
  return Object.assign(entity, { [TIMELINE_KIND]: row.kind as TimelineKind });
}
