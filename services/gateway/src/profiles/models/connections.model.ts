import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { totalCountResolver } from '../../common/connection';
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

  @Field(() => [ProfileEvent], { description: 'The events of the edges, in the same order, for a client that needs no cursors' })
  nodes!: ProfileEvent[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const ProfileEventConnectionTotalCount = totalCountResolver(ProfileEventConnection, 'Events matching the filters, on every page');

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

  @Field(() => [Profile], { description: 'The profiles of the edges, in the same order, for a client that needs no cursors' })
  nodes!: Profile[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const ProfileConnectionTotalCount = totalCountResolver(ProfileConnection, 'Profiles matching the query, on every page');
