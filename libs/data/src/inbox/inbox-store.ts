import type { DataSource, EntityManager } from 'typeorm';
import { keysetSql, type KeysetWindow } from '../keyset';
import type { InboxMessageEntity } from './inbox-message.entity';

/** An in-app message as stored in a customer's inbox. */
export type InboxMessage = Pick<InboxMessageEntity, keyof InboxMessageEntity>;

/** What a send puts into a customer's inbox. */
export interface InboxDelivery {
  workspaceId: string;
  customerId: string;
  /** The outbox row (`messages.id`) of the send: a retried send with it delivers nothing new. Null: no outbox row, no idempotency. */
  messageId: string | null;
  /** The outbox row's creation time, when known: the row is then looked up in its month only. */
  messageCreatedAt?: Date | null;
  title?: string | null;
  body: string;
  /** A JSON object for the app (deep link, image, …); `{}` when absent. */
  data?: Record<string, unknown>;
}

/** Where a page starts: the last message of the previous page; `createdAt` keeps PostgreSQL's microseconds. */
export interface InboxPosition {
  createdAt: string;
  id: string;
}

export interface InboxListOptions extends KeysetWindow<InboxPosition> {
  /** Only messages not read yet (and not archived). */
  unreadOnly?: boolean;
  /** Archived messages too; they are left out by default. */
  includeArchived?: boolean;
}

export interface InboxPage {
  /** Fetch order (see KeysetWindow), each with its position for a cursor. */
  items: Array<{ message: InboxMessage; position: InboxPosition }>;
}

/** A delivery whose outbox row is already in another customer's (or workspace's) inbox. */
export class InboxDeliveryConflictError extends Error {
  constructor(readonly messageId: string) {
    super(`outbox message ${messageId} is already in another customer's inbox`);
    this.name = 'InboxDeliveryConflictError';
  }
}

const COLUMNS = `id, workspace_id AS "workspaceId", customer_id AS "customerId", message_id AS "messageId", title, body, data,
  created_at AS "createdAt", read_at AS "readAt", archived_at AS "archivedAt"`;
const POSITION = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Literal conditions (not parameters), so that the planner can use the partial unread index; $1 workspace, $2 customer. */
function listConditions(options: Pick<InboxListOptions, 'unreadOnly' | 'includeArchived'>): string[] {
  const conditions = ['workspace_id = $1', 'customer_id = $2'];
  if (options.unreadOnly) conditions.push('read_at IS NULL');
  if (options.unreadOnly || !options.includeArchived) conditions.push('archived_at IS NULL');
  return conditions;
}

/**
 * The in-app channel's inbox, per customer. Every delivery, read and archive is announced on the
 * `continuum_inbox` NOTIFY channel by a trigger when its transaction commits (see InboxListener),
 * whoever wrote it, so that every gateway replica can push it to its subscribers.
 */
export class InboxStore {
  /** An EntityManager makes the store work inside that transaction. */
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  /**
   * Puts a message into the customer's inbox and returns its row. Idempotent on `messageId`: a
   * retried send returns the row the first one made, unchanged. Throws InboxDeliveryConflictError
   * when that outbox row is already in another customer's or workspace's inbox.
   */
  async deliver(delivery: InboxDelivery): Promise<InboxMessage> {
    const inserted: InboxMessage[] = await this.dataSource.query(
      // The outbox row's exact time goes with its id (the foreign key to the partitioned messages holds both): read in
      // the month of `messageCreatedAt` (a JavaScript Date: milliseconds, PostgreSQL keeps microseconds), else in every month.
      `INSERT INTO inbox_messages (workspace_id, customer_id, message_id, message_created_at, title, body, data)
       VALUES ($1, $2, $3, COALESCE(
         (SELECT created_at FROM messages WHERE id = $3 AND created_at >= $7::timestamptz AND created_at < $7::timestamptz + interval '1 millisecond'),
         (SELECT created_at FROM messages WHERE id = $3)), $4, $5, $6::jsonb)
       ON CONFLICT (message_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [delivery.workspaceId, delivery.customerId, delivery.messageId, delivery.title ?? null, delivery.body, JSON.stringify(delivery.data ?? {}), delivery.messageCreatedAt ?? null],
    );
    if (inserted[0]) return inserted[0];
    // Only a non-null message_id can conflict: that send was delivered before.
    const messageId = delivery.messageId!;
    const [existing]: InboxMessage[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM inbox_messages WHERE message_id = $1`, [messageId]);
    if (!existing || existing.workspaceId !== delivery.workspaceId || existing.customerId !== delivery.customerId) {
      throw new InboxDeliveryConflictError(messageId);
    }
    return existing;
  }

