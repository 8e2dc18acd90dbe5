import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

export type TransactionalStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** What `sendMessage` asked for. */
export interface TransactionalRequest {
  idempotencyKey: string;
  customerId: string;
  channel: string;
  template: string;
  locale?: string;
  data: Record<string, unknown>;
  to?: string;
  subject?: string;
  title?: string;
}

export interface TransactionalMessage {
  id: string;
  workspaceId: string;
  idempotencyKey: string;
  customerId: string;
  channel: string;
  template: string;
  request: TransactionalRequest;
  status: TransactionalStatus;
  /** The outbox message, once the send reached it. */
  messageId: string | null;
  /** Why it failed or was skipped. */
  reason: string | null;
  /** The outbox message's own status (queued, sent, delivered, …) when there is one. */
  deliveryStatus: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The same idempotency key was used before for a different request. */
export class IdempotencyConflictError extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`idempotency key "${idempotencyKey}" was already used for a different message`);
    this.name = 'IdempotencyConflictError';
  }
}

const COLUMNS = `t.id, t.workspace_id AS "workspaceId", t.idempotency_key AS "idempotencyKey", t.customer_id AS "customerId",
  t.channel, t.template, t.request, t.status, t.message_id AS "messageId", t.reason, m.status AS "deliveryStatus",
  t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;

/** Transactional messages by idempotency key: the same key never sends twice. */
export class TransactionalStore {
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  /**
   * Records the request under its key, or returns the one recorded before (`created: false`). The
   * same key with a different request (customer, channel, template, data, …) is an
   * IdempotencyConflictError.
   */
  async request(workspaceId: string, request: TransactionalRequest): Promise<{ message: TransactionalMessage; created: boolean }> {
    const fingerprint = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const inserted: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO transactional_messages (workspace_id, idempotency_key, customer_id, channel, template, request, fingerprint)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workspace_id, idempotency_key) DO NOTHING RETURNING id`,
      [workspaceId, request.idempotencyKey, request.customerId, request.channel, request.template, request, fingerprint],
    );
    const rows: Array<TransactionalMessage & { fingerprint: string }> = await this.dataSource.query(
      `SELECT ${COLUMNS}, t.fingerprint FROM transactional_messages t LEFT JOIN messages m ON m.id = t.message_id AND m.created_at = t.message_created_at
       WHERE t.workspace_id = $1 AND t.idempotency_key = $2`,
      [workspaceId, request.idempotencyKey],
    );
    const { fingerprint: stored, ...message } = rows[0]!;
    if (stored !== fingerprint) throw new IdempotencyConflictError(request.idempotencyKey);
    return { message, created: inserted.length > 0 };
  }

  /** Records how the send ended (the worker, once the messaging activity answered). */
  async complete(id: string, outcome: { status: Exclude<TransactionalStatus, 'pending'>; messageId?: string; reason?: string }): Promise<void> {
    await this.dataSource.query(
      `UPDATE transactional_messages SET status = $2, message_id = COALESCE($3, message_id),
         message_created_at = CASE WHEN $3::uuid IS NULL THEN message_created_at ELSE (SELECT created_at FROM messages WHERE id = $3::uuid) END,
         reason = $4, updated_at = now()
       WHERE id = $1`,
      [id, outcome.status, outcome.messageId ?? null, outcome.reason ?? null],
    );
  }

  /** By id or by idempotency key, within the workspace (null when there is none). */
  async find(workspaceId: string, by: { id: string } | { idempotencyKey: string }): Promise<TransactionalMessage | null> {
    if ('id' in by && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(by.id)) return null;
    const rows: TransactionalMessage[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM transactional_messages t LEFT JOIN messages m ON m.id = t.message_id AND m.created_at = t.message_created_at
       WHERE t.workspace_id = $1 AND ${'id' in by ? 't.id = $2::uuid' : 't.idempotency_key = $2'}`,
      [workspaceId, 'id' in by ? by.id : by.idempotencyKey],
    );
    return rows[0] ?? null;
  }
}

/** JSON with keys sorted, so that equal requests have equal fingerprints. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
