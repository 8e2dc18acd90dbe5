import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { JourneyInstance } from '../../common/models/journey-instance.model';

@ObjectType({ description: 'A message sent to this customer' })
export class Message {
  @Field(() => ID)
  id!: string;

  @Field()
  channel!: string;

  @Field()
  to!: string;

  @Field()
  body!: string;

  @Field({ description: 'pending, queued, sent, delivered, undelivered or failed' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'Provider message id (Twilio SID)' })
  providerId!: string | null;

  @Field(() => Int, { nullable: true })
  errorCode!: number | null;

  @Field(() => String, { nullable: true })
  journeyInstanceId!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({ description: 'One customer of the workspace' })
export class Profile {
  @Field()
  userId!: string;

  @Field(() => JSONObjectScalar)
  traits!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'E.164 phone number from the phone trait' })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone (timezone trait, else the event context), used for local-time waits and quiet hours' })
  timezone!: string | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 locale, e.g. pt-BR (locale trait, else the event context), used to pick templates' })
  locale!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country (country or address.country trait), used for channel defaults' })
  country!: string | null;

  @Field(() => [JourneyInstance])
  journeyInstances!: JourneyInstance[];

  @Field(() => [Message])
  messages!: Message[];
}
