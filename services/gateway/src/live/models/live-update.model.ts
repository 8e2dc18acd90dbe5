import { Field, ObjectType } from '@nestjs/graphql';
import { TimelineEntry } from '../../journeys/models/journey-instance-detail.model';
import { TimelineItem } from '../../node/timeline-item.model';
import type { TimelineEntity } from '../../timeline/timeline-item.mapper';

export const CURSOR_DESCRIPTION = 'Where this item stands in the subscription: pass it as `after` to resume right after it (kept for 7 days)';

@ObjectType({ description: 'An entry of a journey instance\'s journal, with its cursor (journeyInstanceUpdates)' })
export class JourneyInstanceUpdate {
  @Field({ description: CURSOR_DESCRIPTION })
  cursor!: string;

  @Field(() => TimelineEntry, { description: 'The journal entry' })
  entry!: TimelineEntry;
}

@ObjectType({ description: "An item of a customer's activity, with its cursor (customerActivity)" })
export class CustomerActivityUpdate {
  @Field({ description: CURSOR_DESCRIPTION })
  cursor!: string;

  @Field(() => TimelineItem, { description: 'The event, journal step or message, as it is when the update is sent (a message once per change of status)' })
  item!: TimelineEntity;
}
