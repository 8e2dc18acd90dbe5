import type { TimelineRow } from '@continuum/data';
import type { TimelineItem, TimelineKind } from './models/timeline.model';

/** A stored timeline row as the GraphQL item of its kind. */
export function toTimelineItem(row: TimelineRow): TimelineItem {
  const base = { id: row.id, at: row.at, kind: row.kind as TimelineKind };
  const data = row.data;
  switch (row.kind) {
    case 'EVENT':
      return { ...base, messageId: data['messageId'], type: data['type'], name: data['name'], properties: data['properties'], traits: data['traits'] } as TimelineItem;
    case 'JOURNEY_STEP':
      return {
        ...base,
        instanceId: data['instanceId'],
        runId: data['runId'],
        journeyId: data['journeyId'],
        seq: data['seq'],
        type: data['type'],
        step: data['step'],
        detail: data['detail'],
      } as TimelineItem;
    case 'MESSAGE':
      return {
        ...base,
        instanceId: data['instanceId'],
        step: data['step'],
        channel: data['channel'],
        to: data['to'],
        body: data['body'],
        status: data['status'],
        providerId: data['providerId'],
        errorCode: data['errorCode'],
        errorMessage: data['errorMessage'],
      } as TimelineItem;
    case 'OPERATOR_ACTION':
      return {
        ...base,
        action: data['action'],
        instanceId: data['instanceId'] ?? data['target'],
        actor: data['actor'],
        input: data['input'],
        outcome: data['outcome'],
        message: data['message'],
      } as TimelineItem;
  }
}