  /** One message of the workspace; null when it has none with this id. */
  async get(workspaceId: string, id: string): Promise<InboxMessage | null> {
    if (!UUID.test(id)) return null;
    const rows: InboxMessage[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM inbox_messages WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return rows[0] ?? null;
  }

  /** The messages of the workspace with these ids, in no particular order (an id of none is left out). */
  async getMany(workspaceId: string, ids: readonly string[]): Promise<InboxMessage[]> {
    const uuids = ids.filter((id) => UUID.test(id));
    if (uuids.length === 0) return [];
    return this.dataSource.query(`SELECT ${COLUMNS} FROM inbox_messages WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, uuids]);
  }

  /**
   * The customer's inbox, newest first (then by id, so the order never changes between pages): up to
   * `limit + 1` messages in fetch order (see KeysetWindow).
   */
  async list(workspaceId: string, customerId: string, options: InboxListOptions): Promise<InboxPage> {
    const params: unknown[] = [workspaceId, customerId];
    const conditions = listConditions(options);
    const order = keysetSql('DESC', options.backward);
    const beyond = (position: InboxPosition, op: '<' | '>') => {
      params.push(position.createdAt, position.id);
      conditions.push(`(created_at, id) ${op} ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    };
    if (options.after) beyond(options.after, order.after);
    if (options.before) beyond(options.before, order.before);
    params.push(options.limit + 1);
    const rows: Array<InboxMessage & { position: string }> = await this.dataSource.query(
      `SELECT ${COLUMNS}, ${POSITION} FROM inbox_messages
       WHERE ${conditions.join(' AND ')}
       ORDER BY created_at ${order.direction}, id ${order.direction}
       LIMIT $${params.length}`,
      params,
    );
    return { items: rows.map(({ position, ...message }) => ({ message, position: { createdAt: position, id: message.id } })) };
  }

  /** The messages {@link list} pages through with these filters, on every page. */
  async count(workspaceId: string, customerId: string, options: Pick<InboxListOptions, 'unreadOnly' | 'includeArchived'>): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM inbox_messages WHERE ${listConditions(options).join(' AND ')}`,
      [workspaceId, customerId],
    );
    return rows[0]?.count ?? 0;
  }

  /** Messages the customer has neither read nor archived. */
  async unreadCount(workspaceId: string, customerId: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM inbox_messages WHERE workspace_id = $1 AND customer_id = $2 AND read_at IS NULL AND archived_at IS NULL`,
      [workspaceId, customerId],
    );
    return rows[0]?.count ?? 0;
  }

  /** Marks the message read (the first time only; again changes nothing) and returns it; null when the workspace has no such message. */
  async markRead(workspaceId: string, id: string): Promise<InboxMessage | null> {
    return this.stamp(workspaceId, id, 'read_at');
  }

  /** Archives the message (the first time only; again changes nothing) and returns it; null when the workspace has no such message. */
  async archive(workspaceId: string, id: string): Promise<InboxMessage | null> {
    return this.stamp(workspaceId, id, 'archived_at');
  }

  private async stamp(workspaceId: string, id: string, column: 'read_at' | 'archived_at'): Promise<InboxMessage | null> {
    if (!UUID.test(id)) return null;
    // Sets the time only if unset (so only the first call notifies), and answers with the row either way.
    const rows: InboxMessage[] = await this.dataSource.query(
      `WITH stamped AS (
         UPDATE inbox_messages SET ${column} = clock_timestamp()
         WHERE workspace_id = $1 AND id = $2 AND ${column} IS NULL
         RETURNING ${COLUMNS}
       )
       SELECT * FROM stamped
       UNION ALL
       SELECT ${COLUMNS} FROM inbox_messages WHERE workspace_id = $1 AND id = $2 AND NOT EXISTS (SELECT 1 FROM stamped)`,
      [workspaceId, id],
    );
    return rows[0] ?? null;
  }
}
