import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'An accepted (stored) Segment message' })
export class TrackingResult {
  @Field({ description: 'Its messageId: the one given, or the one generated' })
  messageId!: string;

  @Field({ description: 'True when this messageId had been accepted before (nothing was stored again)' })
  duplicate!: boolean;
}

@ObjectType({ description: 'A message of a batch that was not stored, and why' })
export class RefusedMessage {
  @Field(() => Int, { description: "Its position in the input's batch" })
  index!: number;

  @Field({ nullable: true, description: 'Its messageId as given; null when it had none' })
  messageId?: string;

  @Field({ description: 'The error code, e.g. BAD_USER_INPUT' })
  code!: string;

  @Field({ description: 'The path of the offending field, e.g. batch[3].userId' })
  field!: string;

  @Field({ description: 'What is wrong, for people' })
  message!: string;
}

@ObjectType({ description: 'An accepted batch: its valid messages are stored; routing to journeys follows' })
export class BatchResult {
  @Field(() => Int, { description: 'Messages stored by this call' })
  stored!: number;

  @Field(() => Int, { description: 'Messages whose messageId had been accepted before' })
  duplicates!: number;

  @Field(() => [TrackingResult], { description: 'One per stored message, in order' })
  events!: TrackingResult[];

  @Field(() => [RefusedMessage], { description: 'The invalid messages, which were not stored' })
  refused!: RefusedMessage[];
}
