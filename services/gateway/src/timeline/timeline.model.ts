import { Field, GraphQLISODateTime, ID, Int, InterfaceType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { PageInfo } from '../../common/models/page-info.model';
import { totalCountResolver } from '../../common/connection';

export enum TimelineKind {
  EVENT = 'EVENT',
  JOURNEY_STEP = 'JOURNEY_STEP',
  MESSAGE = 'MESSAGE',
  OPERATOR_ACTION = 'OPERATOR_ACTION',
}
registerEnumType(TimelineKind, {
  name: 'TimelineKind',
  description: 'What a timeline item is',
  valuesMap: {
    EVENT: { description: 'An event the customer sent (TimelineEvent)' },
    JOURNEY_STEP: { description: 'A journal entry of one of their journey instances (TimelineJourneyStep)' },
    MESSAGE: { description: 'A message sent or attempted to them (TimelineMessage)' },
    OPERATOR_ACTION: { description: "An operator's action on one of their instances (TimelineOperatorAction)" },
  },
});

export enum TimelineOrder {
  NEWEST_FIRST = 'NEWEST_FIRST',
  OLDEST_FIRST = 'OLDEST_FIRST',
}
registerEnumType(TimelineOrder, {
  name: 'TimelineOrder',
  description: 'The order of timeline items by time',
  valuesMap: {
    NEWEST_FIRST: { description: 'Latest item first' },
    OLDEST_FIRST: { description: 'Earliest item first' },
  },
});

@InterfaceType({
  description: "One thing in a customer's timeline; ask for the specific fields with `... on TimelineEvent` etc.",
  resolveType: (item: { kind: TimelineKind }) => TIMELINE_TYPES[item.kind],
})
export abstract class TimelineItem {
  @Field(() => ID, { description: 'Unique within its kind' })
  id!: string;

  @Field(() => GraphQLISODateTime, {
    description: 'When it happened: the event timestamp, the journal time of the step, the creation of the message, the operator action',
  })
  at!: Date;

  @Field(() => TimelineKind, { description: 'Which item type this is' })
  kind!: TimelineKind;
}

@ObjectType({ implements: () => [TimelineItem], description: 'An event the customer sent' })
export class TimelineEvent extends TimelineItem {
  @Field({ description: 'Deduplication id of the event' })
  messageId!: string;

  @Field({ description: 'track, identify, page, screen, group or alias' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'The event name of a track call; null for other types' })
  name!: string | null;

  @Field(() => JSONObjectScalar, { description: 'The properties sent with the event' })
  properties!: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The traits sent with the event; null when none were' })
  traits!: Record<string, unknown> | null;
}

@ObjectType({ implements: () => [TimelineItem], description: 'A step of one of the customer’s journey instances, from the journal' })
export class TimelineJourneyStep extends TimelineItem {
  @Field({ description: 'Workflow id of the instance' })
  instanceId!: string;

  @Field({ description: 'The run of the instance the entry belongs to' })
  runId!: string;

  @Field({ description: 'The journey of the instance' })
  journeyId!: string;

  @Field(() => Int, { description: 'Position of the entry within its run, from 0' })
  seq!: number;

  @Field({ description: 'entered, wait.started, timer.reset, wait.ended, message.sent, exited, …' })
  type!: string;

  @Field({ description: 'The step the entry was journaled at' })
  step!: string;

  @Field(() => JSONObjectScalar, { description: 'Why and how: reasons, outcomes, message ids' })
  detail!: Record<string, unknown>;
}

@ObjectType({ implements: () => [TimelineItem], description: 'A message sent (or attempted) to the customer, with its current status' })
export class TimelineMessage extends TimelineItem {
  @Field({ description: 'Workflow id of the instance that sent it' })
  instanceId!: string;

  @Field({ description: 'The journey step that sent it' })
  step!: string;

  @Field({ description: 'sms, mms, whatsapp, rcs, email or in_app' })
  channel!: string;

  @Field({ description: 'The address it was sent to (phone number, email address, …)' })
  to!: string;

  @Field({ description: 'The rendered text' })
  body!: string;

  @Field({ description: 'pending, sending, queued, sent, delivered, undelivered or failed' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'Provider message id (Twilio SID); null until handed to the provider' })
  providerId!: string | null;

  @Field(() => Int, { nullable: true, description: "The provider's error code when it failed or was undelivered; null otherwise" })
  errorCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why it failed, when it did; null otherwise' })
  errorMessage!: string | null;
}

@ObjectType({ implements: () => [TimelineItem], description: "An operator's action on one of the customer's instances (from the audit trail)" })
export class TimelineOperatorAction extends TimelineItem {
  @Field({ description: 'endJourneyInstance, deliverEventToInstance, rerunFailedStep or retryFailedSend' })
  action!: string;

  @Field({ description: 'Workflow id of the instance acted on' })
  instanceId!: string;

  @Field({ description: 'Name of the API key that acted' })
  actor!: string;

  @Field(() => JSONObjectScalar, { description: 'The arguments of the action' })
  input!: Record<string, unknown>;

  @Field({ description: 'ok or error' })
  outcome!: string;

  @Field(() => String, { nullable: true, description: 'What happened (ok) or why it failed (error)' })
  message!: string | null;
}

const TIMELINE_TYPES = {
  [TimelineKind.EVENT]: TimelineEvent,
  [TimelineKind.JOURNEY_STEP]: TimelineJourneyStep,
  [TimelineKind.MESSAGE]: TimelineMessage,
  [TimelineKind.OPERATOR_ACTION]: TimelineOperatorAction,
};

@ObjectType({ description: 'A timeline item and its cursor' })
export class TimelineEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => TimelineItem, { description: 'The timeline item' })
  node!: TimelineItem;
}

@ObjectType({ description: "A page of a customer's timeline" })
export class TimelineConnection {
  @Field(() => [TimelineEdge], { description: 'The items of the page, each with its cursor' })
  edges!: TimelineEdge[];

  @Field(() => [TimelineItem], { description: 'The items of the edges, in the same order, for a client that needs no cursors' })
  nodes!: TimelineItem[];

  @Field(() => PageInfo, { description: 'Cursors and whether more pages follow' })
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const TimelineConnectionTotalCount = totalCountResolver(TimelineConnection, 'Items of the time line in the from/to window, on every page');
