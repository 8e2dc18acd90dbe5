import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';

@InputType({ description: 'Every criterion given must match; none lists every instance of the workspace' })
export class JourneyInstanceFilterInput {
  @Field({ nullable: true, description: 'Only instances of this journey' })
  journeyId?: string;

  @Field({ nullable: true, description: 'active, completed or exited' })
  status?: string;

  @Field({ nullable: true, description: 'The current step, e.g. wait-for-idle-cart' })
  step?: string;

  @Field({ nullable: true, description: 'The userId' })
  customerId?: string;

  @Field({ nullable: true, description: 'Instance key, e.g. the cart id' })
  key?: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Entered at or after this time' })
  enteredAfter?: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Entered before this time' })
  enteredBefore?: Date;
}
