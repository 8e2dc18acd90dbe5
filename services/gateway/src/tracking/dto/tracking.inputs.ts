import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { TrackingCall } from '../../common/models/tracking-call.model';

/** Segment's common fields; either userId or anonymousId is required. */
@InputType({ isAbstract: true })
abstract class SegmentCommonInput {
  @Field({ nullable: true, description: 'The customer; without it the profile is anon:<anonymousId>' })
  userId?: string;

  @Field({ nullable: true, description: 'An id for a customer not known yet, e.g. a device id; required when there is no userId' })
  anonymousId?: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it happened (default: now)' })
  timestamp?: Date;

  @Field({ nullable: true, description: 'Deduplication id (default: a new UUID); a repeated id is stored once' })
  messageId?: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Segment context, e.g. {"ip":"…","locale":"pt-BR"}' })
  context?: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Segment integrations settings, stored with the event as given' })
  integrations?: Record<string, unknown>;
}

@InputType({ description: 'A page view (Segment page)' })
export class PageInput extends SegmentCommonInput {
  @Field({ nullable: true, description: 'Page name, e.g. "Checkout"' })
  name?: string;

  @Field({ nullable: true, description: 'Page category, kept as properties.category unless properties has one' })
  category?: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'e.g. {"path":"/checkout","url":"https://…"}' })
  properties?: Record<string, unknown>;
}

@InputType({ description: 'A mobile screen view (Segment screen)' })
export class ScreenInput extends PageInput {}

@InputType({ description: 'The customer joins a group, e.g. an account (Segment group)' })
export class GroupInput extends SegmentCommonInput {
  @Field({ description: 'The group, e.g. an account id' })
  groupId!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: "The group's traits" })
  traits?: Record<string, unknown>;
}

@InputType({ description: 'Two identities of one customer (Segment alias); stored for identity resolution' })
export class AliasInput {
  @Field({ description: 'The new identity' })
  userId!: string;

  @Field({ description: 'The identity the customer had before, e.g. an anonymousId' })
  previousId!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it happened (default: now)' })
  timestamp?: Date;

  @Field({ nullable: true, description: 'Deduplication id (default: a new UUID); a repeated id is stored once' })
  messageId?: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Segment context, e.g. {"ip":"…","locale":"pt-BR"}' })
  context?: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Segment integrations settings, stored with the event as given' })
  integrations?: Record<string, unknown>;
}

@InputType({ description: 'One message of a batch: the fields of its call type' })
export class BatchEventInput extends SegmentCommonInput {
  @Field(() => TrackingCall, { description: 'Which call it is; decides which of the fields below apply' })
  type!: TrackingCall;

  @Field({ nullable: true, description: 'track: the event name' })
  event?: string;

  @Field({ nullable: true, description: 'page, screen: the name' })
  name?: string;

  @Field({ nullable: true, description: 'page, screen' })
  category?: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'track, page, screen' })
  properties?: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'identify, group' })
  traits?: Record<string, unknown>;

  @Field({ nullable: true, description: 'group' })
  groupId?: string;

  @Field({ nullable: true, description: 'alias' })
  previousId?: string;
}

@InputType({ description: 'Several messages at once (Segment batch): all are stored, in order, or none' })
export class BatchInput {
  @Field(() => [BatchEventInput], { description: 'The messages, in order (at most 32 KB each, 500 KB in all)' })
  batch!: BatchEventInput[];

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Context under every message' })
  context?: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { nullable: true, description: "Integrations settings under every message (a message's own keys win)" })
  integrations?: Record<string, unknown>;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "The sender's clock when sending: timestamps are corrected for its skew" })
  sentAt?: Date;
}
