import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MessageChannelName } from '../transactional/transactional.models';

export enum BroadcastStatusName {
  RUNNING = 'running',
  PAUSED = 'paused',
  CANCELLED = 'cancelled',
  COMPLETED = 'completed',
}
registerEnumType(BroadcastStatusName, { name: 'BroadcastStatus' });

@InputType({ description: 'A template sent to every member of an audience, once' })
export class CreateBroadcastInput {
  @Field()
  name!: string;

  @Field({ description: 'The audience (its current members, read page by page as the broadcast goes)' })
  audience!: string;

  @Field({ description: 'A published template for the channel, rendered per member against { profile, broadcast }' })
  template!: string;

  @Field(() => MessageChannelName, { defaultValue: MessageChannelName.SMS })
  channel!: MessageChannelName;

  @Field(() => Float, { description: 'Messages per second for this broadcast (the sender rate still applies)' })
  ratePerSecond!: number;
}

@ObjectType()
export class SkipCount {
  @Field({ description: 'no-consent, quiet-hours, frequency-cap, no-address, …' })
  reason!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'A broadcast and how far it got' })
export class BroadcastModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  audience!: string;

  @Field()
  template!: string;

  @Field(() => MessageChannelName)
  channel!: MessageChannelName;

  @Field(() => Float)
  ratePerSecond!: number;

  @Field(() => BroadcastStatusName)
  status!: BroadcastStatusName;

  @Field(() => Int, { description: 'Members reached so far (each once)' })
  enrolled!: number;

  @Field(() => Int)
  sent!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => [SkipCount])
  skipped!: SkipCount[];

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}
