import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '../repositories/affected-rows';

export type BroadcastStatus = 'running' | 'paused' | 'cancelled' | 'completed';

export interface Broadcast {
  id: string;
  workspaceId: string;
  name: string;
  audienceId: string;
  audience: string;
  template: string;
  channel: string;
  ratePerSecond: number;
  status: BroadcastStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface RecipientOutcome {
  customerId: string;
  outcome: 'sent' | 'skipped' | 'failed';
  reason?: string | null;
  messageId?: string | null;
}

export interface BroadcastProgress {
  enrolled: number;
  sent: number;
  failed: number;
  skipped: Array<{ reason: string; count: number }>;
}

const COLUMNS = `b.id, b.workspace_id AS "workspaceId", b.name, b.audience_id AS "audienceId", a.name AS audience, b.template, b.channel,
  b.rate_per_second AS "ratePerSecond", b.status, b.created_at AS "createdAt", b.updated_at AS "updatedAt"`;

/** Broadcasts and, per recipient, what happened (written once per recipient: a retried batch changes nothing). */
export class BroadcastStore {
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  async create(workspaceId: string, broadcast: { name: string; audienceId: string; template: string; channel: string; ratePerSecond: number }): Promise<Broadcast> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO broadcasts (workspace_id, name, audience_id, template, channel, rate_per_second) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [workspaceId, broadcast.name, broadcast.audienceId, broadcast.template, broadcast.channel, broadcast.ratePerSecond],
    );
    return (await this.get(workspaceId, row!.id))!;
  }

  async get(workspaceId: string, id: string): Promise<Broadcast | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const rows: Broadcast[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM broadcasts b JOIN audiences a ON a.id = b.audience_id WHERE b.workspace_id = $1 AND b.id = $2`,
      [workspaceId, id],
    );
    return rows[0] ?? null;
  }

  async list(workspaceId: string): Promise<Broadcast[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM broadcasts b JOIN audiences a ON a.id = b.audience_id WHERE b.workspace_id = $1 ORDER BY b.created_at DESC`, [workspaceId]);
  }

  /** Moves the status; a cancelled or completed broadcast stays so. Returns false when it did not move. */
  async setStatus(id: string, status: BroadcastStatus): Promise<boolean> {
    const result: unknown = await this.dataSource.query(
      `UPDATE broadcasts SET status = $2, updated_at = now() WHERE id = $1 AND status NOT IN ('cancelled', 'completed')`,
      [id, status],
    );
    return affectedRows(result) > 0;
  }

  async record(broadcastId: string, outcomes: RecipientOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO broadcast_recipients (broadcast_id, customer_id, outcome, reason, message_id)
       SELECT $1, r.customer_id, r.outcome, r.reason, r.message_id::uuid
       FROM jsonb_to_recordset($2::jsonb) AS r(customer_id text, outcome text, reason text, message_id text)
       ON CONFLICT (broadcast_id, customer_id) DO NOTHING`,
      [broadcastId, JSON.stringify(outcomes.map((o) => ({ customer_id: o.customerId, outcome: o.outcome, reason: o.reason ?? null, message_id: o.messageId ?? null })))],
    );
  }

  /** Which of these customers already have an outcome in this broadcast. */
  async reached(broadcastId: string, customerIds: string[]): Promise<Set<string>> {
    const rows: Array<{ customer_id: string }> = await this.dataSource.query(
      `SELECT customer_id FROM broadcast_recipients WHERE broadcast_id = $1 AND customer_id = ANY($2::text[])`,
      [broadcastId, customerIds],
    );
    return new Set(rows.map((row) => row.customer_id));
  }

  async progress(broadcastId: string): Promise<BroadcastProgress> {
    const rows: Array<{ outcome: string; reason: string | null; count: string }> = await this.dataSource.query(
      `SELECT outcome, reason, count(*) AS count FROM broadcast_recipients WHERE broadcast_id = $1 GROUP BY outcome, reason ORDER BY outcome, reason`,
      [broadcastId],
    );
    const total = (outcome: string) => rows.filter((row) => row.outcome === outcome).reduce((sum, row) => sum + Number(row.count), 0);
    return {
      enrolled: rows.reduce((sum, row) => sum + Number(row.count), 0),
      sent: total('sent'),
      failed: total('failed'),
      skipped: rows.filter((row) => row.outcome === 'skipped').map((row) => ({ reason: row.reason ?? 'unknown', count: Number(row.count) })),
    };
  }
}
