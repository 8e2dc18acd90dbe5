import { GraphQLISODateTime, Info, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { TIMELINE_KIND_OF_TYPE, TimelineItem, TimelineKind } from '../node/timeline-item.model';

/** `at` and `kind` of every entity that is a timeline item, wherever it was read (a timeline, node(id:), a list of its own). */
@Resolver(() => TimelineItem)
export class TimelineItemResolver {
  @ResolveField(() => GraphQLISODateTime, {
    description:
      'When it happened: the timestamp of an event, the journal time of a journal entry, the creation of a message, the time of an operator action',
  })
  at(@Parent() item: { at?: Date; timestamp?: Date; createdAt?: Date }, @Info() info: GraphQLResolveInfo): Date {
    switch (TIMELINE_KIND_OF_TYPE[info.parentType.name]) {
      case TimelineKind.EVENT:
        return item.timestamp!;
      case TimelineKind.MESSAGE:
        return item.createdAt!;
      default:
        return item.at!;
    }
  }

  @ResolveField(() => TimelineKind, { description: 'Which item type this is' })
  kind(@Info() info: GraphQLResolveInfo): TimelineKind {
    const kind = TIMELINE_KIND_OF_TYPE[info.parentType.name];
    if (!kind) throw new Error(`${info.parentType.name} is not a timeline item type`);
    return kind;
  }
}
