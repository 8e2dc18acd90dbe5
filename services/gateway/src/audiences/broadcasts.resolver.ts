import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { BroadcastModel, CreateBroadcastInput } from './broadcast.models';
import { BroadcastsService } from './broadcasts.service';

@Resolver(() => BroadcastModel)
export class BroadcastsResolver {
  constructor(private readonly service: BroadcastsService) {}

  @Mutation(() => BroadcastModel, {
    description:
      "Sends a template to (or starts a journey for) every member of an audience, once now or on a schedule (a Temporal Schedule in a time zone), at ratePerSecond, with each member's consent, frequency caps and quiet hours applied (skips are counted by reason). Run by the worker; progress per run in broadcast(id).",
  })
  createBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input') input: CreateBroadcastInput): Promise<BroadcastModel> {
    return this.service.create(principal, input);
  }

  @Mutation(() => BroadcastModel, { description: 'Pauses a broadcast: its schedule, and the run in flight (whose batch under way stops at its next member)' })
  pauseBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID }) id: string): Promise<BroadcastModel> {
    return this.service.control(principal, id, 'pause');
  }

  @Mutation(() => BroadcastModel, { description: 'Resumes a paused broadcast: its schedule, and the run in flight where it stopped' })
  resumeBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID }) id: string): Promise<BroadcastModel> {
    return this.service.control(principal, id, 'resume');
  }

  @Mutation(() => BroadcastModel, { description: 'Cancels a broadcast: its schedule is deleted and the run in flight stops; members not reached yet get nothing' })
  cancelBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID }) id: string): Promise<BroadcastModel> {
    return this.service.control(principal, id, 'cancel');
  }

  @Query(() => BroadcastModel, { nullable: true })
  broadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID }) id: string): Promise<BroadcastModel | null> {
    return this.service.get(principal, id);
  }

  @Query(() => [BroadcastModel])
  broadcasts(@CurrentPrincipal() principal: ApiKeyPrincipal): Promise<BroadcastModel[]> {
    return this.service.list(principal);
  }
}
