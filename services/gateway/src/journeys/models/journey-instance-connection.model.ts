import { Field, ObjectType } from '@nestjs/graphql';
import { totalCountResolver } from '../../common/connection';
import { PageInfo } from '../../common/models/page-info.model';
import { JourneyInstance } from '../../common/models/journey-instance.model';

@ObjectType({ description: 'A journey instance and its cursor' })
export class JourneyInstanceEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => JourneyInstance, { description: 'The instance' })
  node!: JourneyInstance;
}

@ObjectType({ description: 'A page of journey instances, newest entries first' })
export class JourneyInstanceConnection {
  @Field(() => [JourneyInstanceEdge], { description: 'The instances of the page, each with its cursor' })
  edges!: JourneyInstanceEdge[];

  @Field(() => [JourneyInstance], { description: 'The instances of the edges, in the same order, for a client that needs no cursors' })
  nodes!: JourneyInstance[];

  @Field(() => PageInfo, { description: 'Cursors and whether more pages follow' })
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const JourneyInstanceConnectionTotalCount = totalCountResolver(JourneyInstanceConnection, 'Instances matching the filter, on every page');
