import { Args, GraphQLISODateTime, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { Profile } from '../profiles/models/profile.model';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { TimelineConnection, TimelineOrder } from './timeline.model';
import type { TimelineEntity } from './timeline-item.mapper';
import { ProfileTimelineService } from './profile-timeline.service';

@Resolver(() => Profile)
export class ProfileTimelineResolver {
  constructor(private readonly timelines: ProfileTimelineService) {}

  @ResolveField(() => TimelineConnection, {
    description: "The customer's events, journey steps, messages (current status) and operator actions in one time line, newest first by default",
  })
  timeline(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Parent() profile: Profile,
    @Args() page: ConnectionArgs,
    @Args('from', { type: () => GraphQLISODateTime, nullable: true, description: 'Only items at or after this time' }) from: Date | null,
    @Args('to', { type: () => GraphQLISODateTime, nullable: true, description: 'Only items before this time' }) to: Date | null,
    @Args('order', { type: () => TimelineOrder, defaultValue: TimelineOrder.NEWEST_FIRST, description: 'By time; default NEWEST_FIRST' }) order: TimelineOrder,
  ): Promise<ConnectionPage<TimelineEntity>> {
    return this.timelines.page(principal, profile.userId, { ...page, from, to, order });
  }
}
