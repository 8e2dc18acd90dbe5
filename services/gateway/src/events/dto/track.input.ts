import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

@InputType({ description: 'Something a customer did (Segment track)' })
export class TrackInput {
  @Field({ description: 'The customer who did it (created on first sight)' })
  userId!: string;

  @Field({ description: 'Event name, e.g. "Cart Updated"' })
  event!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'What the event carries, read by journeys and templates as event.properties, e.g. {"cart_id":"c1","items":[{"name":"Shoes"}]}' })
  properties?: Record<string, unknown>;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it happened (default: now)' })
  timestamp?: Date;

  @Field({ nullable: true, description: 'Deduplication id; a repeated id is stored and routed once' })
  messageId?: string;
}
