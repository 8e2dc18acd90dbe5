import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { JourneyInstanceStatus } from '../../common/models/journey-instance.model';

@InputType({ description: 'Every criterion given must match; none lists every instance of the workspace' })
export class JourneyInstanceFilterInput {
  @Field({ nullable: true, description: 'Only instances of this journey (its key in the catalogue)' })
  journeyId?: string;

  @Field(() => JourneyInstanceStatus, { nullable: true, description: 'Only instances with this status' })
  status?: JourneyInstanceStatus;

  @Field({ nullable: true, description: 'The current step, e.g. wait-for-idle-cart' })
  step?: string;

  @Field({ nullable: true, description: 'Only instances of this customer (a userId)' })
  userId?: string;

  @Field({ nullable: true, description: 'Instance key, e.g. the cart id' })
  key?: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Entered at or after this time' })
  enteredAfter?: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Entered before this time' })
  enteredBefore?: Date;
}
