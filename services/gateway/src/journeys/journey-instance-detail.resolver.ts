import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { JourneyInstanceDetailService } from './journey-instance-detail.service';
import { JourneyInstanceDetail } from './models/journey-instance-detail.model';

@Resolver(() => JourneyInstanceDetail)
export class JourneyInstanceDetailResolver {
  constructor(private readonly instances: JourneyInstanceDetailService) {}

  @Query(() => JourneyInstanceDetail, {
    nullable: true,
    description: 'An instance by workflow id (the latest run unless runId is given): its timeline and live state',
  })
  journeyInstance(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, description: 'Workflow id, journey/<journeyId>/<customer>/<key>' }) id: string,
    @Args('runId', { type: () => String, nullable: true, description: 'A run of the instance; default: the latest run' }) runId?: string,
  ): Promise<JourneyInstanceDetail | null> {
    return this.instances.get(principal, id, runId ?? undefined);
  }
}
