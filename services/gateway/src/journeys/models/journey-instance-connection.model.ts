import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { totalCountResolver } from '../../common/connection';
import { PageInfo } from '../../common/models/page-info.model';
import { JourneyInstance } from '../../common/models/journey-instance.model';

@ObjectType({ description: 'A journey instance of any customer, as the journal last left it' })
export class JourneyInstanceSummary extends JourneyInstance {
  @Field()
  customerId!: string;

  @Field(() => GraphQLISODateTime, { description: 'Last journaled step' })
  updatedAt!: Date;
}

@ObjectType()
export class JourneyInstanceEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => JourneyInstanceSummary)
  node!: JourneyInstanceSummary;
}

@ObjectType({ description: 'A page of journey instances, newest entries first' })
export class JourneyInstanceConnection {
  @Field(() => [JourneyInstanceEdge])
  edges!: JourneyInstanceEdge[];

  @Field(() => [JourneyInstanceSummary], { description: 'The instances of the edges, in the same order, for a client that needs no cursors' })
  nodes!: JourneyInstanceSummary[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const JourneyInstanceConnectionTotalCount = totalCountResolver(JourneyInstanceConnection, 'Instances matching the filter, on every page');
