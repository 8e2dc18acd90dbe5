import { Field, GraphQLISODateTime, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { ChannelName } from '../../common/models/channel.model';
import { PayloadType } from '../../common/user-error';
import { Node } from '../../node/node.model';
import { connectionTypes } from '../../common/connection-types';
import { Profile } from '../models/profile.model';

export enum ConsentStatusName {
  SUBSCRIBED = 'subscribed',
  UNSUBSCRIBED = 'unsubscribed',
  PENDING = 'pending',
  UNKNOWN = 'unknown',
}
registerEnumType(ConsentStatusName, {
  name: 'ConsentStatus',
  description: 'UNKNOWN: the customer never chose (or the choice was forgotten)',
  valuesMap: {
    SUBSCRIBED: { description: 'The customer agreed to receive messages' },
    UNSUBSCRIBED: { description: 'The customer refused or opted out' },
    PENDING: { description: 'Granted where the policy asks for double opt-in: waits for the customer to confirm (reply YES); marketing sends are skipped until then' },
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

export enum MergeReasonName {
  IDENTIFY = 'identify',
  ALIAS = 'alias',
}
registerEnumType(MergeReasonName, {
  name: 'MergeReason',
  description: 'The call that made two customers one',
  valuesMap: {
    IDENTIFY: { description: 'An identify call with the anonymousId of an anonymous customer' },
    ALIAS: { description: 'An alias call naming the previous id of the customer' },
  },
});

@ObjectType({ description: 'One way the customer is known: a userId, anonymousId, email, phone (E.164) or WhatsApp number', implements: () => [Node] })
// `id` comes from Node (local id: the customer, kind and value).
export class Identity {
  /** The customer's userId: part of the local id. */
  customerId!: string;

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

@ObjectType({ description: 'A change of consent, as it was recorded', implements: () => [Node] })
// `id` comes from Node (local id: the consent_changes row's key).
export class ConsentChange extends Consent {
  /** The consent_changes row's key: the local id of the global id. */
  changeRowId!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Context of the change, e.g. the API key or inbound message; null when none' })
  detail!: Record<string, unknown> | null;
}

@ObjectType({ description: 'Another customer (usually an anonymous visitor) merged into this one', implements: () => [Node] })
// `id` comes from Node (local id: the profile_merges row's key); `customer` is a resolved field.
export class ProfileMergeRecord {
  /** The profile_merges row's key: the local id of the global id. */
  mergeRowId!: string;
  /** The userId of the customer merged into, for `customer`. */
  intoUserId!: string;

  @Field({ description: 'The userId of the customer merged away (gone since), e.g. anon:<anonymousId>' })
  fromUserId!: string;

  @Field(() => MergeReasonName, { description: 'The call that caused it' })
  reason!: MergeReasonName;

  @Field(() => String, { nullable: true, description: 'The Segment messageId of the identify or alias call that caused it; null when not recorded' })
  messageId!: string | null;

  @Field(() => JSONObjectScalar, { description: 'How many of each moved: events, journeyInstances, messages, identities, consents, …' })
  moved!: Record<string, number>;

  @Field(() => GraphQLISODateTime, { description: 'When the merge happened' })
  mergedAt!: Date;
}

export const IdentityConnectionTypes = connectionTypes('Identity', () => Identity, {
  item: 'An identity of the customer',
  page: "A page of a customer's identities, by kind then value",
  total: "The customer's identities, on every page",
});
export const IdentityConnection = IdentityConnectionTypes.Connection;

export const ConsentChangeConnectionTypes = connectionTypes('ConsentChange', () => ConsentChange, {
  item: 'A consent change',
  page: "A page of a customer's consent changes, newest first",
  total: "The customer's consent changes, on every page",
});
export const ConsentChangeConnection = ConsentChangeConnectionTypes.Connection;

export const ProfileMergeRecordConnectionTypes = connectionTypes('ProfileMergeRecord', () => ProfileMergeRecord, {
  item: 'A merge into the customer',
  page: 'A page of the customers merged into this one, oldest first',
  total: 'Merges into the customer, on every page',
});
export const ProfileMergeRecordConnection = ProfileMergeRecordConnectionTypes.Connection;

@InputType({ description: "A customer's consent for one channel and purpose" })
export class SetConsentInput {
  @Field({ description: 'The customer (userId); NOT_FOUND when unknown' })
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

@ObjectType({ description: 'The outcome of setConsent' })
export class SetConsentPayload extends PayloadType('profile', () => Profile, 'The customer, whose `consent` now includes the choice (unless an older timestamp lost to a newer choice); null when userErrors is not empty') {}
