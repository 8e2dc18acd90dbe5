import { Inject, Injectable, Logger } from '@nestjs/common';
import { journeyStateQuery } from '@continuum/contracts';
import { JournalStore, type ApiKeyPrincipal } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { toJourneyInstance } from '../common/journey-instance.mapper';
import type { JourneyInstanceDetail, JourneyLiveState } from './models/journey-instance-detail.model';

/** One instance as the journal records it, plus its live state while it runs. */
@Injectable()
export class JourneyInstanceDetailService {
  private readonly logger = new Logger(JourneyInstanceDetailService.name);

  constructor(
    private readonly journal: JournalStore,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
  ) {}

  async get(principal: ApiKeyPrincipal, id: string, runId?: string): Promise<JourneyInstanceDetail | null> {
    const instance = await this.journal.getInstance(principal.workspaceId, id, runId);
    if (!instance) return null;
    const entries = await this.journal.listEntries(instance.instanceId, instance.runId);
    return {
      ...toJourneyInstance(instance),
      customerId: instance.customerId,
      timeline: entries.map(({ runId, seq, type, step, at, detail }) => ({ runId, seq, type, step, at, detail })),
      live: instance.status === 'active' ? await this.live(instance.instanceId) : null,
    };
  }

  private async live(workflowId: string): Promise<JourneyLiveState | null> {
    try {
      const state = await this.temporal.client.workflow.getHandle(workflowId).query(journeyStateQuery);
      return { ...state, eventsAccepted: state.eventsAccepted ?? 0, continuedAsNew: state.continuedAsNew ?? 0 };
    } catch (error) {
      // No worker reachable, or the instance just ended: the journal still answers.
      this.logger.warn(`live state of ${workflowId} unavailable: ${(error as Error).message}`);
      return null;
    }
  }
}
