import type { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { payloadOf } from '../common/user-error';
import { Journey } from '../journeys/models/journey.model';
import { JourneysService } from '../journeys/journeys.service';
import { localIdOf } from '../node/global-id';
import { NodeRegistry } from '../node/node-registry';
import { Audience } from './audience.models';
import {
  Broadcast,
  BroadcastConnection,
  BroadcastRun,
  BroadcastRunConnection,
  BroadcastSchedule,
  CancelBroadcastInput,
  CancelBroadcastPayload,
  CreateBroadcastInput,
  CreateBroadcastPayload,
  PauseBroadcastInput,
  PauseBroadcastPayload,
  ResumeBroadcastInput,
  ResumeBroadcastPayload,
} from './broadcast.models';
import { BROADCAST_TYPE, BroadcastsService } from './broadcasts.service';
import { RequiresScope } from '../auth/requires-scope';

@Resolver(() => Broadcast)
export class BroadcastsResolver implements OnModuleInit {
  constructor(
    private readonly service: BroadcastsService,
    private readonly journeys: JourneysService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({ type: Broadcast, localId: (broadcast) => broadcast.broadcastId, load: (principal, ids) => this.service.getByIds(principal, ids) });
    this.nodes.register({ type: BroadcastRun, localId: (run) => run.runId, load: (principal, ids) => this.service.runsByIds(principal, ids) });
  }

  @RequiresScope('operate')
  @Mutation(() => CreateBroadcastPayload, {
    description:
      "Sends a template to (or starts a journey for) every member of an audience, once now or on a schedule (a Temporal Schedule in a time zone), at ratePerSecond, with each member's consent, frequency caps and quiet hours applied (skips are counted by reason). Run by the worker; progress per run in broadcast(id). User errors: INVALID naming the input field, NOT_FOUND for an unknown audience or journey, FAILED_PRECONDITION for a journey that takes no entries.",
  })
  createBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'What to broadcast (a template or a journey), to which audience, when and how fast' }) input: CreateBroadcastInput): Promise<CreateBroadcastPayload> {
    return payloadOf('broadcast', () => this.service.create(principal, input));
  }

  @RequiresScope('operate')
  @Mutation(() => PauseBroadcastPayload, {
    description:
      'Pauses a broadcast: its schedule, and the run in flight (whose batch under way stops at its next member). User errors: NOT_FOUND, FAILED_PRECONDITION for a completed or cancelled broadcast.',
  })
  pauseBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The broadcast to pause' }) input: PauseBroadcastInput): Promise<PauseBroadcastPayload> {
    return payloadOf('broadcast', () => this.service.control(principal, input.id, 'pause'));
  }

  @RequiresScope('operate')
  @Mutation(() => ResumeBroadcastPayload, {
    description: 'Resumes a paused broadcast: its schedule, and the run in flight where it stopped. User errors: NOT_FOUND, FAILED_PRECONDITION for a completed or cancelled broadcast.',
  })
  resumeBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The broadcast to resume' }) input: ResumeBroadcastInput): Promise<ResumeBroadcastPayload> {
    return payloadOf('broadcast', () => this.service.control(principal, input.id, 'resume'));
  }

  @RequiresScope('operate')
  @Mutation(() => CancelBroadcastPayload, {
    description:
      'Cancels a broadcast: its schedule is deleted and the run in flight stops; members not reached yet get nothing. User errors: NOT_FOUND, FAILED_PRECONDITION for a completed or cancelled broadcast.',
  })
  cancelBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The broadcast to cancel' }) input: CancelBroadcastInput): Promise<CancelBroadcastPayload> {
    return payloadOf('broadcast', () => this.service.control(principal, input.id, 'cancel'));
  }

  @RequiresScope('read')
  @Query(() => Broadcast, { nullable: true, description: 'A broadcast with its counts and runs; null when there is no broadcast of that id in the workspace' })
  broadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID, description: 'Global id of the broadcast' }) id: string): Promise<Broadcast | null> {
    return this.service.get(principal, localIdOf(id, BROADCAST_TYPE, 'id'));
  }

  @RequiresScope('read')
  @Query(() => BroadcastConnection, { description: "The workspace's broadcasts, the newest first" })
  broadcasts(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args() page: ConnectionArgs): Promise<ConnectionPage<Broadcast>> {
    return this.service.list(principal, page);
  }

  @ResolveField(() => Audience, { description: 'The audience whose members it reaches (an audience cannot be deleted while a broadcast names it)' })
  async audience(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() broadcast: Broadcast): Promise<Audience> {
    return (await this.nodes.loadOne<Audience>(principal, 'Audience', broadcast.audienceId))!;
  }

  @ResolveField(() => Journey, { nullable: true, description: 'Journey broadcasts: the journey each member enters; null for a template broadcast, or when the journey has left the catalogue' })
  async journey(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() broadcast: Broadcast): Promise<Journey | null> {
    return broadcast.journeyId ? this.journeys.get(principal, broadcast.journeyId) : null;
  }

  @ResolveField(() => BroadcastSchedule, { nullable: true, description: 'Recurring broadcasts: the schedule and its next runs; null for a one-off broadcast' })
  schedule(@Parent() broadcast: Broadcast): Promise<BroadcastSchedule | null> {
    return this.service.schedule(broadcast);
  }

  @ResolveField(() => BroadcastRunConnection, { description: 'Its runs, the latest first' })
  runs(@Parent() broadcast: Broadcast, @Args() page: ConnectionArgs): Promise<ConnectionPage<BroadcastRun>> {
    return this.service.runs(broadcast, page);
  }
}

/** The broadcast a run belongs to. */
@Resolver(() => BroadcastRun)
export class BroadcastRunResolver {
  constructor(private readonly nodes: NodeRegistry) {}

  @ResolveField(() => Broadcast, { description: 'The broadcast it is a run of' })
  async broadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() run: BroadcastRun): Promise<Broadcast> {
    return (await this.nodes.loadOne<Broadcast>(principal, 'Broadcast', run.broadcastId))!;
  }
}
