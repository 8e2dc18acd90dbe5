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
  customerId: string | null;
  input: Record<string, unknown>;
  outcome: 'ok' | 'error';
  message: string | null;
  at: Date;
}

const COLUMNS = `id::text AS id, actor_key_id AS "actorKeyId", actor_name AS "actorName", action, target, instance_id AS "instanceId",
  customer_id AS "customerId", input, outcome, message, at`;

const WHERE = `workspace_id = $1 AND ($2::text IS NULL OR instance_id = $2)`;

/** Who did what to which journey instance, when, and how it went. Append-only. */
export class OperatorAuditStore {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: OperatorAuditWrite): Promise<OperatorAuditRow> {
    const rows: OperatorAuditRow[] = await this.dataSource.query(
      `INSERT INTO operator_audit (workspace_id, actor_key_id, actor_name, action, target, instance_id, customer_id, input, outcome, message, at)
       VALUES ($1, $2, COALESCE((SELECT name FROM api_keys WHERE id = $2), 'unknown key'), $3, $4, $5, $6, $7::jsonb, $8, $9, COALESCE($10, now()))
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
      ],
    );
    return rows[0]!;
  }

  /**
   * Newest first (by id); optionally only the actions on one instance. Returns up to `limit + 1`
   * rows in fetch order (see KeysetWindow); a position is an entry id.
   */
  async list(workspaceId: string, options: { instanceId?: string } & KeysetWindow<string>): Promise<{ entries: OperatorAuditRow[] }> {
    const order = keysetSql('DESC', options.backward);
    // ORDER BY the bigint column: a bare `id` would sort the text alias ("10" before "9").
    const entries: OperatorAuditRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM operator_audit WHERE ${WHERE}
         AND ($3::bigint IS NULL OR id ${order.after} $3::bigint) AND ($4::bigint IS NULL OR id ${order.before} $4::bigint)
       ORDER BY operator_audit.id ${order.direction} LIMIT $5`,
      [workspaceId, options.instanceId ?? null, options.after ?? null, options.before ?? null, options.limit + 1],
    );
    return { entries };
  }

  /** The entries {@link list} pages through, on every page. */
  async count(workspaceId: string, options: { instanceId?: string }): Promise<number> {
    const counted: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM operator_audit WHERE ${WHERE}`, [
      workspaceId,
      options.instanceId ?? null,
    ]);
    return counted[0]?.count ?? 0;
  }
}
