import { Injectable } from '@nestjs/common';
import { JourneyInstanceSearchStore, type ApiKeyPrincipal, type JourneyInstanceFilter } from '@continuum/data';
import { GatewayException } from '../common/gateway-exception';
import { decodePosition, encodePosition, isExactUtcTime, validateFirst, validateWindow } from '../common/relay-pagination';
import type { JourneyInstanceFilterInput } from './dto/journey-instance-filter.input';
import { toJourneyInstance } from '../common/journey-instance.mapper';
import type { JourneyInstanceConnection } from './models/journey-instance-connection.model';

const STATUSES = ['active', 'completed', 'exited'] as const;

/** Journey instances across customers and journeys, for journey teams and operators. */
@Injectable()
export class JourneyInstanceSearchService {
  constructor(private readonly store: JourneyInstanceSearchStore) {}

  async search(principal: ApiKeyPrincipal, input: JourneyInstanceFilterInput | null, args: { first: number; after?: string | null }): Promise<JourneyInstanceConnection> {
    const first = validateFirst(args.first);
    const filter = this.filterOf(input ?? {});
    const after = args.after == null ? undefined : decodePosition(args.after, ['startedAt', 'instanceId', 'runId'] as const, (p) => isExactUtcTime(p.startedAt));
    const page = await this.store.search(principal.workspaceId, filter, { first, ...(after ? { after } : {}) });
    const edges = page.instances.map((row) => ({
      cursor: encodePosition({ startedAt: row.position, instanceId: row.instanceId, runId: row.runId }),
      node: { ...toJourneyInstance(row), customerId: row.customerId, updatedAt: row.updatedAt },
    }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
  }

  private filterOf(input: JourneyInstanceFilterInput): JourneyInstanceFilter {
    const filter: JourneyInstanceFilter = {};
    if (input.status != null) {
      if (!(STATUSES as readonly string[]).includes(input.status)) {
        throw GatewayException.badInput('filter.status', `must be one of ${STATUSES.join(', ')}, got "${input.status}"`);
      }
      filter.status = input.status as JourneyInstanceFilter['status'];
    }
    validateWindow('filter.enteredAfter', input.enteredAfter, 'filter.enteredBefore', input.enteredBefore);
    if (input.journeyId != null) filter.journeyId = input.journeyId;
    if (input.step != null) filter.step = input.step;
    if (input.customerId != null) filter.customerId = input.customerId;
    if (input.key != null) filter.key = input.key;
    if (input.enteredAfter != null) filter.enteredAfter = input.enteredAfter;
    if (input.enteredBefore != null) filter.enteredBefore = input.enteredBefore;
    return filter;
  }
}
