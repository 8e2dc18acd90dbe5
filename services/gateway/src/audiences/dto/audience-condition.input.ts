import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { ChannelName } from '../../common/models/channel.model';
import { ConsentStatusName, IdentityKindName } from '../../profiles/identity/identity.models';

@InputType({ isOneOf: true, description: 'A trait value compared with: exactly one of string, number or boolean' })
export class TraitValueInput {
  @Field(() => String, { nullable: true, description: 'A string value' })
  string?: string | null;

  @Field(() => Float, { nullable: true, description: 'A number value' })
  number?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'A boolean value' })
  boolean?: boolean | null;
}

@InputType({ description: 'A trait compared with one operator: give name and exactly one of eq, neq, in, exists, gt, gte, lt, lte' })
export class TraitConditionInput {
  @Field({ description: 'A trait name (plan) or dotted path (address.city); country, locale and timezone read the profile\'s own' })
  name!: string;

  @Field(() => TraitValueInput, { nullable: true, description: 'The trait equals this value' })
  eq?: TraitValueInput | null;

  @Field(() => TraitValueInput, { nullable: true, description: 'The trait is absent or differs from this value' })
  neq?: TraitValueInput | null;

  @Field(() => [TraitValueInput], { nullable: true, description: 'The trait equals one of these values (at least one)' })
  in?: TraitValueInput[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the trait is set; false: it is not' })
  exists?: boolean | null;

  @Field(() => Float, { nullable: true, description: 'The trait is a number above this' })
  gt?: number | null;

  @Field(() => Float, { nullable: true, description: 'The trait is a number at or above this' })
  gte?: number | null;

  @Field(() => Float, { nullable: true, description: 'The trait is a number below this' })
  lt?: number | null;

  @Field(() => Float, { nullable: true, description: 'The trait is a number at or below this' })
  lte?: number | null;
}

@InputType({ description: 'How many times the customer sent a track event, by event time' })
export class EventConditionInput {
  @Field({ description: 'The track event name, e.g. "Order Completed"' })
  name!: string;

  @Field(() => Int, { nullable: true, description: 'At least this many (default 1; 0 with atMost)' })
  atLeast?: number | null;

  @Field(() => Int, { nullable: true, description: 'At most this many (default: no upper bound)' })
  atMost?: number | null;

  @Field(() => String, { nullable: true, description: 'Only events within this long before now, e.g. "90 days" (default: all time)' })
  within?: string | null;
}

@InputType({ description: "The customer's consent choice for one channel and purpose" })
export class ConsentConditionInput {
  @Field(() => ChannelName, { description: 'The channel (SMS, WHATSAPP, RCS, EMAIL or IN_APP; consent for MMS is the consent for SMS)' })
  channel!: ChannelName;

  @Field(() => String, { nullable: true, description: 'The purpose (default marketing)' })
  purpose?: string | null;

  @Field(() => ConsentStatusName, { description: 'The choice on record (UNKNOWN: none)' })
  status!: ConsentStatusName;
}

@InputType({
  isOneOf: true,
  description:
    'An audience definition: exactly one condition, combined with all / any / not (at most 8 levels deep, 50 conditions in all), e.g. { all: [{ trait: { name: "country", eq: { string: "BR" } } }, { event: { name: "Order Completed", atLeast: 2, within: "90 days" } }, { not: { event: { name: "Churned" } } }] }',
})
export class AudienceConditionInput {
  @Field(() => [AudienceConditionInput], { nullable: true, description: 'Every one of these conditions (at least one)' })
  all?: AudienceConditionInput[] | null;

  @Field(() => [AudienceConditionInput], { nullable: true, description: 'Any one of these conditions (at least one)' })
  any?: AudienceConditionInput[] | null;

  @Field(() => AudienceConditionInput, { nullable: true, description: 'Not this condition' })
  not?: AudienceConditionInput | null;

  @Field(() => TraitConditionInput, { nullable: true, description: 'A trait compared with a value' })
  trait?: TraitConditionInput | null;

  @Field(() => EventConditionInput, { nullable: true, description: 'A count of track events, optionally within a time window' })
  event?: EventConditionInput | null;

  @Field(() => ConsentConditionInput, { nullable: true, description: 'A consent choice' })
  consent?: ConsentConditionInput | null;

  @Field(() => IdentityKindName, { nullable: true, description: 'The customer has an identity of this kind' })
  identity?: IdentityKindName | null;
}
