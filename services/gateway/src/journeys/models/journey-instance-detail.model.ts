import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { JourneyInstance } from '../../common/models/journey-instance.model';

@ObjectType({ description: 'One step of an instance, from the journal' })
export class TimelineEntry {
  @Field({ description: 'The run (a re-entry with the same workflow id is a new run)' })
  runId!: string;

  @Field(() => Int)
  seq!: number;

  @Field({ description: 'entered, wait.started, timer.reset, wait.ended, branch.taken, message.sent, exited, …' })
  type!: string;

  @Field()
  step!: string;

  @Field(() => GraphQLISODateTime)
  at!: Date;

  @Field(() => JSONObjectScalar, { description: 'Why and how: reasons, outcomes, message ids' })
  detail!: Record<string, unknown>;
}

@ObjectType({ description: 'Where a running instance stands now (a workflow query)' })
export class JourneyLiveState {
  @Field()
  step!: string;

  @Field()
  status!: string;

  @Field(() => JSONObjectScalar)
  context!: Record<string, unknown>;

  @Field(() => Int)
  timerResets!: number;

  @Field(() => Int)
  eventsAccepted!: number;

  @Field(() => Int)
  continuedAsNew!: number;
}

@ObjectType({ description: 'A journey instance with its timeline and, while it runs, its live state' })
export class JourneyInstanceDetail extends JourneyInstance {
  @Field()
  customerId!: string;

  @Field(() => [TimelineEntry])
  timeline!: TimelineEntry[];

  @Field(() => JourneyLiveState, { nullable: true, description: 'Null once the instance has ended' })
  live!: JourneyLiveState | null;
}
