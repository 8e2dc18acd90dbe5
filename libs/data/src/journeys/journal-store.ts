import type { DataSource, EntityManager } from 'typeorm';
import { JourneyInstanceEntity } from './journey-instance.entity';
import { erasedCustomerRef } from '../profiles/erasure-store';
import { keysetSql, type KeysetWindow } from '../keyset';

/** One journal entry of a run. */
export interface JournalEntryRow {
  /** The entry's id in the journal (a bigint, as text). */
  id: string;
  /** The workflow id of the instance the entry belongs to. */
  instanceId: string;
  runId: string;
  seq: number;
  type: string;
  step: string;
  detail: Record<string, unknown>;
  at: Date;
}

export interface JournalWrite {
  workspaceId: string;
  instanceId: string;
  /** First run id of the instance: a re-entry with the same workflow id journals afresh. */
  runId: string;
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

  /** Idempotent per (instance, run, seq): a retried activity writes nothing twice, even with another `at`. */
  async record(entry: JournalWrite): Promise<boolean> {
    const [inserted] = await this.recordMany([entry]);
    return inserted!;
  }

  /**
   * Writes entries in one transaction, in the order given (a journey's entries since it last
   * blocked: one local activity instead of one each), each idempotent as `record` is. Whether each
   * was new, in the same order.
   */
  async recordMany(entries: JournalWrite[]): Promise<boolean[]> {
    if (entries.length === 0) return [];
    return this.dataSource.transaction(async (manager) => {
      const erasedCustomers = new Map<string, boolean>();
      const locked = new Set<string>();
      const results: boolean[] = [];
      for (let entry of entries) {
        // A step journaled after the customer was erased (an instance ending on the archive signal)
        // is written as the same anonymous tombstone.
        const anonymous = erasedCustomerRef(entry.workspaceId, entry.customerId);
        let erased = erasedCustomers.get(`${entry.workspaceId}/${anonymous}`);
        if (erased === undefined) {
          const rows: unknown[] = await manager.query(`SELECT 1 FROM erasures WHERE workspace_id = $1 AND customer_hash = $2`, [entry.workspaceId, anonymous]);
          erased = rows.length > 0;
          erasedCustomers.set(`${entry.workspaceId}/${anonymous}`, erased);
        }
        if (erased) entry = { ...entry, customerId: anonymous, detail: {} };
        // Once per (instance, run, seq), whatever its time: a write retried in a later workflow task (the
        // task that ran it timed out) carries a later `at`, and the partitioned table's unique index must
        // include `at`, so it cannot refuse that repeat alone. One run's writes are serialised (they are
        // sequential anyway), then the NOT EXISTS reads that index's (instance, run, seq) prefix.
        const run = JSON.stringify([entry.instanceId, entry.runId]);
        if (!locked.has(run)) {
          await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [entry.instanceId, entry.runId]);
          locked.add(run);
        }
        results.push(await this.insertEntry(manager, entry));
      }
      return results;
    });
  }

  /** One entry and the instance's summary, inside the caller's transaction holding the run's lock. */
  private async insertEntry(manager: EntityManager, entry: JournalWrite): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO journal_entries (workspace_id, instance_id, run_id, seq, journey_id, customer_id, type, step, detail, at)
       SELECT $1::uuid, $2::text, $3::text, $4::int, $5::text, $6::text, $7::text, $8::text, $9::jsonb, $10::timestamptz
       WHERE NOT EXISTS (SELECT 1 FROM journal_entries WHERE instance_id = $2 AND run_id = $3 AND seq = $4)
       ON CONFLICT (instance_id, run_id, seq, at) DO NOTHING RETURNING id`,
      [entry.workspaceId, entry.instanceId, entry.runId, entry.seq, entry.journeyId, entry.customerId, entry.type, entry.step, JSON.stringify(entry.detail), entry.at],
    );
    if (inserted.length === 0) return false;
    const ended = entry.status !== 'active';
    await manager.query(
      // The version is the catalogue's when the instance's first entry lands (the journal input carries none).
      `INSERT INTO journey_instances AS i (instance_id, workspace_id, journey_id, customer_id, instance_key, status, current_step, exit_reason, started_at, updated_at, ended_at, run_id, journey_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $12, (SELECT version FROM journey_catalogue WHERE journey_id = $3))
       ON CONFLICT (instance_id, run_id) DO UPDATE SET
         status = EXCLUDED.status,
         current_step = EXCLUDED.current_step,
         exit_reason = COALESCE(EXCLUDED.exit_reason, CASE WHEN EXCLUDED.status = 'active' THEN NULL ELSE i.exit_reason END),
         started_at = CASE WHEN $11 THEN EXCLUDED.started_at ELSE i.started_at END,
         ended_at = EXCLUDED.ended_at,
         -- The latest step's time even when an earlier step's write lands last: funnels bound the journal by it.
         updated_at = GREATEST(i.updated_at, EXCLUDED.updated_at)`,
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
        entry.runId,
      ],
    );
    return true;
  }

  /** Journal of an instance: of one run (re-entry), or of every run with that workflow id, oldest first. */
  async listEntries(
    instanceId: string,
    runId?: string,
  ): Promise<Array<{ runId: string; seq: number; type: string; step: string; detail: Record<string, unknown>; at: Date }>> {
    return this.dataSource.query(
      `SELECT run_id AS "runId", seq, type, step, detail, at FROM journal_entries
       WHERE instance_id = $1 AND ($2::text IS NULL OR run_id = $2)
       ORDER BY min(id) OVER (PARTITION BY run_id), seq`,
      [instanceId, runId ?? null],
    );
  }

  /**
   * A page of the journal of one run, by seq: up to `limit + 1` entries in fetch order (see
   * KeysetWindow); a position is a seq.
   */
  async pageEntries(instanceId: string, runId: string, window: KeysetWindow<number>): Promise<JournalEntryRow[]> {
    const order = keysetSql('ASC', window.backward);
    return this.dataSource.query(
      `SELECT id::text AS id, instance_id AS "instanceId", run_id AS "runId", seq, type, step, detail, at FROM journal_entries
       WHERE instance_id = $1 AND run_id = $2 AND ($3::int IS NULL OR seq ${order.after} $3::int) AND ($4::int IS NULL OR seq ${order.before} $4::int)
       ORDER BY seq ${order.direction} LIMIT $5`,
      [instanceId, runId, window.after ?? null, window.before ?? null, window.limit + 1],
    );
  }

  /** Journal entries of a workspace by id, in the order of `ids`; null where none (or not an id). */
  async getEntries(workspaceId: string, ids: readonly string[]): Promise<Array<JournalEntryRow | null>> {
    const valid = ids.filter((id) => /^[1-9][0-9]{0,17}$/.test(id));
    if (valid.length === 0) return ids.map(() => null);
    const rows: JournalEntryRow[] = await this.dataSource.query(
      `SELECT id::text AS id, instance_id AS "instanceId", run_id AS "runId", seq, type, step, detail, at FROM journal_entries WHERE workspace_id = $1 AND id = ANY($2::bigint[])`,
      [workspaceId, valid],
    );
    return ids.map((id) => rows.find((row) => row.id === id) ?? null);
  }

  /** The entries {@link pageEntries} pages through. */
  async countEntries(instanceId: string, runId: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM journal_entries WHERE instance_id = $1 AND run_id = $2`,
      [instanceId, runId],
    );
    return rows[0]?.count ?? 0;
  }

  /** Runs of instances of a workspace by (workflow id, first run id), in the order of `keys`; null where none. */
  async getRuns(workspaceId: string, keys: ReadonlyArray<{ instanceId: string; runId: string }>): Promise<Array<JourneyInstanceEntity | null>> {
    if (keys.length === 0) return [];
    const found = await this.dataSource
      .getRepository(JourneyInstanceEntity)
      .find({ where: keys.map(({ instanceId, runId }) => ({ workspaceId, instanceId, runId })) });
    return keys.map((key) => found.find((row) => row.instanceId === key.instanceId && row.runId === key.runId) ?? null);
  }

  /** One instance of a workspace: the given run, or the latest run with that workflow id. */
  async getInstance(workspaceId: string, instanceId: string, runId?: string): Promise<JourneyInstanceEntity | null> {
    return this.dataSource.getRepository(JourneyInstanceEntity).findOne({
      where: { workspaceId, instanceId, ...(runId ? { runId } : {}) },
      order: { startedAt: 'DESC' },
    });
  }

  /**
   * Ends the summary of a run that was terminated in Temporal (no journey code ran to journal its
   * exit). Only an active run changes; returns whether it did.
   */
  async markTerminated(workspaceId: string, instanceId: string, runId: string, reason: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE journey_instances SET status = 'exited', exit_reason = $4, ended_at = now(), updated_at = now()
       WHERE workspace_id = $1 AND instance_id = $2 AND run_id = $3 AND status = 'active' RETURNING instance_id`,
      [workspaceId, instanceId, runId, reason],
    );
    return rows.length > 0;
  }

  async listInstances(workspaceId: string, customerId: string): Promise<JourneyInstanceEntity[]> {
    return this.dataSource
      .getRepository(JourneyInstanceEntity)
      .find({ where: { workspaceId, customerId }, order: { startedAt: 'ASC' } });
  }
}
