import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  type!: 'track' | 'identify';

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
}
