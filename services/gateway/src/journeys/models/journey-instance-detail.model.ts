import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { connectionTypes } from '../../common/connection-types';
import { Node } from '../../node/node.model';
import { TimelineItem } from '../../node/timeline-item.model';
import { JournalEntryTypeName } from '../../common/models/journal-entry-type.model';
import { JourneyInstanceStatus } from '../../common/models/journey-instance.model';

@ObjectType({
  description: 'One entry of the journal of a journey instance: a step entered, a wait, a branch taken, a message sent, …',
  implements: () => [Node, TimelineItem],
})
// `id` comes from Node, made from entryId; `kind` from TimelineItem; `instance` is a resolved field.
export class TimelineEntry {
  /** The entry's id in the journal (journal_entries.id), the local id of its global id. */
  entryId!: string;
  /** The workflow id of the instance, for `instance` (with runId). */
  instanceId!: string;

  @Field({ description: 'The run (a re-entry with the same workflow id is a new run)' })
  runId!: string;

  @Field(() => Int, { description: 'Position of the entry within its run, from 0' })
  seq!: number;

  @Field(() => JournalEntryTypeName, { description: 'What the entry records' })
  type!: JournalEntryTypeName;

  @Field({ description: 'The step the entry was journaled at' })
  step!: string;

  @Field(() => GraphQLISODateTime, { description: 'When it was journaled' })
  at!: Date;

  @Field(() => JSONObjectScalar, { description: 'Why and how: reasons, outcomes, message ids' })
  detail!: Record<string, unknown>;
}

@ObjectType({ description: 'Where a running instance stands now (a workflow query)' })
export class JourneyLiveState {
  @Field({ description: 'The step the instance is at now' })
  step!: string;

  @Field(() => JourneyInstanceStatus, { description: 'Whether the workflow says it is still running or has completed or exited' })
  status!: JourneyInstanceStatus;

  @Field(() => JSONObjectScalar, { description: 'Values the instance has gathered so far (entry event, steps)' })
  context!: Record<string, unknown>;

  @Field(() => Int, { description: 'Times an event restarted a running wait timer' })
  timerResets!: number;

  @Field(() => Int, { description: 'Events the instance has accepted since it started; 0 when the worker does not report it' })
  eventsAccepted!: number;

  @Field(() => Int, { description: 'Times the workflow continued as new to keep its history short' })
  continuedAsNew!: number;
}

const timelineEntryConnection = connectionTypes('TimelineEntry', () => TimelineEntry, {
  item: 'The journal entry',
  page: 'A page of the journal of one run, oldest entry first',
  total: 'Journal entries of the run, on every page',
});
export const TimelineEntryConnection = timelineEntryConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const TimelineEntryConnectionTotalCount = timelineEntryConnection.TotalCount;
