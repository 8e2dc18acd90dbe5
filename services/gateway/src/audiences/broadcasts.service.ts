import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { GatewayConfig } from '@continuum/config';
import { BROADCAST_RUN_WORKFLOW, broadcastControlSignal, type BroadcastRunInput } from '@continuum/contracts';
import { AudienceStore, BroadcastStore, TemplateStore, type ApiKeyPrincipal, type Broadcast } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { requireTemplateFor } from '../templates/require-template';
import { MessageChannelName } from '../transactional/transactional.models';
import type { BroadcastModel, BroadcastStatusName, CreateBroadcastInput } from './broadcast.models';

const MAX_RATE = 1000;

/** Broadcasts: recorded, then run by the worker's `broadcastRun` workflow (`broadcast/<id>`), controlled by signal. */
@Injectable()
export class BroadcastsService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly broadcasts: BroadcastStore,
    private readonly audiences: AudienceStore,
    private readonly templates: TemplateStore,
  ) {}

  async create(principal: ApiKeyPrincipal, input: CreateBroadcastInput): Promise<BroadcastModel> {
    const name = input.name?.trim() ?? '';
    if (name === '' || name.length > 200) throw GatewayException.badInput('name', 'must be 1 to 200 characters');
    if (!(input.ratePerSecond > 0 && input.ratePerSecond <= MAX_RATE)) throw GatewayException.badInput('ratePerSecond', `must be above 0 and at most ${MAX_RATE}`);
    const audience = await this.audiences.get(principal.workspaceId, input.audience);
    if (!audience) throw new GatewayException(GatewayErrorCode.NotFound, `No audience "${input.audience}" in this workspace`, 'audience');
    const channel = input.channel ?? MessageChannelName.SMS;
    await requireTemplateFor(this.templates, principal.workspaceId, input.template, channel);
    const broadcast = await this.broadcasts.create(principal.workspaceId, { name, audienceId: audience.id, template: input.template, channel, ratePerSecond: input.ratePerSecond });
    // The run reads the broadcast when it opens.
    const args: BroadcastRunInput = { broadcastId: broadcast.id, workspaceId: principal.workspaceId };
    await this.temporal.client.workflow.start(BROADCAST_RUN_WORKFLOW, {
      workflowId: `broadcast/${broadcast.id}`,
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [args],
      staticSummary: `broadcast "${name}": ${input.template} to audience ${audience.name} at ${input.ratePerSecond}/s`,
    });
    return this.toModel(broadcast);
  }

  async get(principal: ApiKeyPrincipal, id: string): Promise<BroadcastModel | null> {
    const broadcast = await this.broadcasts.get(principal.workspaceId, id);
    return broadcast ? this.toModel(broadcast) : null;
  }

  async list(principal: ApiKeyPrincipal): Promise<BroadcastModel[]> {
    return Promise.all((await this.broadcasts.list(principal.workspaceId)).map((broadcast) => this.toModel(broadcast)));
  }

  /** Pause, resume or cancel: a signal to the run (the batch under way stops at its next member). */
  async control(principal: ApiKeyPrincipal, id: string, action: 'pause' | 'resume' | 'cancel'): Promise<BroadcastModel> {
    const broadcast = await this.broadcasts.get(principal.workspaceId, id);
    if (!broadcast) throw new GatewayException(GatewayErrorCode.NotFound, `No broadcast "${id}" in this workspace`, 'id');
    if (broadcast.status === 'completed' || broadcast.status === 'cancelled') {
      throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Broadcast "${id}" is ${broadcast.status}`, 'id');
    }
    try {
      await this.temporal.client.workflow.getHandle(`broadcast/${id}`).signal(broadcastControlSignal, { action });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Broadcast "${id}" is no longer running`, 'id');
      throw error;
    }
    // The run records the status itself; say what was asked for at once.
    await this.broadcasts.setStatus(id, action === 'pause' ? 'paused' : action === 'resume' ? 'running' : 'cancelled');
    return this.toModel((await this.broadcasts.get(principal.workspaceId, id))!);
  }

  private async toModel(broadcast: Broadcast): Promise<BroadcastModel> {
    const progress = await this.broadcasts.progress(broadcast.id);
    return {
      id: broadcast.id,
      name: broadcast.name,
      audience: broadcast.audience,
      template: broadcast.template ?? '',
      channel: broadcast.channel as MessageChannelName,
      ratePerSecond: broadcast.ratePerSecond,
      status: broadcast.status as BroadcastStatusName,
      ...progress,
      createdAt: broadcast.createdAt,
    };
  }
}
