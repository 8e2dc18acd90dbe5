import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { ChannelName } from '../../common/models/channel.model';
import { MessageStatusName } from '../../common/models/message-status.model';
import { Node } from '../../node/node.model';
import { TimelineItem } from '../../node/timeline-item.model';

@ObjectType({ description: 'A message sent (or attempted) to a customer: one row of the outbox', implements: () => [Node, TimelineItem] })
// `id` comes from Node (local id: the outbox row's uuid); `instance` and `customer` are resolved fields; `at` (createdAt) and `kind` come from TimelineItem.
export class Message {
  /** The outbox row's uuid: the local id of the global id. */
  messageRowId!: string;
  /** The customer's userId, for `customer`. */
  customerId!: string;
  /** The workflow id and run of the sender, for `instance` (a journey instance, a broadcast, a transactional send). */
  instanceId!: string;
  runId!: string;

  @Field(() => ChannelName, { description: 'The channel it went out on' })
  channel!: ChannelName;

  @Field({ description: 'The address it was sent to (phone number, email address, …)' })
  to!: string;

  @Field({ description: 'The rendered text that was sent' })
  body!: string;

  @Field(() => MessageStatusName, { description: 'Where it stands' })
  status!: MessageStatusName;

  @Field({ description: 'The step of the sender that sent it (a journey step; `<step>#retry-<n>` for an operator re-send)' })
  step!: string;

  @Field(() => String, { nullable: true, description: 'Provider message id (e.g. a Twilio SID); null until handed to the provider' })
  providerId!: string | null;

  @Field(() => Int, { nullable: true, description: "The provider's error code when it failed or was undelivered; null otherwise" })
  errorCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why it failed, when it did; null otherwise' })
  errorMessage!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the message entered the outbox' })
  createdAt!: Date;
}

@ObjectType({ description: 'One customer of the workspace', implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the userId; the lists are resolved fields (connections).
export class Profile {
  @Field({
    description:
      'The key the workspace knows the customer by, as people type it: the userId of identify/track calls, or `anon:<anonymousId>` for a customer known only by an anonymousId',
  })
  userId!: string;

  @Field(() => JSONObjectScalar, { description: "The customer's traits, merged from every call that set them" })
  traits!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'E.164 phone number from the phone trait; null when none' })
  phone!: string | null;

  @Field(() => String, { nullable: true, description: 'Email address from the email trait, lower case; null when none' })
  email!: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone (timezone trait, else the event context), used for local-time waits and quiet hours; null when unknown' })
  timezone!: string | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 locale, e.g. pt-BR (locale trait, else the event context), used to pick templates; null when unknown' })
  locale!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country (country or address.country trait), used for channel defaults; null when unknown' })
  country!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the profile was created (the first call about the customer)' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When its traits or identities last changed' })
  updatedAt!: Date;
}
