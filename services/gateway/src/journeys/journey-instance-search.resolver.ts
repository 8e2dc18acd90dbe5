import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { JourneyInstanceFilterInput } from './dto/journey-instance-filter.input';
import { JourneyInstanceSearchService } from './journey-instance-search.service';
import { JourneyInstanceConnection } from './models/journey-instance-connection.model';

@Resolver()
export class JourneyInstanceSearchResolver {
  constructor(private readonly instances: JourneyInstanceSearchService) {}

  @Query(() => JourneyInstanceConnection, { description: "Journey instances of the caller's workspace matching the filter, newest entries first" })
  journeyInstances(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('filter', { type: () => JourneyInstanceFilterInput, nullable: true }) filter: JourneyInstanceFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 20, description: '1 to 100' }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<JourneyInstanceConnection> {
    return this.instances.search(principal, filter, { first, after });
  }
}
