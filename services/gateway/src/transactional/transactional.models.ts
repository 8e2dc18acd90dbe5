import { Field, GraphQLISODateTime, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { ChannelName } from '../common/models/channel.model';
import { PayloadType } from '../common/user-error';
import { Node } from '../node/node.model';

export enum TransactionalStatusName {
  PENDING = 'pending',
  SENT = 'sent',
  FAILED = 'failed',
  SKIPPED = 'skipped',
}
registerEnumType(TransactionalStatusName, {
  name: 'TransactionalStatus',
  description: 'PENDING until the worker has sent it; then SENT (the provider accepted it; see message.status), FAILED or SKIPPED (with the reason)',
  valuesMap: {
    PENDING: { description: 'Accepted; the worker has not sent it yet' },
    SENT: { description: 'The provider accepted it; message.status follows what became of it' },
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

  @Field(() => ChannelName, { nullable: true, defaultValue: ChannelName.SMS, description: 'The channel to send on (default SMS); the template must have a version for it' })
  channel?: ChannelName | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'What the template reads as `data` (e.g. { code: "123456" }); omitted: {}' })
  data?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: "Template locale; omitted: the profile's, with fallback" })
  locale?: string | null;

  @Field(() => String, { nullable: true, description: "Address; omitted: the customer's for the channel" })
  to?: string | null;

  @Field(() => String, { nullable: true, description: 'Email subject (required for EMAIL)' })
  subject?: string | null;

  @Field(() => String, { nullable: true, description: 'In-app title' })
  title?: string | null;
}

@ObjectType({
  description: 'A transactional message: bypasses marketing consent, frequency caps and quiet hours; sent once per idempotency key',
  implements: () => [Node],
})
// `id` comes from Node; its local id is the transactional_messages row's UUID (`transactionalId`).
export class TransactionalMessage {
  /** The row's UUID: the local id of the global `id` (not a GraphQL field). */
  transactionalId!: string;

  /** The outbox message's id once sent (not a GraphQL field: see `message`). */
  messageId!: string | null;

  @Field({ description: 'The key the caller sent it with; the same key never sends twice' })
  idempotencyKey!: string;

  @Field({ description: 'The customer it is for (see customer)' })
  userId!: string;

  @Field(() => ChannelName, { description: 'The channel it is sent on' })
  channel!: ChannelName;

  @Field({ description: 'Name of the template it is rendered from' })
  template!: string;

  @Field(() => TransactionalStatusName, { description: 'Where sending stands' })
  status!: TransactionalStatusName;

  @Field(() => String, { nullable: true, description: 'Why it failed or was skipped; null while PENDING and when SENT' })
  reason!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was accepted' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When its status last changed' })
  updatedAt!: Date;
}

@ObjectType({ description: 'What sendMessage did: the message recorded under the idempotency key' })
export class SendMessagePayload extends PayloadType(
  'transactionalMessage',
  () => TransactionalMessage,
  'The message recorded under the idempotency key (the earlier one when duplicate); null when userErrors is not empty',
) {
  @Field(() => Boolean, { nullable: true, description: 'True when this idempotency key was seen before and nothing new was sent; null when userErrors is not empty' })
  duplicate!: boolean | null;
}
