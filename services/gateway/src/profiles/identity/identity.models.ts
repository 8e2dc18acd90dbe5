import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

export enum ChannelName {
  SMS = 'sms',
  WHATSAPP = 'whatsapp',
  RCS = 'rcs',
  EMAIL = 'email',
  IN_APP = 'in_app',
}
registerEnumType(ChannelName, { name: 'Channel', description: 'A channel Continuum reaches customers on' });

export enum ConsentStatusName {
  SUBSCRIBED = 'subscribed',
  UNSUBSCRIBED = 'unsubscribed',
  UNKNOWN = 'unknown',
}
registerEnumType(ConsentStatusName, { name: 'ConsentStatus', description: 'UNKNOWN: the customer never chose (or the choice was forgotten)' });

export enum IdentityKindName {
  USER_ID = 'user_id',
  ANONYMOUS_ID = 'anonymous_id',
  EMAIL = 'email',
  PHONE = 'phone',
  WHATSAPP = 'whatsapp',
}
registerEnumType(IdentityKindName, { name: 'IdentityKind' });

@ObjectType({ description: 'One way the customer is known: a userId, anonymousId, email, phone (E.164) or WhatsApp number' })
export class Identity {
  @Field(() => IdentityKindName)
  kind!: IdentityKindName;

  @Field()
  value!: string;

  @Field({ description: 'What recorded it: event, traits, identify, alias, migration' })
  source!: string;

  @Field(() => GraphQLISODateTime)
  firstSeenAt!: Date;

  @Field(() => GraphQLISODateTime)
  lastSeenAt!: Date;
}

@ObjectType({ description: "The customer's choice for one channel and purpose" })
export class Consent {
  @Field(() => ChannelName)
  channel!: ChannelName;

  @Field({ description: 'e.g. marketing, transactional' })
  purpose!: string;

  @Field(() => ConsentStatusName)
  status!: ConsentStatusName;

  @Field({ description: 'traits, api, inbound:STOP, provider:21610, …' })
  source!: string;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@ObjectType({ description: 'A change of consent, as it was recorded (newest first)' })
export class ConsentChange extends Consent {
  @Field(() => ID)
  id!: string;

  @Field(() => JSONObjectScalar, { nullable: true })
  detail!: Record<string, unknown> | null;
}

@ObjectType({ description: 'Another customer (usually an anonymous visitor) merged into this one' })
export class ProfileMergeRecord {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The customer id merged away, e.g. anon:<anonymousId>' })
  fromCustomer!: string;

  @Field({ description: 'identify or alias' })
  reason!: string;

  @Field(() => String, { nullable: true, description: 'The event that caused it' })
  messageId!: string | null;

  @Field(() => JSONObjectScalar, { description: 'What moved: events, journeyInstances, messages, identities, consents, …' })
  moved!: Record<string, number>;

  @Field(() => GraphQLISODateTime)
  mergedAt!: Date;
}

@InputType()
export class SetConsentInput {
  @Field()
  userId!: string;

  @Field(() => ChannelName)
  channel!: ChannelName;

  @Field({ nullable: true, defaultValue: 'marketing', description: 'Lower-case letters, digits, "-" or "_"; default marketing' })
  purpose?: string;

  @Field(() => ConsentStatusName)
  status!: ConsentStatusName;

  @Field({ nullable: true, description: 'Where the choice was made, recorded as api:<source> (e.g. "preference-center")' })
  source?: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the customer chose (default now); an older choice never replaces a newer one' })
  timestamp?: Date;
}
