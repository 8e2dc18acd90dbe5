import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { JourneyInstanceFilterInput } from './dto/journey-instance-filter.input';
import { JourneyInstanceListService } from './journey-instance-list.service';
import { JourneyInstanceConnection } from './models/journey-instance-connection.model';

@Resolver()
export class JourneyInstanceListResolver {
  constructor(private readonly instances: JourneyInstanceListService) {}

  @Query(() => JourneyInstanceConnection, { description: "Journey instances of the caller's workspace matching the filter, newest entries first" })
  journeyInstances(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('filter', { type: () => JourneyInstanceFilterInput, nullable: true }) filter: JourneyInstanceFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 20, description: '1 to 100' }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<JourneyInstanceConnection> {
    return this.instances.list(principal, filter, { first, after });
  }
}
