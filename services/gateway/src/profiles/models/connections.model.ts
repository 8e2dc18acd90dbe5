import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { PageInfo } from '../../common/models/page-info.model';
import { Profile } from './profile.model';

@ObjectType({ description: 'An event the customer sent (track, identify, page, …)' })
export class ProfileEvent {
  @Field()
  messageId!: string;

  @Field({ description: 'track, identify, page, screen, group or alias' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'The event name of a track call' })
  name!: string | null;

  @Field(() => JSONObjectScalar)
  properties!: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { nullable: true })
  traits!: Record<string, unknown> | null;

  @Field(() => GraphQLISODateTime)
  timestamp!: Date;

  @Field(() => GraphQLISODateTime)
  receivedAt!: Date;
}

@ObjectType()
export class ProfileEventEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => ProfileEvent)
  node!: ProfileEvent;
}

@ObjectType({ description: "A page of a customer's events, newest first" })
export class ProfileEventConnection {
  @Field(() => [ProfileEventEdge])
  edges!: ProfileEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Events matching the filters, on every page' })
  totalCount!: number;
}

@ObjectType()
export class ProfileEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => Profile)
  node!: Profile;
}

@ObjectType({ description: 'A page of profiles, ordered by userId' })
export class ProfileConnection {
  @Field(() => [ProfileEdge])
  edges!: ProfileEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Profiles matching the query, on every page' })
  totalCount!: number;
}
