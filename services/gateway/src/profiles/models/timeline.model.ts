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
registerEnumType(TimelineKind, { name: 'TimelineKind', description: 'What a timeline item is' });

export enum TimelineOrder {
  NEWEST_FIRST = 'NEWEST_FIRST',
  OLDEST_FIRST = 'OLDEST_FIRST',
}
registerEnumType(TimelineOrder, { name: 'TimelineOrder' });

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

  @Field(() => TimelineKind)
  kind!: TimelineKind;
}

@ObjectType({ implements: () => [TimelineItem], description: 'An event the customer sent' })
export class TimelineEvent extends TimelineItem {
  @Field()
  messageId!: string;

  @Field({ description: 'track, identify, page, screen, group or alias' })
  type!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => JSONObjectScalar)
  properties!: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { nullable: true })
  traits!: Record<string, unknown> | null;
}

@ObjectType({ implements: () => [TimelineItem], description: 'A step of one of the customer’s journey instances, from the journal' })
export class TimelineJourneyStep extends TimelineItem {
  @Field({ description: 'Workflow id of the instance' })
  instanceId!: string;

  @Field()
  runId!: string;

  @Field()
  journeyId!: string;

  @Field(() => Int)
  seq!: number;

  @Field({ description: 'entered, wait.started, timer.reset, wait.ended, message.sent, exited, …' })
  type!: string;

  @Field()
  step!: string;

  @Field(() => JSONObjectScalar)
  detail!: Record<string, unknown>;
}

@ObjectType({ implements: () => [TimelineItem], description: 'A message sent (or attempted) to the customer, with its current status' })
export class TimelineMessage extends TimelineItem {
  @Field({ description: 'Workflow id of the instance that sent it' })
  instanceId!: string;

  @Field()
  step!: string;

  @Field()
  channel!: string;

  @Field()
  to!: string;

  @Field()
  body!: string;

  @Field({ description: 'pending, sending, queued, sent, delivered, undelivered or failed' })
  status!: string;

  @Field(() => String, { nullable: true })
  providerId!: string | null;

  @Field(() => Int, { nullable: true })
  errorCode!: number | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;
}

@ObjectType({ implements: () => [TimelineItem], description: "An operator's action on one of the customer's instances (from the audit trail)" })
export class TimelineOperatorAction extends TimelineItem {
  @Field()
  action!: string;

  @Field({ description: 'Workflow id of the instance acted on' })
  instanceId!: string;

  @Field({ description: 'Name of the API key that acted' })
  actor!: string;

  @Field(() => JSONObjectScalar)
  input!: Record<string, unknown>;

  @Field({ description: 'ok or error' })
  outcome!: string;

  @Field(() => String, { nullable: true })
  message!: string | null;
}

const TIMELINE_TYPES = {
  [TimelineKind.EVENT]: TimelineEvent,
  [TimelineKind.JOURNEY_STEP]: TimelineJourneyStep,
  [TimelineKind.MESSAGE]: TimelineMessage,
  [TimelineKind.OPERATOR_ACTION]: TimelineOperatorAction,
};

@ObjectType()
export class TimelineEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => TimelineItem)
  node!: TimelineItem;
}

@ObjectType({ description: "A page of a customer's timeline" })
export class TimelineConnection {
  @Field(() => [TimelineEdge])
  edges!: TimelineEdge[];

  @Field(() => [TimelineItem], { description: 'The items of the edges, in the same order, for a client that needs no cursors' })
  nodes!: TimelineItem[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const TimelineConnectionTotalCount = totalCountResolver(TimelineConnection, 'Items of the time line in the from/to window, on every page');
