import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'An accepted (stored) Segment message' })
export class TrackingResult {
  @Field()
  messageId!: string;

  @Field({ description: 'True when this messageId had been accepted before (nothing was stored again)' })
  duplicate!: boolean;
}

@ObjectType({ description: 'An accepted batch: every message is stored; routing to journeys follows' })
export class BatchResult {
  @Field(() => Int, { description: 'Messages stored by this call' })
  stored!: number;

  @Field(() => Int, { description: 'Messages whose messageId had been accepted before' })
  duplicates!: number;

  @Field(() => [TrackingResult], { description: 'One per message, in order' })
  events!: TrackingResult[];
}
