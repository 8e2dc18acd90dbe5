import { Args, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { JourneyInstanceFilterInput } from './dto/journey-instance-filter.input';
import { JourneyInstanceSearchService } from './journey-instance-search.service';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { JourneyInstanceConnection } from './models/journey-instance-connection.model';
import type { JourneyInstance } from '../common/models/journey-instance.model';
import { RequiresScope } from '../auth/requires-scope';

@Resolver()
export class JourneyInstanceSearchResolver {
  constructor(private readonly instances: JourneyInstanceSearchService) {}

  @RequiresScope('read')
  @Query(() => JourneyInstanceConnection, { description: "Journey instances of the caller's workspace matching the filter, newest entries first" })
  journeyInstances(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('filter', { type: () => JourneyInstanceFilterInput, nullable: true, description: 'Criteria the instances must all match; none: every instance' }) filter: JourneyInstanceFilterInput | null,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<JourneyInstance>> {
    return this.instances.search(principal, filter, page);
  }
}
