import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class TrackResult {
  @Field()
  messageId!: string;

  @Field({ description: 'True when this messageId had been accepted before' })
  duplicate!: boolean;

  @Field(() => [String], { description: 'Journey instances (workflow ids) the event was delivered to' })
  deliveredTo!: string[];
}
