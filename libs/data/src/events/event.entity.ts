import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The Segment call types; only `track` and `identify` are delivered to journeys today. */
export type EventType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

/** Every accepted event, stored before it is acknowledged; `messageId` is unique per workspace. */
@Entity({ name: 'events' })
@Index(['workspaceId', 'messageId'], { unique: true })
@Index(['workspaceId', 'userId', 'receivedAt'])
export class EventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  /** The customer: Segment's userId, or `anon:<anonymousId>` for an event without one. */
  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  type!: EventType;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  properties!: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  traits!: Record<string, unknown> | null;

  @Column({ type: 'timestamptz' })
  timestamp!: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** Set once the event has been delivered to every journey it concerns. */
  @Column({ name: 'routed_at', type: 'timestamptz', nullable: true })
  routedAt!: Date | null;

  /** The customer's routing partition (0–63): the gateway holding its lease routes the event. */
  @Column({ name: 'routing_partition', type: 'smallint', nullable: true })
  routingPartition!: number | null;

  /** The routing lane it was accepted in: true for an import's, false for a live customer's; null when stored before lanes were kept. */
  @Column({ type: 'boolean', nullable: true })
  bulk!: boolean | null;

  /** Set (with routedAt) when no retry could deliver the event, e.g. a key Temporal rejects. */
  @Column({ name: 'routing_error', type: 'text', nullable: true })
  routingError!: string | null;

  /** Segment's anonymousId; the customer is `anon:<anonymousId>` when there is no userId. */
  @Column({ name: 'anonymous_id', type: 'text', nullable: true })
  anonymousId!: string | null;

  /** `group` calls: the group the customer joins. */
  @Column({ name: 'group_id', type: 'text', nullable: true })
  groupId!: string | null;

  /** `alias` calls: the identity being merged into userId. */
  @Column({ name: 'previous_id', type: 'text', nullable: true })
  previousId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  context!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  integrations!: Record<string, unknown> | null;

  /** The client's clock when it sent the event (tracking API); `timestamp` is corrected with it. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** The timestamp as the client sent it, before clock-skew correction. */
  @Column({ name: 'original_timestamp', type: 'timestamptz', nullable: true })
  originalTimestamp!: Date | null;

  /** The source write key the event arrived with (tracking API). */
  @Column({ name: 'source_id', type: 'uuid', nullable: true })
  sourceId!: string | null;
}
