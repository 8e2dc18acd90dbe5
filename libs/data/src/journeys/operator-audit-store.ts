import type { DataSource } from 'typeorm';

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

  /** Newest first; optionally only the actions on one instance. */
  async list(
    workspaceId: string,
    options: { instanceId?: string; first: number; afterId?: string },
  ): Promise<{ entries: OperatorAuditRow[]; hasNextPage: boolean; totalCount: number }> {
    const filters = [workspaceId, options.instanceId ?? null];
    const where = `workspace_id = $1 AND ($2::text IS NULL OR instance_id = $2)`;
    const [rows, counted]: [OperatorAuditRow[], Array<{ count: number }>] = await Promise.all([
      this.dataSource.query(
        `SELECT ${COLUMNS} FROM operator_audit WHERE ${where} AND ($3::bigint IS NULL OR id < $3::bigint) ORDER BY id DESC LIMIT $4`,
        [...filters, options.afterId ?? null, options.first + 1],
      ),
      this.dataSource.query(`SELECT count(*)::int AS count FROM operator_audit WHERE ${where}`, filters),
    ]);
    return { entries: rows.slice(0, options.first), hasNextPage: rows.length > options.first, totalCount: counted[0]?.count ?? 0 };
  }
}
