import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'What became of a tracked event: stored once per messageId and delivered to the journey instances it reached' })
export class TrackResult {
  @Field({ description: 'The deduplication id the event was stored under: the one given, or one generated for it' })
  messageId!: string;

  @Field({ description: 'True when this messageId had been accepted before' })
  duplicate!: boolean;

  @Field(() => [String], { description: 'Journey instances (workflow ids) the event was delivered to' })
  deliveredTo!: string[];
}
