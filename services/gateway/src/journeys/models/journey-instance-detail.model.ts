import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { JourneyInstance } from '../../common/models/journey-instance.model';

@ObjectType({ description: 'One step of an instance, from the journal' })
export class TimelineEntry {
  @Field({ description: 'The run (a re-entry with the same workflow id is a new run)' })
  runId!: string;

  @Field(() => Int, { description: 'Position of the entry within its run, from 0' })
  seq!: number;

  @Field({ description: 'entered, wait.started, timer.reset, wait.ended, branch.taken, message.sent, exited, …' })
  type!: string;

  @Field({ description: 'The step the entry was journaled at' })
  step!: string;

  @Field(() => GraphQLISODateTime, { description: 'When it was journaled' })
  at!: Date;

  @Field(() => JSONObjectScalar, { description: 'Why and how: reasons, outcomes, message ids' })
  detail!: Record<string, unknown>;
}

@ObjectType({ description: 'Where a running instance stands now (a workflow query)' })
export class JourneyLiveState {
  @Field({ description: 'The step the instance is at now' })
  step!: string;

  @Field({ description: 'active, completed or exited' })
  status!: string;

  @Field(() => JSONObjectScalar, { description: 'Values the instance has gathered so far (entry event, steps)' })
  context!: Record<string, unknown>;

  @Field(() => Int, { description: 'Times an event restarted a running wait timer' })
  timerResets!: number;

  @Field(() => Int, { description: 'Events the instance has accepted since it started; 0 when the worker does not report it' })
  eventsAccepted!: number;

  @Field(() => Int, { description: 'Times the workflow continued as new to keep its history short' })
  continuedAsNew!: number;
}

@ObjectType({ description: 'A journey instance with its timeline and, while it runs, its live state' })
export class JourneyInstanceDetail extends JourneyInstance {
  @Field({ description: 'The userId of the customer' })
  customerId!: string;

  @Field(() => [TimelineEntry], { description: 'Journal entries of the run, in order' })
  timeline!: TimelineEntry[];

  @Field(() => JourneyLiveState, { nullable: true, description: 'Null once the instance has ended' })
  live!: JourneyLiveState | null;
}
