import { Field, ID, InputType } from '@nestjs/graphql';
import { OperatorEventInput } from './operator-event.input';

@InputType({ description: 'Which active instance to end, why, and how' })
export class EndJourneyInstanceInput {
  @Field(() => ID, { description: 'The instance: the global id of a JourneyInstance (one run)' })
  id!: string;

  @Field({ description: 'Why, kept in the audit trail (and the signal); 1 to 500 characters' })
  reason!: string;

  @Field({ defaultValue: false, description: 'Terminate the workflow instead of signalling it to exit (for an instance whose code cannot run)' })
  terminate!: boolean;
}

@InputType({ description: 'A track event to hand to one active instance' })
export class DeliverEventToInstanceInput {
  @Field(() => ID, { description: 'The instance: the global id of a JourneyInstance (one run)' })
  id!: string;

  @Field(() => OperatorEventInput, { description: "The event, stored as an event of the instance's customer" })
  event!: OperatorEventInput;
}

@InputType({ description: 'Which instance to re-run the failed step of' })
export class RerunFailedStepInput {
  @Field(() => ID, { description: 'The instance: the global id of a JourneyInstance (one run)' })
  id!: string;
}

@InputType({ description: 'Which failed message to send again' })
export class RetryFailedSendInput {
  @Field(() => ID, {
    description:
      'The message: the global id of a Message (sent by a journey; consent for marketing is checked again) or of a TransactionalMessage (its outbox message; consent for transactional messages is checked)',
  })
  id!: string;
}
