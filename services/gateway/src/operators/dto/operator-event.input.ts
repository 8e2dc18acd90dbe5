import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

@InputType({ description: 'A track event to hand to one instance, stored as an event of its customer' })
export class OperatorEventInput {
  @Field({ description: 'Event name, e.g. "Cart Updated"' })
  event!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Event properties; default {}' })
  properties?: Record<string, unknown>;

  @Field({ nullable: true, description: 'Deduplication id (default: a new one); a repeated id is refused' })
  messageId?: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it happened (default: now)' })
  timestamp?: Date;
}
