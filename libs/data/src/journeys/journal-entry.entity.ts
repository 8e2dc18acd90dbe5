import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One step of one journey instance; (instance, seq) makes a retried write land once. */
@Entity({ name: 'journal_entries' })
@Index(['instanceId', 'runId', 'seq'], { unique: true })
@Index(['workspaceId', 'customerId', 'at'])
export class JournalEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ name: 'instance_id', type: 'text' })
  instanceId!: string;

  @Column({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ name: 'journey_id', type: 'text' })
  journeyId!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  step!: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  detail!: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
