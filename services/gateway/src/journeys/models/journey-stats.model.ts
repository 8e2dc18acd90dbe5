import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import type { JourneyGoal } from '@continuum/contracts';
import { ChannelName } from '../../common/models/channel.model';
import { ConversionGoal } from './experiment-results.model';

@ObjectType({ description: 'Exited instances with one exit reason' })
export class ExitReasonCount {
  @Field({ description: "The recorded reason (an exit event's name, archived, …); unknown when none was recorded" })
  reason!: string;

  @Field(() => Int, { description: 'Exited instances with this reason' })
  count!: number;
}

@ObjectType({ description: 'Instances of the cohort that reached a step (journaled at it at least once)' })
export class StepCount {
  @Field({ description: 'Step id in the journey graph' })
  step!: string;

  @Field(() => Int, { description: 'Instances that reached the step' })
  instances!: number;
}

@ObjectType({ description: "Outbox messages of the cohort on one channel, by status" })
export class ChannelMessageStats {
  @Field(() => ChannelName, { description: 'The channel' })
  channel!: ChannelName;

  @Field(() => Int, { description: 'All messages of the cohort on this channel' })
  total!: number;

  @Field(() => Int, { description: 'Not yet handed to the provider (pending, sending)' })
  pending!: number;

  @Field(() => Int, { description: 'Handed to the provider, no final receipt yet (queued, sent)' })
  inFlight!: number;

  @Field(() => Int, { description: 'The provider confirmed delivery' })
  delivered!: number;

  @Field(() => Int, { description: 'The provider reported it could not deliver' })
  undelivered!: number;

  @Field(() => Int, { description: 'Refused by the provider or failed before reaching it' })
  failed!: number;

  @Field(() => Float, { nullable: true, description: 'delivered / (total − pending); null when nothing was attempted' })
  deliveryRate!: number | null;

  @Field(() => Float, { nullable: true, description: '(failed + undelivered) / (total − pending); null when nothing was attempted' })
  failureRate!: number | null;
}

@ObjectType({ description: 'Instances whose customer did the goal event within the window after one of its sent messages' })
export class GoalConversion {
  @Field({ description: 'The goal event name, as given' })
  event!: string;

  @Field({ description: 'The window as given, e.g. "7 days"' })
  within!: string;

  @Field(() => Int, { description: 'Instances of the cohort with at least one sent message' })
  messaged!: number;

  @Field(() => Int, { description: 'Messaged instances whose customer did the goal event in the window' })
  converted!: number;

  @Field(() => Float, { nullable: true, description: 'converted / messaged; null when nothing was sent' })
  rate!: number | null;
}

@ObjectType({ description: "Instances of the cohort whose customer did the journey's declared goal event within its attribution window after entering" })
export class JourneyGoalConversion {
  @Field(() => ConversionGoal, { description: "The journey's declared goal (source JOURNEY)" })
  goal!: ConversionGoal;

  @Field(() => Int, { description: 'Instances of the cohort (as entered)' })
  entered!: number;

  @Field(() => Int, { description: 'Instances whose customer did the goal event within the window after the instance entered' })
  converted!: number;

  @Field(() => Float, { nullable: true, description: 'converted / entered; null when nothing entered' })
  rate!: number | null;
}

@ObjectType({ description: 'Funnel of one journey: the instances that entered in [from, to), and what became of them' })
export class JourneyStats {
  @Field({ description: 'The journey asked for' })
  journeyId!: string;

  @Field(() => Int, { nullable: true, description: 'Only instances that entered with this catalogue version' })
  version!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Start of the entry window as given; null: from the beginning' })
  from!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'End of the entry window (excluded) as given; null: no end' })
  to!: Date | null;

  @Field(() => Int, { description: 'Instances of the cohort: those that entered in the window' })
  entered!: number;

  @Field(() => Int, { description: 'Still running' })
  active!: number;

  @Field(() => Int, { description: 'Reached the end of the journey' })
  completed!: number;

  @Field(() => Int, { description: 'Left early; see exitedByReason' })
  exited!: number;

  @Field(() => [ExitReasonCount], { description: 'Most frequent first' })
  exitedByReason!: ExitReasonCount[];

  @Field(() => [StepCount], { description: 'Most reached first' })
  steps!: StepCount[];

  @Field(() => [ChannelMessageStats], { description: 'Messages of the cohort, one entry per channel used' })
  messages!: ChannelMessageStats[];

  @Field(() => GoalConversion, { nullable: true, description: 'Given only when a goal was asked for' })
  conversion!: GoalConversion | null;

  /** What `goalConversion` counts (resolved only when selected); none when the journey declares no goal. */
  goalQuery?: { workspaceId: string; goal: JourneyGoal; from: Date | null; to: Date | null; version: number | null };
}
