import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { TrackingCall } from '../../common/models/tracking-call.model';
import { Node } from '../../node/node.model';
import { TimelineItem } from '../../node/timeline-item.model';

@ObjectType({ description: 'An event the customer sent (track, identify, page, …)', implements: () => [Node, TimelineItem] })
// `id` comes from Node (local id: the events row's key); `customer` is a resolved field; `at` (its timestamp) and `kind` come from TimelineItem.
export class ProfileEvent {
  /** The events row's key: the local id of the global id. */
  eventRowId!: string;
  /** The customer's userId, for `customer`. */
  userId!: string;

  @Field({ description: 'The Segment messageId of the call: its deduplication id, given by the sender or generated' })
  messageId!: string;

  @Field(() => TrackingCall, { description: 'Which tracking call it was' })
  type!: TrackingCall;

  @Field(() => String, { nullable: true, description: 'The event name of a track call, the page or screen name of a page or screen call; null for other calls' })
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

/** The GraphQL view of a stored event row. */
export function toProfileEvent(row: {
  id: string;
  userId: string;
  messageId: string;
  type: string;
  name: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown> | null;
  timestamp: Date;
  receivedAt: Date;
}): ProfileEvent {
  const { id, type, ...rest } = row;
  return { ...rest, eventRowId: id, type: type as TrackingCall };
}
