import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A journey instance of this customer and where it stands' })
export class JourneyInstance {
  @Field(() => ID, { description: 'Workflow id, journey/<journeyId>/<customer>/<key>' })
  id!: string;

  @Field({ description: 'First run of the instance: a re-entry with the same id is a new run' })
  runId!: string;

  @Field()
  journeyId!: string;

  @Field({ description: 'Instance key, e.g. the cart id' })
  key!: string;

  @Field({ description: 'active, completed or exited' })
  status!: string;

  @Field()
  currentStep!: string;

  @Field(() => String, { nullable: true })
  exitReason!: string | null;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  endedAt!: Date | null;
}
