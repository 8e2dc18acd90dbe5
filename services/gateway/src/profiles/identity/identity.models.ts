import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { ChannelName } from '../../common/models/channel.model';

export enum ConsentStatusName {
  SUBSCRIBED = 'subscribed',
  UNSUBSCRIBED = 'unsubscribed',
  UNKNOWN = 'unknown',
}
registerEnumType(ConsentStatusName, {
  name: 'ConsentStatus',
  description: 'UNKNOWN: the customer never chose (or the choice was forgotten)',
  valuesMap: {
    SUBSCRIBED: { description: 'The customer agreed to receive messages' },
    UNSUBSCRIBED: { description: 'The customer refused or opted out' },
    UNKNOWN: { description: 'No choice on record' },
  },
});

export enum IdentityKindName {
  USER_ID = 'user_id',
  ANONYMOUS_ID = 'anonymous_id',
  EMAIL = 'email',
  PHONE = 'phone',
  WHATSAPP = 'whatsapp',
}
registerEnumType(IdentityKindName, {
  name: 'IdentityKind',
  description: 'What an identity value is',
  valuesMap: {
    USER_ID: { description: 'The id the workspace knows the customer by' },
    ANONYMOUS_ID: { description: 'An id from before the customer identified, e.g. a device id' },
    EMAIL: { description: 'An email address' },
    PHONE: { description: 'A phone number in E.164' },
    WHATSAPP: { description: 'A WhatsApp number in E.164' },
  },
});

@ObjectType({ description: 'One way the customer is known: a userId, anonymousId, email, phone (E.164) or WhatsApp number' })
export class Identity {
  @Field(() => IdentityKindName, { description: 'What the value is' })
  kind!: IdentityKindName;

  @Field({ description: 'The id, address or number' })
  value!: string;

  @Field({ description: 'What recorded it: event, traits, identify, alias, migration' })
  source!: string;

  @Field(() => GraphQLISODateTime, { description: 'When it was first recorded for this customer' })
  firstSeenAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When it was last seen for this customer' })
  lastSeenAt!: Date;
}

@ObjectType({ description: "The customer's choice for one channel and purpose" })
export class Consent {
  @Field(() => ChannelName, { description: 'The channel the choice applies to' })
  channel!: ChannelName;

  @Field({ description: 'e.g. marketing, transactional' })
  purpose!: string;

  @Field(() => ConsentStatusName, { description: 'The choice' })
  status!: ConsentStatusName;

  @Field({ description: 'traits, api, inbound:STOP, provider:21610, …' })
  source!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the customer made this choice' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A change of consent, as it was recorded (newest first)' })
export class ConsentChange extends Consent {
  @Field(() => ID, { description: 'Id of the change' })
  id!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Context of the change, e.g. the API key or inbound message; null when none' })
  detail!: Record<string, unknown> | null;
}

@ObjectType({ description: 'Another customer (usually an anonymous visitor) merged into this one' })
export class ProfileMergeRecord {
  @Field(() => ID, { description: 'Id of the merge' })
  id!: string;

  @Field({ description: 'The customer id merged away, e.g. anon:<anonymousId>' })
  fromCustomer!: string;

  @Field({ description: 'identify or alias' })
  reason!: string;

  @Field(() => String, { nullable: true, description: 'The event that caused it' })
  messageId!: string | null;

  @Field(() => JSONObjectScalar, { description: 'What moved: events, journeyInstances, messages, identities, consents, …' })
  moved!: Record<string, number>;

  @Field(() => GraphQLISODateTime, { description: 'When the merge happened' })
  mergedAt!: Date;
}

@InputType({ description: "A customer's consent for one channel and purpose" })
export class SetConsentInput {
  @Field({ description: 'The customer; NOT_FOUND when unknown' })
  userId!: string;

  @Field(() => ChannelName, { description: 'The channel the choice applies to; MMS is recorded as SMS' })
  channel!: ChannelName;

  @Field({ nullable: true, defaultValue: 'marketing', description: 'Lower-case letters, digits, "-" or "_"; default marketing' })
  purpose?: string;

  @Field(() => ConsentStatusName, { description: 'The choice' })
  status!: ConsentStatusName;

  @Field({ nullable: true, description: 'Where the choice was made, recorded as api:<source> (e.g. "preference-center")' })
  source?: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the customer chose (default now); an older choice never replaces a newer one' })
  timestamp?: Date;
}
