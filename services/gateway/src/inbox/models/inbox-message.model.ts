import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { totalCountResolver } from '../../common/connection';
import { PageInfo } from '../../common/models/page-info.model';

@ObjectType({ description: "An in-app message in a customer's inbox" })
export class InboxMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: 'The outbox message (as in profile.messages) this was sent as; null when it was not sent by a journey step' })
  messageId!: string | null;

  @Field(() => String, { nullable: true })
  title!: string | null;

  @Field()
  body!: string;

  @Field(() => JSONObjectScalar, { description: 'What the app needs to act on the message (a deep link, an image, …); {} when none' })
  data!: Record<string, unknown>;

  @Field(() => GraphQLISODateTime, { description: 'When it was delivered to the inbox' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  readAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  archivedAt!: Date | null;
}

@ObjectType()
export class InboxMessageEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => InboxMessage)
  node!: InboxMessage;
}

@ObjectType({ description: "A page of a customer's inbox, newest first" })
export class InboxConnection {
  @Field(() => [InboxMessageEdge])
  edges!: InboxMessageEdge[];

  @Field(() => [InboxMessage], { description: 'The messages of the edges, in the same order, for a client that needs no cursors' })
  nodes!: InboxMessage[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Messages of the inbox neither read nor archived (whatever the filters of the page)' })
  unreadCount!: number;
}

/** `totalCount`, counted only when a query asks for it. */
export const InboxConnectionTotalCount = totalCountResolver(InboxConnection, 'Messages matching the filters (unreadOnly, includeArchived), on every page');

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
  @Field(() => InboxUpdateKind)
  kind!: InboxUpdateKind;

  @Field(() => InboxMessage)
  message!: InboxMessage;
}
