import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { BroadcastSchedule as StoredSchedule } from '@continuum/data';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { ChannelName } from '../common/models/channel.model';
import { connectionTypes } from '../common/connection-types';
import { PayloadType } from '../common/user-error';
import { Node } from '../node/node.model';

export enum BroadcastStatusName {
  SCHEDULED = 'scheduled',
  RUNNING = 'running',
  PAUSED = 'paused',
  CANCELLED = 'cancelled',
  COMPLETED = 'completed',
}
registerEnumType(BroadcastStatusName, {
  name: 'BroadcastStatus',
  description: 'A one-off broadcast is its run: RUNNING, PAUSED, CANCELLED or COMPLETED; a recurring one is SCHEDULED, PAUSED or CANCELLED',
  valuesMap: {
    SCHEDULED: { description: 'Recurring: a run starts at each occurrence of its schedule' },
    RUNNING: { description: 'One-off: its run is reaching the members' },
    PAUSED: { description: 'Paused by pauseBroadcast: no run starts, the run in flight waits; resumeBroadcast goes on' },
    CANCELLED: { description: 'Cancelled by cancelBroadcast: nothing more is sent (final)' },
    COMPLETED: { description: 'One-off: its run has reached every member (final)' },
  },
});

export enum BroadcastRunStatusName {
  RUNNING = 'running',
  PAUSED = 'paused',
  CANCELLED = 'cancelled',
  COMPLETED = 'completed',
}
registerEnumType(BroadcastRunStatusName, {
  name: 'BroadcastRunStatus',
  description: 'Where one run of a broadcast stands',
  valuesMap: {
    RUNNING: { description: 'Reaching the members, page by page' },
    PAUSED: { description: 'Stopped at its next member until the broadcast is resumed' },
    CANCELLED: { description: 'Stopped for good: members not reached yet get nothing (final)' },
    COMPLETED: { description: 'Every member of the audience has been reached (final)' },
  },
});

export enum QuietHoursModeName {
  SKIP = 'skip',
  QUEUE = 'queue',
}
registerEnumType(QuietHoursModeName, {
  name: 'QuietHoursMode',
  description: 'Members inside their quiet hours: SKIP them (reason quiet-hours), or QUEUE them and send when their quiet hours end',
  valuesMap: {
    SKIP: { description: 'Send nothing; counted in skipped with reason quiet-hours' },
    QUEUE: { description: 'Counted in queued, then sent when their quiet hours end' },
  },
});

export enum BroadcastKindName {
  TEMPLATE = 'template',
  JOURNEY = 'journey',
}
registerEnumType(BroadcastKindName, {
  name: 'BroadcastKind',
  description: 'TEMPLATE: a message to each member; JOURNEY: each member enters a journey',
  valuesMap: {
    TEMPLATE: { description: 'Each member is sent a template on one channel' },
    JOURNEY: { description: 'Each member enters a journey through its entry event' },
  },
});

@InputType({ description: 'Calendar fields in cron field syntax (9, 1-5, */15, MON-FRI, 1,15); absent: second, minute and hour 0, the others every value. Every field must match.' })
export class CalendarFieldsInput {
  @Field({ nullable: true, description: '0-59 (default 0)' })
  second?: string;

  @Field({ nullable: true, description: '0-59 (default 0)' })
  minute?: string;

  @Field({ nullable: true, description: '0-23 (default 0)' })
  hour?: string;

  @Field({ nullable: true, description: '1-31 (default every day)' })
  dayOfMonth?: string;

  @Field({ nullable: true, description: '1-12 or JAN-DEC' })
  month?: string;

  @Field({ nullable: true, description: '0-7 or SUN-SAT (0 and 7 are Sunday)' })
  dayOfWeek?: string;
}

@InputType({ description: 'When a recurring broadcast runs: a cron expression or calendar fields, in an IANA time zone' })
export class BroadcastScheduleInput {
  @Field({ nullable: true, description: 'Five fields: minute hour day-of-month month day-of-week (e.g. "0 9 * * MON"), or @daily, @weekly, …' })
  cron?: string;

  @Field(() => CalendarFieldsInput, { nullable: true, description: 'Calendar fields instead of cron (give exactly one of the two)' })
  calendar?: CalendarFieldsInput;

  @Field({ description: 'IANA time zone the times are in, e.g. America/Sao_Paulo' })
  timeZone!: string;
}

@InputType({ description: 'A template sent to, or a journey started for, every member of an audience: once, or on a schedule' })
export class CreateBroadcastInput {
  @Field({ description: 'A name for people to recognise it by (1 to 200 characters; need not be unique)' })
  name!: string;

  @Field({ description: 'Name of the audience (its current members, read page by page as each run goes); inputs name an audience by its name' })
  audienceName!: string;

