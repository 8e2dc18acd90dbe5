import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node } from './node.model';

/** Where a journey instance stands; values are the stored spellings. */
export enum JourneyInstanceStatus {
  ACTIVE = 'active',
  COMPLETED = 'completed',
  EXITED = 'exited',
}
registerEnumType(JourneyInstanceStatus, {
  name: 'JourneyInstanceStatus',
  description: 'Where a journey instance stands',
  valuesMap: {
    ACTIVE: { description: 'Still running: waiting, sending or deciding' },
    COMPLETED: { description: 'Reached the end of the journey' },
    EXITED: { description: 'Left early: an exit event, the journey archived, an operator ending it, …; see exitReason' },
  },
});

@ObjectType({
  description:
    'One run of a journey for one customer: a workflow (workflowId) and its run (runId); a re-entry with the same workflow id is another JourneyInstance. Its timeline and live state are read only when selected',
  implements: () => [Node],
})
// `id` comes from Node: the global id of the run, made from workflowId and runId (node/journey-instance-id.ts).
export class JourneyInstance {
  @Field({ description: 'Temporal workflow id, journey/<journeyId>/<customer>/<key>; shared by every run (re-entry) of the instance' })
  workflowId!: string;

  @Field({ description: 'The first run id of this run of the workflow (stable across continue-as-new); with workflowId, what the global id names' })
  runId!: string;

  @Field({ description: 'Key of the journey in the catalogue, e.g. abandoned-cart; see journey for the journey itself' })
  journeyId!: string;

  @Field(() => Int, { nullable: true, description: 'Catalogue version of the journey when the instance entered; null for instances from before versions were recorded' })
  journeyVersion!: number | null;

  @Field({ name: 'userId', description: 'The userId of the customer (an anonymous reference once the customer is erased); see customer for the profile' })
  customerId!: string;

  @Field({ description: 'Instance key, e.g. the cart id' })
  key!: string;

  @Field(() => JourneyInstanceStatus, { description: 'Running, completed or exited, as the journal last recorded it' })
  status!: JourneyInstanceStatus;

  @Field({ description: 'The step last journaled' })
  currentStep!: string;

  @Field(() => String, { nullable: true, description: "Why it exited (an exit event's name, archived, ended by operator: …, terminated by operator: …); null unless exited" })
  exitReason!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the instance entered the journey' })
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the journal last recorded a step of the instance' })
  updatedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it completed or exited; null while active' })
  endedAt!: Date | null;
}
