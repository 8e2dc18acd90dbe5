import { Injectable } from '@nestjs/common';
import { CustomerTimelineStore, type ApiKeyPrincipal, type TimelineKind as StoredKind } from '@continuum/data';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { decodePosition, encodePosition, isExactUtcTime, validateWindow } from '../common/relay-pagination';
import { TimelineKind } from '../node/timeline-item.model';
import { TimelineOrder } from './timeline.model';
import { toTimelineItem, type TimelineEntity } from './timeline-item.mapper';

const KINDS = new Set<string>(Object.values(TimelineKind));

/** A customer's events, journey steps, messages and operator actions as one paged time line. */
@Injectable()
export class ProfileTimelineService {
  constructor(private readonly timeline: CustomerTimelineStore) {}

  async page(
    principal: ApiKeyPrincipal,
    userId: string,
    args: PageArgs & { from?: Date | null; to?: Date | null; order: TimelineOrder },
  ): Promise<ConnectionPage<TimelineEntity>> {
    const request = pageRequest(args, (cursor, argument) => {
      const p = decodePosition(cursor, ['at', 'kind', 'id'] as const, (q) => isExactUtcTime(q.at) && KINDS.has(q.kind), argument);
      return { at: p.at, kind: p.kind as StoredKind, id: p.id };
    });
    validateWindow('from', args.from, 'to', args.to);
    const window = { ...(args.from ? { from: args.from } : {}), ...(args.to ? { to: args.to } : {}) };
    const page = await this.timeline.page(principal.workspaceId, userId, {
      ...request,
      ...window,
      order: args.order === TimelineOrder.OLDEST_FIRST ? 'oldest' : 'newest',
    });
    return pageOf(
      page.rows,
      request,
      (row) => ({ cursor: encodePosition({ at: row.position, kind: row.kind, id: row.id }), node: toTimelineItem(row) }),
      () => this.timeline.count(principal.workspaceId, userId, window),
    );
  }
}
