import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { totalCountResolver } from '../../common/connection';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { PageInfo } from '../../common/models/page-info.model';
import { Profile } from './profile.model';

@ObjectType({ description: 'An event the customer sent (track, identify, page, …)' })
export class ProfileEvent {
  @Field({ description: 'Deduplication id of the event' })
  messageId!: string;

  @Field({ description: 'track, identify, page, screen, group or alias' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'The event name of a track call' })
  name!: string | null;

  @Field(() => JSONObjectScalar, { description: 'The properties sent with the event; {} when none' })
  properties!: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The traits sent with the event; null when none were' })
  traits!: Record<string, unknown> | null;

  @Field(() => GraphQLISODateTime, { description: 'When the event happened, as the sender gave it' })
  timestamp!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the gateway accepted it' })
  receivedAt!: Date;
}

@ObjectType({ description: 'An event and its cursor' })
export class ProfileEventEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => ProfileEvent, { description: 'The event' })
  node!: ProfileEvent;
}

@ObjectType({ description: "A page of a customer's events, newest first" })
export class ProfileEventConnection {
  @Field(() => [ProfileEventEdge], { description: 'The events of the page, each with its cursor' })
  edges!: ProfileEventEdge[];

  @Field(() => [ProfileEvent], { description: 'The events of the edges, in the same order, for a client that needs no cursors' })
  nodes!: ProfileEvent[];

  @Field(() => PageInfo, { description: 'Cursors and whether more pages follow' })
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const ProfileEventConnectionTotalCount = totalCountResolver(ProfileEventConnection, 'Events matching the filters, on every page');

@ObjectType({ description: 'A profile and its cursor' })
export class ProfileEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => Profile, { description: 'The profile' })
  node!: Profile;
}

@ObjectType({ description: 'A page of profiles, ordered by userId' })
export class ProfileConnection {
  @Field(() => [ProfileEdge], { description: 'The profiles of the page, each with its cursor' })
  edges!: ProfileEdge[];

  @Field(() => [Profile], { description: 'The profiles of the edges, in the same order, for a client that needs no cursors' })
  nodes!: Profile[];

  @Field(() => PageInfo, { description: 'Cursors and whether more pages follow' })
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const ProfileConnectionTotalCount = totalCountResolver(ProfileConnection, 'Profiles matching the query, on every page');