  @Field({ nullable: true, description: 'A published template for the channel, rendered per member against { profile, broadcast } (or give journeyId)' })
  template?: string;

  @Field(() => ChannelName, { nullable: true, description: "The template's channel (default SMS)" })
  channel?: ChannelName;

  @Field({ nullable: true, description: 'A journey of the catalogue each member enters, as through its entry event (or give template)' })
  journeyId?: string;

  @Field({ nullable: true, description: "Journey broadcasts: the entry event each member's instance starts with (default: the journey's first entry event)" })
  entryEvent?: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: "Journey broadcasts: the entry event's properties (a journey keyed by properties.<name> reads its instance key here)" })
  properties?: Record<string, unknown>;

  @Field(() => Float, { description: 'Messages (or journey entries) per second for this broadcast (the sender rate still applies)' })
  ratePerSecond!: number;

  @Field(() => QuietHoursModeName, { nullable: true, description: 'Template broadcasts: members inside their quiet hours are queued until they end (QUEUE, the default) or skipped (SKIP)' })
  quietHours?: QuietHoursModeName;

  @Field(() => BroadcastScheduleInput, { nullable: true, description: 'Run on this schedule (a Temporal Schedule) instead of once, now' })
  schedule?: BroadcastScheduleInput;
}

@ObjectType({ description: 'Members skipped for one reason' })
export class SkipCount {
  @Field({ description: 'no-consent, quiet-hours, frequency-cap, no-address, already-in-journey, reentry-once, …' })
  reason!: string;

  @Field(() => Int, { description: 'How many members were skipped for it' })
  count!: number;
}

@ObjectType({ description: 'Calendar fields as given at creation, in cron field syntax; a null field took its default' })
export class CalendarFields {
  @Field(() => String, { nullable: true, description: '0-59; null: 0' })
  second?: string | null;

  @Field(() => String, { nullable: true, description: '0-59; null: 0' })
  minute?: string | null;

  @Field(() => String, { nullable: true, description: '0-23; null: 0' })
  hour?: string | null;

  @Field(() => String, { nullable: true, description: '1-31; null: every day' })
  dayOfMonth?: string | null;

  @Field(() => String, { nullable: true, description: '1-12 or JAN-DEC; null: every month' })
  month?: string | null;

  @Field(() => String, { nullable: true, description: '0-7 or SUN-SAT; null: every day of the week' })
  dayOfWeek?: string | null;
}

@ObjectType({ description: "A recurring broadcast's schedule" })
export class BroadcastSchedule {
  @Field(() => String, { nullable: true, description: 'The cron expression it was created with; null when it was given calendar fields' })
  cron?: string | null;

  @Field(() => CalendarFields, { nullable: true, description: 'The calendar fields it was created with; null when it was given a cron expression' })
  calendar?: CalendarFields | null;

  @Field({ description: 'IANA time zone the times are in' })
  timeZone!: string;

  @Field({ description: 'The Temporal Schedule (broadcast/<workspace>/<id>)' })
  scheduleId!: string;

  @Field({ description: 'Paused or cancelled: no run starts' })
  paused!: boolean;

  @Field(() => [GraphQLISODateTime], { description: 'The next times a run starts, as Temporal computes them in the time zone (none while paused)' })
  nextRuns!: Date[];
}

/** Counts shared by a broadcast (over all its runs) and each run. */
@ObjectType({ isAbstract: true })
export class BroadcastCounts {
  @Field(() => Int, { description: 'Members with an outcome (each once per run): sent, entered, skipped or failed' })
  enrolled!: number;

  @Field(() => Int, { description: 'Template broadcasts: members the message was sent to' })
  sent!: number;

  @Field(() => Int, { description: 'Journey broadcasts: members whose journey instance started' })
  entered!: number;

  @Field(() => Int, { description: 'Template broadcasts: members whose message failed for good (refused or not delivered)' })
  failed!: number;

  @Field(() => Int, { description: 'Members waiting for their quiet hours to end (QUEUE)' })
  queued!: number;

  @Field(() => Int, { description: 'Members skipped, whatever the reason (the sum of skipped)' })
  skippedTotal!: number;

  @Field(() => [SkipCount], { description: 'Members skipped, counted by reason' })
  skipped!: SkipCount[];
}

