import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { totalCountResolver } from '../../common/connection';
import { PageInfo } from '../../common/models/page-info.model';
import { PayloadType } from '../../common/user-error';
import { Node } from '../../node/node.model';

@ObjectType({ description: "An in-app message in a customer's inbox", implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the inbox message's uuid (markInboxMessageRead and archiveInboxMessage take it).
export class InboxMessage {
  /** inbox_messages.id: the local part of its global id. */
  localId!: string;

  /** The customer whose inbox it is, resolved into `customer` when asked for. */
  customerId!: string;

  /** The outbox message it was sent as, resolved into `message` when asked for. */
  messageId!: string | null;

  @Field(() => String, { nullable: true, description: 'The title, when the template has one' })
  title!: string | null;

  @Field({ description: 'The rendered text' })
  body!: string;

  @Field(() => JSONObjectScalar, { description: 'What the app needs to act on the message (a deep link, an image, …); {} when none' })
  data!: Record<string, unknown>;

  @Field(() => GraphQLISODateTime, { description: 'When it was delivered to the inbox' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was first marked read; null while unread' })
  readAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was first archived; null while in the inbox' })
  archivedAt!: Date | null;
}

@ObjectType({ description: 'One inbox message of a page, with its cursor' })
export class InboxMessageEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => InboxMessage, { description: 'The inbox message' })
  node!: InboxMessage;
}

@ObjectType({ description: "A page of a customer's inbox, newest first" })
export class InboxConnection {
  @Field(() => [InboxMessageEdge], { description: 'The messages of the page, newest first, with their cursors' })
  edges!: InboxMessageEdge[];

  @Field(() => [InboxMessage], { description: 'The messages of the edges, in the same order, for a client that needs no cursors' })
  nodes!: InboxMessage[];

  @Field(() => PageInfo, { description: 'Whether another page follows and the cursor to ask for it' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Messages of the inbox neither read nor archived (whatever the filters of the page)' })
  unreadCount!: number;
}

/** `totalCount`, counted only when a query asks for it. */
export const InboxConnectionTotalCount = totalCountResolver(InboxConnection, 'Messages matching the filters (unreadOnly, includeArchived), on every page');

@InputType({ description: 'An inbox message to mark read' })
export class MarkInboxMessageReadInput {
  @Field(() => ID, { description: 'The global id of the InboxMessage' })
  id!: string;
}

@ObjectType({ description: 'The result of markInboxMessageRead' })
export class MarkInboxMessageReadPayload extends PayloadType('inboxMessage', () => InboxMessage, 'The message, read; null when userErrors is not empty') {}

@InputType({ description: 'An inbox message to archive' })
export class ArchiveInboxMessageInput {
  @Field(() => ID, { description: 'The global id of the InboxMessage' })
  id!: string;
}

@ObjectType({ description: 'The result of archiveInboxMessage' })
export class ArchiveInboxMessagePayload extends PayloadType('inboxMessage', () => InboxMessage, 'The message, archived; null when userErrors is not empty') {}

export enum InboxUpdateKind {
  DELIVERED = 'DELIVERED',
  READ = 'READ',
  ARCHIVED = 'ARCHIVED',
}

registerEnumType(InboxUpdateKind, {
  name: 'InboxUpdateKind',
  description: 'What happened to an inbox message',
  valuesMap: {
    DELIVERED: { description: 'It arrived in the inbox' },
    READ: { description: 'It was marked read' },
    ARCHIVED: { description: 'It was archived' },
  },
});

@ObjectType({ description: "A change to a customer's inbox, with the message as it is when the update is sent" })
export class InboxUpdate {
  @Field({ description: 'Where this change stands in the subscription: pass it as `after` to resume right after it (kept for 7 days)' })
  cursor!: string;

  @Field(() => InboxUpdateKind, { description: 'What happened to the message' })
  kind!: InboxUpdateKind;

  @Field(() => InboxMessage, { description: 'The message after the change' })
  message!: InboxMessage;
}
