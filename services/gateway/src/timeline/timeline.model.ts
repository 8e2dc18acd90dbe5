import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from '../common/models/page-info.model';
import { totalCountResolver } from '../common/connection';
import { TimelineItem } from '../node/timeline-item.model';

export enum TimelineOrder {
  NEWEST_FIRST = 'NEWEST_FIRST',
  OLDEST_FIRST = 'OLDEST_FIRST',
}
registerEnumType(TimelineOrder, {
  name: 'TimelineOrder',
  description: 'The order of timeline items by time',
  valuesMap: {
    NEWEST_FIRST: { description: 'Latest item first' },
    OLDEST_FIRST: { description: 'Earliest item first' },
  },
});

@ObjectType({ description: 'A timeline item and its cursor' })
export class TimelineEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => TimelineItem, { description: 'The timeline item' })
  node!: TimelineItem;
}

@ObjectType({ description: "A page of a customer's timeline" })
export class TimelineConnection {
  @Field(() => [TimelineEdge], { description: 'The items of the page, each with its cursor' })
  edges!: TimelineEdge[];

  @Field(() => [TimelineItem], { description: 'The items of the edges, in the same order, for a client that needs no cursors' })
  nodes!: TimelineItem[];

  @Field(() => PageInfo, { description: 'Cursors and whether more pages follow' })
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const TimelineConnectionTotalCount = totalCountResolver(TimelineConnection, 'Items of the time line in the from/to window, on every page');
