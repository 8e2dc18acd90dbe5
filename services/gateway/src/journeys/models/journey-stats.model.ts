import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Exited instances with one exit reason' })
export class ExitReasonCount {
  @Field({ description: "The recorded reason (an exit event's name, archived, …); unknown when none was recorded" })
  reason!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Instances of the cohort that reached a step (journaled at it at least once)' })
export class StepCount {
  @Field()
  step!: string;

  @Field(() => Int)
  instances!: number;
}

@ObjectType({ description: "Outbox messages of the cohort on one channel, by status" })
export class ChannelMessageStats {
  @Field({ description: 'sms, whatsapp, rcs, email, in-app' })
  channel!: string;

  @Field(() => Int)
  total!: number;

  @Field(() => Int, { description: 'Not yet handed to the provider (pending, sending)' })
  pending!: number;

  @Field(() => Int, { description: 'Handed to the provider, no final receipt yet (queued, sent)' })
  inFlight!: number;

  @Field(() => Int)
  delivered!: number;

  @Field(() => Int)
  undelivered!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Float, { nullable: true, description: 'delivered / (total − pending); null when nothing was attempted' })
  deliveryRate!: number | null;

  @Field(() => Float, { nullable: true, description: '(failed + undelivered) / (total − pending); null when nothing was attempted' })
  failureRate!: number | null;
}

@ObjectType({ description: 'Instances whose customer did the goal event within the window after one of its sent messages' })
export class GoalConversion {
  @Field()
  event!: string;

  @Field({ description: 'The window as given, e.g. "7 days"' })
  within!: string;

  @Field(() => Int, { description: 'Instances of the cohort with at least one sent message' })
  messaged!: number;

  @Field(() => Int)
  converted!: number;

  @Field(() => Float, { nullable: true, description: 'converted / messaged; null when nothing was sent' })
  rate!: number | null;
}

@ObjectType({ description: 'Funnel of one journey: the instances that entered in [from, to), and what became of them' })
export class JourneyStats {
  @Field()
  journeyId!: string;

  @Field(() => Int, { nullable: true, description: 'Only instances that entered with this catalogue version' })
  version!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  from!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  to!: Date | null;

  @Field(() => Int)
  entered!: number;

  @Field(() => Int, { description: 'Still running' })
  active!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  exited!: number;

  @Field(() => [ExitReasonCount], { description: 'Most frequent first' })
  exitedByReason!: ExitReasonCount[];

  @Field(() => [StepCount], { description: 'Most reached first' })
  steps!: StepCount[];

  @Field(() => [ChannelMessageStats])
  messages!: ChannelMessageStats[];

  @Field(() => GoalConversion, { nullable: true, description: 'Given only when a goal was asked for' })
  conversion!: GoalConversion | null;
}
