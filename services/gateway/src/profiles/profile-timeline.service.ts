import { Injectable } from '@nestjs/common';
import { CustomerTimelineStore, type ApiKeyPrincipal, type TimelineKind as StoredKind, type TimelineRow } from '@continuum/data';
import { decodePosition, encodePosition, isExactUtcTime, validateFirst, validateWindow } from '../common/relay-pagination';
import { TimelineKind, TimelineOrder, type TimelineConnection, type TimelineItem } from './models/timeline.model';

const KINDS = new Set<string>(Object.values(TimelineKind));

/** A customer's events, journey steps, messages and operator actions as one paged time line. */
@Injectable()
export class ProfileTimelineService {
  constructor(private readonly timeline: CustomerTimelineStore) {}

  async page(
    principal: ApiKeyPrincipal,
    userId: string,
    args: { first: number; after?: string | null; from?: Date | null; to?: Date | null; order: TimelineOrder },
  ): Promise<TimelineConnection> {
    const first = validateFirst(args.first);
    validateWindow('from', args.from, 'to', args.to);
    const after =
      args.after == null ? undefined : decodePosition(args.after, ['at', 'kind', 'id'] as const, (p) => isExactUtcTime(p.at) && KINDS.has(p.kind));
    const page = await this.timeline.page(principal.workspaceId, userId, {
      first,
      order: args.order === TimelineOrder.OLDEST_FIRST ? 'oldest' : 'newest',
      ...(after ? { after: { at: after.at, kind: after.kind as StoredKind, id: after.id } } : {}),
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
    });
    const edges = page.rows.map((row) => ({ cursor: encodePosition({ at: row.position, kind: row.kind, id: row.id }), node: toItem(row) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

function toItem(row: TimelineRow): TimelineItem {
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
