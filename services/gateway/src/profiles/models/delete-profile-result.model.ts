import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'What the erasure of a customer removed' })
export class DeleteProfileResult {
  @Field()
  userId!: string;

  @Field()
  erased!: boolean;

  @Field(() => Int, { description: 'Running journey instances that were signalled to end (archive)' })
  instancesEnded!: number;

  @Field(() => Int)
  eventsDeleted!: number;

  @Field(() => Int)
  messagesDeleted!: number;
}
