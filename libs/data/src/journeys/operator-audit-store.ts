import type { DataSource } from 'typeorm';
import { keysetSql, type KeysetWindow } from '../keyset';

export type OperatorAction = 'endJourneyInstance' | 'deliverEventToInstance' | 'retryFailedSend' | 'rerunFailedStep';

export interface OperatorAuditWrite {
  workspaceId: string;
  /** The API key that acted; its name is copied so the trail survives the key. */
  actorKeyId: string;
  action: OperatorAction;
  /** What was acted on: an instance (workflow) id or a message id. */
  target: string;
  instanceId?: string | null;
  /** The run of the instance acted on (an instance in the API is one run). */
  runId?: string | null;
  customerId?: string | null;
  input: Record<string, unknown>;
  outcome: 'ok' | 'error';
  message?: string | null;
  /** When the operator acted (default: now); the outcome is known later. */
  at?: Date;
}

export interface OperatorAuditRow {
  id: string;
  actorKeyId: string | null;
  actorName: string;
  action: OperatorAction;
  target: string;
  instanceId: string | null;
  runId: string | null;
  customerId: string | null;
  input: Record<string, unknown>;
  outcome: 'ok' | 'error';
  message: string | null;
  at: Date;
}

/** Only the actions on one instance (workflow id), and on one run of it. */
export interface AuditFilter {
  instanceId?: string;
  runId?: string;
}

const COLUMNS = `id::text AS id, actor_key_id AS "actorKeyId", actor_name AS "actorName", action, target, instance_id AS "instanceId",
  run_id AS "runId", customer_id AS "customerId", input, outcome, message, at`;

const WHERE = `workspace_id = $1 AND ($2::text IS NULL OR instance_id = $2) AND ($3::text IS NULL OR run_id = $3)`;

/** Who did what to which journey instance, when, and how it went. Append-only. */
export class OperatorAuditStore {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: OperatorAuditWrite): Promise<OperatorAuditRow> {
    const rows: OperatorAuditRow[] = await this.dataSource.query(
      `INSERT INTO operator_audit (workspace_id, actor_key_id, actor_name, action, target, instance_id, run_id, customer_id, input, outcome, message, at)
       VALUES ($1, $2, COALESCE((SELECT name FROM api_keys WHERE id = $2), 'unknown key'), $3, $4, $5, $11, $6, $7::jsonb, $8, $9, COALESCE($10, now()))
       RETURNING ${COLUMNS}`,
      [
        entry.workspaceId,
        entry.actorKeyId,
        entry.action,
        entry.target,
        entry.instanceId ?? null,
        entry.customerId ?? null,
        JSON.stringify(entry.input),
        entry.outcome,
        entry.message ?? null,
        entry.at ?? null,
        entry.runId ?? null,
      ],
    );
    return rows[0]!;
  }

  /**
   * Newest first (by id); optionally only the actions on one instance. Returns up to `limit + 1`
   * rows in fetch order (see KeysetWindow); a position is an entry id.
   */
  async list(workspaceId: string, options: AuditFilter & KeysetWindow<string>): Promise<{ entries: OperatorAuditRow[] }> {
    const order = keysetSql('DESC', options.backward);
    // ORDER BY the bigint column: a bare `id` would sort the text alias ("10" before "9").
    const entries: OperatorAuditRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM operator_audit WHERE ${WHERE}
         AND ($4::bigint IS NULL OR id ${order.after} $4::bigint) AND ($5::bigint IS NULL OR id ${order.before} $5::bigint)
       ORDER BY operator_audit.id ${order.direction} LIMIT $6`,
      [workspaceId, options.instanceId ?? null, options.runId ?? null, options.after ?? null, options.before ?? null, options.limit + 1],
    );
    return { entries };
  }

  /** The entries {@link list} pages through, on every page. */
  async count(workspaceId: string, options: AuditFilter): Promise<number> {
    const counted: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM operator_audit WHERE ${WHERE}`, [
      workspaceId,
      options.instanceId ?? null,
      options.runId ?? null,
    ]);
    return counted[0]?.count ?? 0;
  }

  /** Entries of a workspace by id, in the order of `ids`; null where none (or not an id). */
  async get(workspaceId: string, ids: readonly string[]): Promise<Array<OperatorAuditRow | null>> {
    const valid = ids.filter((id) => /^[1-9][0-9]{0,17}$/.test(id));
    if (valid.length === 0) return ids.map(() => null);
    const rows: OperatorAuditRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM operator_audit WHERE workspace_id = $1 AND id = ANY($2::bigint[])`, [workspaceId, valid]);
    return ids.map((id) => rows.find((row) => row.id === id) ?? null);
  }
}
