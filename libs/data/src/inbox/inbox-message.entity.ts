import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One in-app message in a customer's inbox (table `inbox_messages`, migration 1732440000000):
 * delivered once per outbox row, then read and archived by the customer's app.
 */
@Entity({ name: 'inbox_messages' })
export class InboxMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  /** The outbox row (`messages.id`) this came from; null when it was not sent through the outbox. */
  @Column({ name: 'message_id', type: 'uuid', nullable: true, unique: true })
  messageId!: string | null;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  @Column({ type: 'text' })
  body!: string;

  /** What the app needs to act on the message (a deep link, an image, …); a JSON object. */
  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  data!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;
}
