import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type MessageStatus = 'pending' | 'sending' | 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';
/** What a message went out on (its `channel` column). */
export type MessageChannelName = 'sms' | 'mms' | 'whatsapp' | 'rcs' | 'email' | 'in_app';

/**
 * The outbox: one row per (instance, step) so a retried send never sends twice. Partitioned by
 * month on `created_at` (primary key (id, created_at)); the (instance, run, step) key is
 * `message_keys`' and a provider sid is `message_sids`' (see MessageStore.claim).
 */
@Entity({ name: 'messages' })
@Index(['instanceId', 'runId', 'step'])
@Index(['workspaceId', 'customerId', 'createdAt'])
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ name: 'instance_id', type: 'text' })
  instanceId!: string;

  @Column({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ type: 'text' })
  step!: string;

  @Column({ type: 'text' })
  channel!: MessageChannelName;

  @Column({ name: 'to_address', type: 'text' })
  to!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  status!: MessageStatus;

  @Column({ name: 'provider_id', type: 'text', nullable: true })
  providerId!: string | null;

  @Column({ name: 'error_code', type: 'integer', nullable: true })
  errorCode!: number | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  /** The sending instance waits for this message's delivery report: reports are signalled to it. */
  @Column({ name: 'delivery_awaited', type: 'boolean', default: true })
  deliveryAwaited!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
