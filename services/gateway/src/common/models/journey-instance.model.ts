import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A journey instance of this customer and where it stands' })
export class JourneyInstance {
  @Field(() => ID, { description: 'Workflow id, journey/<journeyId>/<customer>/<key>' })
  id!: string;

  @Field({ description: 'First run of the instance: a re-entry with the same id is a new run' })
  runId!: string;

  @Field({ description: 'The journey this is an instance of' })
  journeyId!: string;

  @Field({ description: 'Instance key, e.g. the cart id' })
  key!: string;

  @Field({ description: 'active, completed or exited' })
  status!: string;

  @Field({ description: 'The step last journaled' })
  currentStep!: string;

  @Field(() => String, { nullable: true, description: "Why it exited (an exit event's name, archived, …); null unless exited" })
  exitReason!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the instance entered the journey' })
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it completed or exited; null while active' })
  endedAt!: Date | null;
}
