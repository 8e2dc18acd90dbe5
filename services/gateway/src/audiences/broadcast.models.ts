import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { MessageChannelName } from '../common/models/message-channel.model';
import { PayloadType } from '../common/user-error';

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
});

export enum BroadcastRunStatusName {
  RUNNING = 'running',
  PAUSED = 'paused',
  CANCELLED = 'cancelled',
  COMPLETED = 'completed',
}
registerEnumType(BroadcastRunStatusName, { name: 'BroadcastRunStatus' });

export enum QuietHoursModeName {
  SKIP = 'skip',
  QUEUE = 'queue',
}
registerEnumType(QuietHoursModeName, {
  name: 'QuietHoursMode',
  description: 'Members inside their quiet hours: SKIP them (reason quiet-hours), or QUEUE them and send when their quiet hours end',
});

export enum BroadcastKindName {
  TEMPLATE = 'template',
  JOURNEY = 'journey',
}
registerEnumType(BroadcastKindName, { name: 'BroadcastKind', description: 'TEMPLATE: a message to each member; JOURNEY: each member enters a journey' });

@InputType({ description: 'Calendar fields in cron field syntax (9, 1-5, */15, MON-FRI, 1,15); absent: second, minute and hour 0, the others every value. Every field must match.' })
export class CalendarFieldsInput {
  @Field({ nullable: true })
  second?: string;

  @Field({ nullable: true })
  minute?: string;

  @Field({ nullable: true })
  hour?: string;

  @Field({ nullable: true })
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

  @Field(() => CalendarFieldsInput, { nullable: true })
  calendar?: CalendarFieldsInput;

  @Field({ description: 'IANA time zone the times are in, e.g. America/Sao_Paulo' })
  timeZone!: string;
}

@InputType({ description: 'A template sent to, or a journey started for, every member of an audience: once, or on a schedule' })
export class CreateBroadcastInput {
  @Field()
  name!: string;

  @Field({ description: 'The audience (its current members, read page by page as each run goes)' })
  audience!: string;

  @Field({ nullable: true, description: 'A published template for the channel, rendered per member against { profile, broadcast } (or give journeyId)' })
  template?: string;

  @Field(() => MessageChannelName, { nullable: true, description: "The template's channel (default SMS)" })
  channel?: MessageChannelName;

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

@ObjectType()
export class SkipCount {
  @Field({ description: 'no-consent, quiet-hours, frequency-cap, no-address, already-in-journey, reentry-once, …' })
  reason!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class CalendarFields {
  @Field(() => String, { nullable: true })
  second?: string | null;

  @Field(() => String, { nullable: true })
  minute?: string | null;

  @Field(() => String, { nullable: true })
  hour?: string | null;

  @Field(() => String, { nullable: true })
  dayOfMonth?: string | null;

  @Field(() => String, { nullable: true })
  month?: string | null;

  @Field(() => String, { nullable: true })
  dayOfWeek?: string | null;
}

@ObjectType({ description: "A recurring broadcast's schedule" })
export class BroadcastScheduleModel {
  @Field(() => String, { nullable: true })
  cron?: string | null;

  @Field(() => CalendarFields, { nullable: true })
  calendar?: CalendarFields | null;

  @Field()
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

  @Field(() => Int)
  sent!: number;

  @Field(() => Int, { description: 'Journey broadcasts: members whose journey instance started' })
  entered!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int, { description: 'Members waiting for their quiet hours to end (QUEUE)' })
  queued!: number;

  @Field(() => [SkipCount])
  skipped!: SkipCount[];
}

@ObjectType({ description: 'One run of a broadcast: the only one of a one-off broadcast, one per occurrence of a schedule' })
export class BroadcastRunModel extends BroadcastCounts {
  @Field(() => Int)
  number!: number;

  @Field(() => BroadcastRunStatusName)
  status!: BroadcastRunStatusName;

  @Field({ description: 'Its workflow in Temporal' })
  workflowId!: string;

  @Field(() => GraphQLISODateTime, { description: 'The occurrence it runs for' })
  scheduledAt!: Date;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  endedAt?: Date | null;
}

@ObjectType({ description: 'A broadcast and how far it got (counts over all its runs)' })
export class BroadcastModel extends BroadcastCounts {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  audience!: string;

  @Field(() => BroadcastKindName)
  kind!: BroadcastKindName;

  @Field(() => String, { nullable: true })
  template?: string | null;

  @Field(() => MessageChannelName, { nullable: true })
  channel?: MessageChannelName | null;

  @Field(() => String, { nullable: true })
  journeyId?: string | null;

  @Field(() => String, { nullable: true, description: 'Journey broadcasts: the entry event' })
  entryEvent?: string | null;

  @Field(() => QuietHoursModeName, { nullable: true, description: 'Template broadcasts' })
  quietHours?: QuietHoursModeName | null;

  @Field(() => Float)
  ratePerSecond!: number;

  @Field(() => BroadcastStatusName)
  status!: BroadcastStatusName;

  @Field(() => BroadcastScheduleModel, { nullable: true, description: 'Recurring broadcasts' })
  schedule?: BroadcastScheduleModel | null;

  @Field(() => [BroadcastRunModel], { description: 'Runs, the latest first' })
  runs!: BroadcastRunModel[];

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@InputType({ description: 'The broadcast to pause' })
export class PauseBroadcastInput {
  @Field(() => ID, { description: 'Id of the broadcast' })
  id!: string;
}

@InputType({ description: 'The broadcast to resume' })
export class ResumeBroadcastInput {
  @Field(() => ID, { description: 'Id of the broadcast' })
  id!: string;
}

@InputType({ description: 'The broadcast to cancel' })
export class CancelBroadcastInput {
  @Field(() => ID, { description: 'Id of the broadcast' })
  id!: string;
}

const BROADCAST = 'The broadcast as it is now; null when refused';

@ObjectType({ description: 'The outcome of createBroadcast' })
export class CreateBroadcastPayload extends PayloadType('broadcast', () => BroadcastModel, 'The new broadcast; null when refused') {}

@ObjectType({ description: 'The outcome of pauseBroadcast' })
export class PauseBroadcastPayload extends PayloadType('broadcast', () => BroadcastModel, BROADCAST) {}

@ObjectType({ description: 'The outcome of resumeBroadcast' })
export class ResumeBroadcastPayload extends PayloadType('broadcast', () => BroadcastModel, BROADCAST) {}

@ObjectType({ description: 'The outcome of cancelBroadcast' })
export class CancelBroadcastPayload extends PayloadType('broadcast', () => BroadcastModel, BROADCAST) {}
