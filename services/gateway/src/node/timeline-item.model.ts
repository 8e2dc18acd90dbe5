import { Field, GraphQLISODateTime, ID, InterfaceType, registerEnumType } from '@nestjs/graphql';
import { Node, NODE_TYPE } from './node.model';

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
    EVENT: { description: 'An event the customer sent (ProfileEvent)' },
    JOURNEY_STEP: { description: 'A journal entry of one of their journey instances (TimelineEntry)' },
    MESSAGE: { description: 'A message sent or attempted to them (Message)' },
    OPERATOR_ACTION: { description: "An operator's action on one of their instances (OperatorAuditEntry)" },
  },
});

/** The GraphQL type of each kind of item: the entity itself, so its id is the one node(id:) and its other lists give. */
export const TIMELINE_ITEM_TYPE: Record<TimelineKind, string> = {
  [TimelineKind.EVENT]: 'ProfileEvent',
  [TimelineKind.JOURNEY_STEP]: 'TimelineEntry',
  [TimelineKind.MESSAGE]: 'Message',
  [TimelineKind.OPERATOR_ACTION]: 'OperatorAuditEntry',
};

/** The kind of each entity type that is a timeline item (the inverse of TIMELINE_ITEM_TYPE). */
export const TIMELINE_KIND_OF_TYPE: Record<string, TimelineKind> = Object.fromEntries(
  Object.entries(TIMELINE_ITEM_TYPE).map(([kind, type]) => [type, kind as TimelineKind]),
);

/** The kind a timeline item was read as (set by toTimelineItem), for `resolveType`. */
export const TIMELINE_KIND = Symbol('timeline kind');

@InterfaceType({
  description:
    "One thing in a customer's timeline, the entity itself (its id is its global id): ask for the specific fields with `... on ProfileEvent`, `... on Message`, `... on TimelineEntry` and `... on OperatorAuditEntry`",
  implements: () => [Node],
  resolveType: (item: { [TIMELINE_KIND]?: TimelineKind; [NODE_TYPE]?: string }) => (item[TIMELINE_KIND] ? TIMELINE_ITEM_TYPE[item[TIMELINE_KIND]] : item[NODE_TYPE]),
})
export abstract class TimelineItem {
  @Field(() => ID, { description: 'Global id: opaque, unique across every type, stable for the life of the entity' })
  id!: string;

  @Field(() => GraphQLISODateTime, {
    description:
      'When it happened: the timestamp of an event, the journal time of a journal entry, the creation of a message, the time of an operator action',
  })
  at!: Date;

  @Field(() => TimelineKind, { description: 'Which item type this is' })
  kind!: TimelineKind;
}
