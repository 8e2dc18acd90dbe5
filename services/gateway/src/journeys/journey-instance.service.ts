import { Inject, Injectable, Logger } from '@nestjs/common';
import { journeyStateQuery } from '@continuum/contracts';
import { JournalStore, type ApiKeyPrincipal } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { toJourneyInstance } from '../common/journey-instance.mapper';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { decodePosition, encodePosition } from '../common/relay-pagination';
import { JourneyInstanceStatus, type JourneyInstance } from '../common/models/journey-instance.model';
import type { JourneyInstanceKey } from '../node/journey-instance-id';
import type { JourneyLiveState, TimelineEntry } from './models/journey-instance-detail.model';
import { toTimelineEntry } from './timeline-entry.mapper';

/** Journey instances (runs) as the journal records them, their journal, and their live state while they run. */
@Injectable()
export class JourneyInstanceService {
  private readonly logger = new Logger(JourneyInstanceService.name);

  constructor(
    private readonly journal: JournalStore,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
  ) {}

  /** The runs named by `keys` in the caller's workspace, in the same order; null where none. */
  async runs(principal: ApiKeyPrincipal, keys: readonly JourneyInstanceKey[]): Promise<Array<JourneyInstance | null>> {
    const found = await this.journal.getRuns(principal.workspaceId, keys);
    return found.map((row) => (row ? toJourneyInstance(row) : null));
  }

  /** The latest run of the workflow `workflowId` in the caller's workspace; null when none. */
  async latestRun(principal: ApiKeyPrincipal, workflowId: string): Promise<JourneyInstance | null> {
    const found = await this.journal.getInstance(principal.workspaceId, workflowId);
    return found ? toJourneyInstance(found) : null;
  }

  /** Journal entries of the caller's workspace by id, in the same order; null where none. */
  async entries(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<TimelineEntry | null>> {
    return (await this.journal.getEntries(principal.workspaceId, ids)).map((row) => (row ? toTimelineEntry(row) : null));
  }

  /** A page of the run's journal, oldest first; a cursor holds a seq. */
  async timeline(instance: JourneyInstance, args: PageArgs): Promise<ConnectionPage<TimelineEntry>> {
    const request = pageRequest(args, (cursor, argument) => Number(decodePosition(cursor, ['seq'] as const, (p) => /^(0|[1-9]\d{0,8})$/.test(p.seq), argument).seq));
    const rows = await this.journal.pageEntries(instance.workflowId, instance.runId, request);
    return pageOf(
      rows,
      request,
      (row) => ({ cursor: encodePosition({ seq: String(row.seq) }), node: toTimelineEntry(row) }),
      () => this.journal.countEntries(instance.workflowId, instance.runId),
    );
  }

  /** Where the run stands now, from a workflow query; null once it has ended or when no worker answers. */
  async live(instance: JourneyInstance): Promise<JourneyLiveState | null> {
    if (instance.status !== JourneyInstanceStatus.ACTIVE) return null;
    try {
      const state = await this.temporal.client.workflow.getHandle(instance.workflowId).query(journeyStateQuery);
      return { ...state, status: state.status as JourneyInstanceStatus, eventsAccepted: state.eventsAccepted ?? 0, continuedAsNew: state.continuedAsNew ?? 0 };
    } catch (error) {
      // No worker reachable, or the instance just ended: the journal still answers.
      this.logger.warn(`live state of ${instance.workflowId} unavailable: ${(error as Error).message}`);
      return null;
    }
  }
}
