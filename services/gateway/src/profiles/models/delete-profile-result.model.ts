import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'What the erasure of a customer removed' })
export class DeleteProfileResult {
  @Field({ description: 'The customer that was erased' })
  userId!: string;

  @Field({ description: 'Always true: an unknown customer is NOT_FOUND instead' })
  erased!: boolean;

  @Field(() => Int, { description: 'Running journey instances that were signalled to end (archive)' })
  instancesEnded!: number;

  @Field(() => Int, { description: "The customer's events that were deleted" })
  eventsDeleted!: number;

  @Field(() => Int, { description: "The customer's messages that were deleted" })
  messagesDeleted!: number;
}
