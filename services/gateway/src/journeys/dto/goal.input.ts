import { Field, InputType } from '@nestjs/graphql';

@InputType({ description: 'A conversion goal: an event by the customer within a time after a message of the instance was sent' })
export class GoalInput {
  @Field({ description: 'The goal event name, e.g. "Order Completed"' })
  event!: string;

  @Field({ description: 'How long after a sent message the goal counts, e.g. "7 days", "12h"' })
  within!: string;
}
