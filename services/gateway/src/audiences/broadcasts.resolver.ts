import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { payloadOf } from '../common/user-error';
import {
  BroadcastModel,
  CancelBroadcastInput,
  CancelBroadcastPayload,
  CreateBroadcastInput,
  CreateBroadcastPayload,
  PauseBroadcastInput,
  PauseBroadcastPayload,
  ResumeBroadcastInput,
  ResumeBroadcastPayload,
} from './broadcast.models';
import { BroadcastsService } from './broadcasts.service';

@Resolver(() => BroadcastModel)
export class BroadcastsResolver {
  constructor(private readonly service: BroadcastsService) {}

  @Mutation(() => CreateBroadcastPayload, {
    description:
      "Sends a template to (or starts a journey for) every member of an audience, once now or on a schedule (a Temporal Schedule in a time zone), at ratePerSecond, with each member's consent, frequency caps and quiet hours applied (skips are counted by reason). Run by the worker; progress per run in broadcast(id). User errors: INVALID naming the input field, NOT_FOUND for an unknown audience or journey, FAILED_PRECONDITION for a journey that takes no entries.",
  })
  createBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'What to broadcast (a template or a journey), to which audience, when and how fast' }) input: CreateBroadcastInput): Promise<CreateBroadcastPayload> {
    return payloadOf('broadcast', () => this.service.create(principal, input));
  }

  @Mutation(() => PauseBroadcastPayload, {
    description:
      'Pauses a broadcast: its schedule, and the run in flight (whose batch under way stops at its next member). User errors: NOT_FOUND, FAILED_PRECONDITION for a completed or cancelled broadcast.',
  })
  pauseBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The broadcast to pause' }) input: PauseBroadcastInput): Promise<PauseBroadcastPayload> {
    return payloadOf('broadcast', () => this.service.control(principal, input.id, 'pause'));
  }

  @Mutation(() => ResumeBroadcastPayload, {
    description: 'Resumes a paused broadcast: its schedule, and the run in flight where it stopped. User errors: NOT_FOUND, FAILED_PRECONDITION for a completed or cancelled broadcast.',
  })
  resumeBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The broadcast to resume' }) input: ResumeBroadcastInput): Promise<ResumeBroadcastPayload> {
    return payloadOf('broadcast', () => this.service.control(principal, input.id, 'resume'));
  }

  @Mutation(() => CancelBroadcastPayload, {
    description:
      'Cancels a broadcast: its schedule is deleted and the run in flight stops; members not reached yet get nothing. User errors: NOT_FOUND, FAILED_PRECONDITION for a completed or cancelled broadcast.',
  })
  cancelBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The broadcast to cancel' }) input: CancelBroadcastInput): Promise<CancelBroadcastPayload> {
    return payloadOf('broadcast', () => this.service.control(principal, input.id, 'cancel'));
  }

  @Query(() => BroadcastModel, { nullable: true, description: 'A broadcast with its counts and runs; null when there is no broadcast of that id in the workspace' })
  broadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID, description: 'Id of the broadcast' }) id: string): Promise<BroadcastModel | null> {
    return this.service.get(principal, id);
  }

  @Query(() => [BroadcastModel], { description: "The workspace's broadcasts, the newest first" })
  broadcasts(@CurrentPrincipal() principal: ApiKeyPrincipal): Promise<BroadcastModel[]> {
    return this.service.list(principal);
  }
}