@ObjectType({ description: 'One run of a broadcast: the only one of a one-off broadcast, one per occurrence of a schedule', implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the run's row id.
export class BroadcastRun extends BroadcastCounts {
  /** The run's row id: its local id in its global id (not a field). */
  runId!: string;

  /** Its broadcast's row id (for `broadcast`). */
  broadcastId!: string;

  @Field(() => Int, { description: 'Its place among the runs of the broadcast, from 1' })
  number!: number;

  @Field(() => BroadcastRunStatusName, { description: 'Where the run stands' })
  status!: BroadcastRunStatusName;

  @Field({ description: 'Its workflow in Temporal' })
  workflowId!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'Its recipients in total: the members the audience had when the run started (it reads them page by page as it goes, so members who join or leave meanwhile change what it reaches); with enrolled, queued and the counts by outcome, how far it got. Null for a run recorded before totals were.',
  })
  recipients!: number | null;

  @Field(() => GraphQLISODateTime, { description: 'The occurrence it runs for' })
  scheduledAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the run started' })
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it completed or was cancelled; null while running or paused' })
  endedAt?: Date | null;
}

const broadcastRunConnection = connectionTypes('BroadcastRun', () => BroadcastRun, {
  item: 'The run',
  page: "A page of a broadcast's runs, the latest first",
  total: 'Runs of the broadcast so far, on every page',
});
export const BroadcastRunConnection = broadcastRunConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const BroadcastRunConnectionTotalCount = broadcastRunConnection.TotalCount;

@ObjectType({ description: 'A broadcast and how far it got (counts over all its runs)', implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the broadcast's row id: what broadcast(id:) and the pause, resume and cancel mutations take.
export class Broadcast extends BroadcastCounts {
  /** The broadcast's row id: its local id in its global id (not a field). */
  broadcastId!: string;

  /** The row id of its audience (for `audience`). */
  audienceId!: string;

  /** Its workspace's slug (for its Temporal ids). */
  workspaceSlug!: string;

  @Field({ description: 'The name it was created with' })
  name!: string;

  @Field(() => BroadcastKindName, { description: 'Whether it sends a template or starts a journey' })
  kind!: BroadcastKindName;

  @Field(() => String, { nullable: true, description: 'Template broadcasts: the template sent; null for a journey broadcast' })
  template?: string | null;

  @Field(() => ChannelName, { nullable: true, description: "Template broadcasts: the template's channel; null for a journey broadcast" })
  channel?: ChannelName | null;

  @Field(() => String, { nullable: true, description: 'Journey broadcasts: the catalogue id of the journey each member enters (its key people type, as in createBroadcast); null for a template broadcast' })
  journeyId?: string | null;

  @Field(() => String, { nullable: true, description: 'Journey broadcasts: the entry event; null for a template broadcast' })
  entryEvent?: string | null;

  @Field(() => QuietHoursModeName, { nullable: true, description: 'Template broadcasts: what happens to members inside their quiet hours; null for a journey broadcast' })
  quietHours?: QuietHoursModeName | null;

  @Field(() => Float, { description: 'Messages (or journey entries) per second it was created with' })
  ratePerSecond!: number;

  @Field(() => BroadcastStatusName, { description: 'Where the broadcast stands' })
  status!: BroadcastStatusName;

  /** The schedule as stored (resolved into `schedule` with Temporal's view only when asked for). */
  storedSchedule!: StoredSchedule | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was created' })
  createdAt!: Date;
}

const broadcastConnection = connectionTypes('Broadcast', () => Broadcast, {
  item: 'The broadcast',
  page: "A page of the workspace's broadcasts, the newest first",
  total: 'Broadcasts of the workspace, on every page',
});
export const BroadcastConnection = broadcastConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const BroadcastConnectionTotalCount = broadcastConnection.TotalCount;

@InputType({ description: 'The broadcast to pause' })
export class PauseBroadcastInput {
  @Field(() => ID, { description: 'Global id of the broadcast' })
  id!: string;
}

@InputType({ description: 'The broadcast to resume' })
export class ResumeBroadcastInput {
  @Field(() => ID, { description: 'Global id of the broadcast' })
  id!: string;
}

@InputType({ description: 'The broadcast to cancel' })
export class CancelBroadcastInput {
  @Field(() => ID, { description: 'Global id of the broadcast' })
  id!: string;
}

const BROADCAST = 'The broadcast as it is now; null when refused';

@ObjectType({ description: 'The outcome of createBroadcast' })
export class CreateBroadcastPayload extends PayloadType('broadcast', () => Broadcast, 'The new broadcast; null when refused') {}

@ObjectType({ description: 'The outcome of pauseBroadcast' })
export class PauseBroadcastPayload extends PayloadType('broadcast', () => Broadcast, BROADCAST) {}

@ObjectType({ description: 'The outcome of resumeBroadcast' })
export class ResumeBroadcastPayload extends PayloadType('broadcast', () => Broadcast, BROADCAST) {}

@ObjectType({ description: 'The outcome of cancelBroadcast' })
export class CancelBroadcastPayload extends PayloadType('broadcast', () => Broadcast, BROADCAST) {}
