import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
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

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Instances matching the filter, on every page' })
  totalCount!: number;
}
