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
      "Sends a template to every member of an audience once, at ratePerSecond, with each member's consent, frequency caps and quiet hours applied (skips are counted by reason). Run by the worker; progress in broadcast(id).",
  })
  createBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input') input: CreateBroadcastInput): Promise<BroadcastModel> {
    return this.service.create(principal, input);
  }

  @Mutation(() => BroadcastModel, { description: 'Pauses a running broadcast (the batch under way stops at its next member)' })
  pauseBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID }) id: string): Promise<BroadcastModel> {
    return this.service.control(principal, id, 'pause');
  }

  @Mutation(() => BroadcastModel, { description: 'Resumes a paused broadcast where it stopped' })
  resumeBroadcast(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID }) id: string): Promise<BroadcastModel> {
    return this.service.control(principal, id, 'resume');
  }

  @Mutation(() => BroadcastModel, { description: 'Cancels a broadcast; members not reached yet get nothing' })
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
