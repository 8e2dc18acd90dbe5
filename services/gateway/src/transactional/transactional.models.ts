import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { ChannelName } from '../common/models/channel.model';

export enum TransactionalStatusName {
  PENDING = 'pending',
  SENT = 'sent',
  FAILED = 'failed',
  SKIPPED = 'skipped',
}
registerEnumType(TransactionalStatusName, {
  name: 'TransactionalStatus',
  description: 'PENDING until the worker has sent it; then SENT (the provider accepted it; see deliveryStatus), FAILED or SKIPPED (with the reason)',
  valuesMap: {
    PENDING: { description: 'Accepted; the worker has not sent it yet' },
    SENT: { description: 'The provider accepted it; deliveryStatus follows what became of it' },
    FAILED: { description: 'Sending failed; reason says why' },
    SKIPPED: { description: 'Not sent (for example no address for the channel); reason says why' },
  },
});

@InputType({ description: 'A transactional message to one customer (a receipt, a one-time code)' })
export class SendMessageInput {
  @Field({ description: 'The customer (a userId of the workspace)' })
  userId!: string;

  @Field({ description: 'Your key for this message: the same key never sends twice (1–200 characters)' })
  idempotencyKey!: string;

  @Field({ description: 'A published template for the channel, rendered against { data, profile } at send time' })
  template!: string;

  @Field(() => ChannelName, { defaultValue: ChannelName.SMS, description: 'The channel to send on; the template must have a version for it' })
  channel!: ChannelName;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'What the template reads as `data` (e.g. { code: "123456" })' })
  data?: Record<string, unknown>;

  @Field({ nullable: true, description: "Template locale (default: the profile's, with fallback)" })
  locale?: string;

  @Field({ nullable: true, description: "Address (default: the customer's for the channel)" })
  to?: string;

  @Field({ nullable: true, description: 'Email subject (required for EMAIL)' })
  subject?: string;

  @Field({ nullable: true, description: 'In-app title' })
  title?: string;
}

@ObjectType({ description: 'A transactional message: bypasses marketing consent, frequency caps and quiet hours; sent once per idempotency key' })
export class TransactionalMessageModel {
  @Field(() => ID, { description: 'Id of the transactional message (transactionalMessage(id:) finds it)' })
  id!: string;

  @Field({ description: 'The key the caller sent it with; the same key never sends twice' })
  idempotencyKey!: string;

  @Field({ description: 'The customer it is for' })
  userId!: string;

  @Field(() => ChannelName, { description: 'The channel it is sent on' })
  channel!: ChannelName;

  @Field({ description: 'Name of the template it is rendered from' })
  template!: string;

  @Field(() => TransactionalStatusName, { description: 'Where sending stands' })
  status!: TransactionalStatusName;

  @Field(() => String, { nullable: true, description: 'Why it failed or was skipped' })
  reason!: string | null;

  @Field(() => ID, { nullable: true, description: 'The outbox message (profile.messages), once sent' })
  messageId!: string | null;

  @Field(() => String, { nullable: true, description: "The provider's latest status of the message: queued, sent, delivered, read, undelivered, failed" })
  deliveryStatus!: string | null;

  @Field({ description: 'True when this idempotency key was seen before: nothing new was sent' })
  duplicate!: boolean;

  @Field(() => GraphQLISODateTime, { description: 'When it was accepted' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When its status last changed' })
  updatedAt!: Date;
}
