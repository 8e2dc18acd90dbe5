import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { JourneyInstance } from '../../common/models/journey-instance.model';
import { Node } from '../../node/node.model';

@ObjectType({ description: 'A message sent to this customer' })
export class Message {
  @Field(() => ID, { description: 'Outbox message id' })
  id!: string;

  @Field({ description: 'sms, mms, whatsapp, rcs, email or in_app' })
  channel!: string;

  @Field({ description: 'The address it was sent to (phone number, email address, …)' })
  to!: string;

  @Field({ description: 'The rendered text that was sent' })
  body!: string;

  @Field({ description: 'pending, queued, sent, delivered, undelivered or failed' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'Provider message id (Twilio SID)' })
  providerId!: string | null;

  @Field(() => Int, { nullable: true, description: "The provider's error code when it failed or was undelivered; null otherwise" })
  errorCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Workflow id of the journey instance that sent it; null when no journey did' })
  journeyInstanceId!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the message entered the outbox' })
  createdAt!: Date;
}

@ObjectType({ description: 'One customer of the workspace', implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the userId.
export class Profile {
  @Field({ description: 'The id the workspace knows the customer by' })
  userId!: string;

  @Field(() => JSONObjectScalar, { description: "The customer's traits, merged from every call that set them" })
  traits!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'E.164 phone number from the phone trait' })
  phone!: string | null;

  @Field(() => String, { nullable: true, description: 'Email address from the email trait' })
  email!: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone (timezone trait, else the event context), used for local-time waits and quiet hours' })
  timezone!: string | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 locale, e.g. pt-BR (locale trait, else the event context), used to pick templates' })
  locale!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country (country or address.country trait), used for channel defaults' })
  country!: string | null;

  @Field(() => [JourneyInstance], { description: "The customer's journey instances, running and ended" })
  journeyInstances!: JourneyInstance[];

  @Field(() => [Message], { description: 'Messages sent to the customer' })
  messages!: Message[];
}
