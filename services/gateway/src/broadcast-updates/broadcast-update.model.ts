import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { BroadcastRun } from '../audiences/broadcast.models';

export enum BroadcastUpdateKind {
  STARTED = 'STARTED',
  PROGRESSED = 'PROGRESSED',
  PAUSED = 'PAUSED',
  RESUMED = 'RESUMED',
  CANCELLED = 'CANCELLED',
  FINISHED = 'FINISHED',
}

registerEnumType(BroadcastUpdateKind, {
  name: 'BroadcastUpdateKind',
  description: 'What happened to a run of a broadcast',
  valuesMap: {
    STARTED: { description: 'The run started (a one-off broadcast once, a scheduled one at each occurrence)' },
    PROGRESSED: { description: 'Members of the run got an outcome (a batch was sent, entered, skipped, failed or queued, or queued members were settled)' },
    PAUSED: { description: 'The run was paused' },
    RESUMED: { description: 'The run was resumed after a pause' },
    CANCELLED: { description: 'The run was cancelled' },
    FINISHED: { description: 'The run completed: every member has an outcome' },
  },
});

@ObjectType({ description: 'A change to one run of a broadcast, with the run and its counts as they are when the update is sent (broadcastUpdates)' })
export class BroadcastUpdate {
  @Field({ description: 'Where this change stands in the subscription: pass it as `after` to resume right after it (kept for 7 days)' })
  cursor!: string;

  @Field(() => BroadcastUpdateKind, { description: 'What happened to the run' })
  kind!: BroadcastUpdateKind;

  @Field(() => BroadcastRun, { description: 'The run, with its status and counts when the update is sent' })
  run!: BroadcastRun;
}
