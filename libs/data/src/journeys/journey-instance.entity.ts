import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Where each journey instance stands, kept current by the journal. */
@Entity({ name: 'journey_instances' })
@Index(['workspaceId', 'customerId'])
export class JourneyInstanceEntity {
  /** The workflow id, `journey/<journeyId>/<customer>/<key>`. */
  @PrimaryColumn({ name: 'instance_id', type: 'text' })
  instanceId!: string;

  /** The first run of this instance (stable across continue-as-new; a re-entry is a new one). */
  @PrimaryColumn({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ name: 'journey_id', type: 'text' })
  journeyId!: string;

  /** The catalogue version published when the instance entered; null for instances from before it was recorded. */
  @Column({ name: 'journey_version', type: 'integer', nullable: true })
  journeyVersion!: number | null;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ name: 'instance_key', type: 'text' })
  instanceKey!: string;

  @Column({ type: 'text' })
  status!: 'active' | 'completed' | 'exited';

  @Column({ name: 'current_step', type: 'text' })
  currentStep!: string;

  @Column({ name: 'exit_reason', type: 'text', nullable: true })
  exitReason!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}
