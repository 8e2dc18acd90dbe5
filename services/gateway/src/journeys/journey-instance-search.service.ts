import { Injectable } from '@nestjs/common';
import { JourneyInstanceSearchStore, type ApiKeyPrincipal, type JourneyInstanceFilter } from '@continuum/data';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { decodePosition, encodePosition, isExactUtcTime, validateWindow } from '../common/relay-pagination';
import type { JourneyInstanceFilterInput } from './dto/journey-instance-filter.input';
import { toJourneyInstance } from '../common/journey-instance.mapper';
import type { JourneyInstance } from '../common/models/journey-instance.model';

/** Journey instances across customers and journeys, for journey teams and operators. */
@Injectable()
export class JourneyInstanceSearchService {
  constructor(private readonly store: JourneyInstanceSearchStore) {}

  /** A page of instances, newest entries first; a cursor holds the (startedAt, instanceId, runId) of an instance. */
  async search(principal: ApiKeyPrincipal, input: JourneyInstanceFilterInput | null, args: PageArgs): Promise<ConnectionPage<JourneyInstance>> {
    const request = pageRequest(args, (cursor, argument) => decodePosition(cursor, ['startedAt', 'instanceId', 'runId'] as const, (p) => isExactUtcTime(p.startedAt), argument));
    const filter = this.filterOf(input ?? {});
    const page = await this.store.search(principal.workspaceId, filter, request);
    return pageOf(
      page.instances,
      request,
      (row) => ({
        cursor: encodePosition({ startedAt: row.position, instanceId: row.instanceId, runId: row.runId }),
        node: toJourneyInstance(row),
      }),
      () => this.store.count(principal.workspaceId, filter),
    );
  }

  private filterOf(input: JourneyInstanceFilterInput): JourneyInstanceFilter {
    const filter: JourneyInstanceFilter = {};
    if (input.status != null) filter.status = input.status;
    validateWindow('filter.enteredAfter', input.enteredAfter, 'filter.enteredBefore', input.enteredBefore);
    if (input.journeyId != null) filter.journeyId = input.journeyId;
    if (input.step != null) filter.step = input.step;
    if (input.userId != null) filter.customerId = input.userId;
    if (input.key != null) filter.key = input.key;
    if (input.enteredAfter != null) filter.enteredAfter = input.enteredAfter;
    if (input.enteredBefore != null) filter.enteredBefore = input.enteredBefore;
    return filter;
  }
}
