import { Injectable } from '@nestjs/common';
import { CustomerTimelineStore, type ApiKeyPrincipal, type TimelineKind as StoredKind } from '@continuum/data';
import { decodePosition, encodePosition, isExactUtcTime, validateFirst, validateWindow } from '../common/relay-pagination';
import { TimelineKind, TimelineOrder, type TimelineConnection } from './models/timeline.model';
import { toTimelineItem } from './timeline-item.mapper';

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
    const edges = page.rows.map((row) => ({ cursor: encodePosition({ at: row.position, kind: row.kind, id: row.id }), node: toTimelineItem(row) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
