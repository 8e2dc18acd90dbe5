import type { DataSource } from 'typeorm';
import { JourneyInstanceEntity } from '../entities';

export interface JournalWrite {
  workspaceId: string;
  instanceId: string;
  seq: number;
  journeyId: string;
  customerId: string;
  key: string;
  type: string;
  step: string;
  status: 'active' | 'completed' | 'exited';
  detail: Record<string, unknown>;
  at: Date;
}

/** The journal and the per-instance summary it keeps current, written in one transaction. */
export class JournalStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Idempotent per (instance, seq): a retried activity writes nothing twice. */
  async record(entry: JournalWrite): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO journal_entries (workspace_id, instance_id, seq, journey_id, customer_id, type, step, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
         ON CONFLICT (instance_id, seq) DO NOTHING RETURNING id`,
        [entry.workspaceId, entry.instanceId, entry.seq, entry.journeyId, entry.customerId, entry.type, entry.step, JSON.stringify(entry.detail), entry.at],
      );
      if (inserted.length === 0) return false;
      const ended = entry.status !== 'active';
      await manager.query(
        `INSERT INTO journey_instances AS i (instance_id, workspace_id, journey_id, customer_id, instance_key, status, current_step, exit_reason, started_at, updated_at, ended_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)
         ON CONFLICT (instance_id) DO UPDATE SET
           status = EXCLUDED.status,
           current_step = EXCLUDED.current_step,
           exit_reason = COALESCE(EXCLUDED.exit_reason, CASE WHEN EXCLUDED.status = 'active' THEN NULL ELSE i.exit_reason END),
           started_at = CASE WHEN $11 THEN EXCLUDED.started_at ELSE i.started_at END,
           ended_at = EXCLUDED.ended_at,
           updated_at = EXCLUDED.updated_at`,
        [
          entry.instanceId,
          entry.workspaceId,
          entry.journeyId,
          entry.customerId,
          entry.key,
          entry.status,
          entry.step,
          typeof entry.detail['reason'] === 'string' && entry.status === 'exited' ? entry.detail['reason'] : null,
          entry.at,
          ended ? entry.at : null,
          entry.type === 'entered',
        ],
      );
      return true;
    });
  }

  async listEntries(instanceId: string): Promise<Array<{ seq: number; type: string; step: string; detail: Record<string, unknown>; at: Date }>> {
    return this.dataSource.query(
      `SELECT seq, type, step, detail, at FROM journal_entries WHERE instance_id = $1 ORDER BY seq`,
      [instanceId],
    );
  }

  async listInstances(workspaceId: string, customerId: string): Promise<JourneyInstanceEntity[]> {
    return this.dataSource
      .getRepository(JourneyInstanceEntity)
      .find({ where: { workspaceId, customerId }, order: { startedAt: 'ASC' } });
  }
}
