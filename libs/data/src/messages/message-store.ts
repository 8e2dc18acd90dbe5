import { In, type DataSource, type EntityManager } from 'typeorm';
import { keysetSql, type KeysetWindow } from '../keyset';
import { returnedRows } from '../affected-rows';
import { MessageEntity, type MessageChannelName, type MessageStatus } from './message.entity';

export interface OutboxClaim {
  workspaceId: string;
  customerId: string;
  instanceId: string;
  /** First run id of the instance; with the step, the outbox key. */
  runId: string;
  step: string;
  channel: MessageChannelName;
  to: string;
  body: string;
  /** The instance will wait for this message's delivery report (default false: reports are only recorded). */
  deliveryAwaited?: boolean;
}

const STATUS_RANK: Record<MessageStatus, number> = {
  pending: 0,
  sending: 0,
  queued: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  read: 4,
};

/** A message whose status a provider reported, with where it came from (to signal its instance). */
export interface ProviderStatusChange {
  id: string;
  workspaceId: string;
  customerId: string;
  instanceId: string;
  runId: string;
  step: string;
  channel: MessageChannelName;
  /** The message's status after the report (unchanged when the report was late). */
  status: MessageStatus;
  errorCode: number | null;
  /** False for a late or repeated report: statuses only move forward. */
  changed: boolean;
  /** The instance waits for this message's delivery (see `markDeliveryAwaited`): tell it. */
  deliveryAwaited: boolean;
}

const MESSAGE_COLUMNS = `id, workspace_id AS "workspaceId", customer_id AS "customerId", instance_id AS "instanceId", run_id AS "runId", step, channel,
  to_address AS "to", body, status, provider_id AS "providerId", error_code AS "errorCode", error_message AS "errorMessage",
  delivery_awaited AS "deliveryAwaited", created_at AS "createdAt", updated_at AS "updatedAt"`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tables that reference a message by (id, created_at). */
export const MESSAGE_REFERENCES = ['message_keys', 'message_sids', 'inbox_messages', 'transactional_messages'] as const;

/**
 * For a transaction that writes the tables referencing messages after it read or wrote messages:
 * takes them first (by default ROW EXCLUSIVE, which no other writer waits for). The retention locks
 * them (in a stronger `mode`) before messages when it makes or drops a messages partition; a
 * transaction taking them after messages could deadlock with it.
 */
export async function lockMessageReferences(
  manager: Pick<EntityManager, 'query'>,
  mode: 'ROW EXCLUSIVE' | 'SHARE ROW EXCLUSIVE' | 'ACCESS EXCLUSIVE' = 'ROW EXCLUSIVE',
): Promise<void> {
  await manager.query(`LOCK TABLE ${MESSAGE_REFERENCES.join(', ')} IN ${mode} MODE`);
}

/** The message outbox, keyed by (instance, step). */
/** At most `max` messages per customer on `channel` (`*`: all channels together) in a rolling window. */
export interface FrequencyCap {
  channel: string;
  max: number;
  windowMs: number;
  /** As configured, e.g. `sms:3/1 day` (for reasons and logs). */
  label: string;
}

export class MessageStore {
  /** An EntityManager makes the store work inside that transaction. */
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  /**
   * Inserts the outbox row or returns the one an earlier attempt left. The key (instance, run, step)
   * is `message_keys`' primary key, claimed in the same statement as the message insert: a retried or
   * concurrent claim waits for the first (ON CONFLICT), then finds its key and reads the message it
   * points at, in whatever month that is.
   */
  async claim(claim: OutboxClaim): Promise<{ message: MessageEntity; created: boolean }> {
    const inserted: MessageEntity[] = await this.dataSource.query(
      `WITH claimed AS (
         INSERT INTO message_keys (instance_id, run_id, step, message_id, created_at) VALUES ($1, $2, $3, gen_random_uuid(), now())
         ON CONFLICT DO NOTHING RETURNING message_id, created_at
       )
       INSERT INTO messages (id, created_at, updated_at, instance_id, run_id, step, workspace_id, customer_id, channel, to_address, body, status, delivery_awaited)
       SELECT message_id, created_at, created_at, $1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9 FROM claimed
       RETURNING ${MESSAGE_COLUMNS}`,
      [claim.instanceId, claim.runId, claim.step, claim.workspaceId, claim.customerId, claim.channel, claim.to, claim.body, claim.deliveryAwaited ?? false],
    );
    if (inserted[0]) return { message: inserted[0], created: true };
    const existing = await this.findClaimed(claim);
    if (!existing) throw new Error(`outbox key ${claim.instanceId} / ${claim.runId} / ${claim.step} has no message`);
    return { message: existing, created: false };
  }

  /** The message claimed under (instance, run, step), read in its own month. */
  private async findClaimed(key: Pick<OutboxClaim, 'instanceId' | 'runId' | 'step'>): Promise<MessageEntity | undefined> {
    const rows: MessageEntity[] = await this.dataSource.query(
      // (the key named first: the tables are locked in the order the claim and the retention's drop take them)
      `WITH claimed AS (SELECT message_id, created_at FROM message_keys WHERE instance_id = $1 AND run_id = $2 AND step = $3)
       SELECT ${MESSAGE_COLUMNS} FROM messages WHERE (id, created_at) = (SELECT message_id, created_at FROM claimed)`,
      [key.instanceId, key.runId, key.step],
    );
    return rows[0];
  }

  /**
   * Claims the outbox row only if the customer stays within every frequency cap, atomically: the
   * check and the insert run under a per-customer advisory lock, so concurrent instances of one
   * customer cannot both take the last slot. A row that already exists (a retried activity) is
   * returned as it is, without counting again. Messages that failed do not count.
   */
  async claimWithinCaps(claim: OutboxClaim, caps: FrequencyCap[]): Promise<{ message: MessageEntity; created: boolean } | { capped: FrequencyCap; count: number }> {
    if (caps.length === 0) return this.claim(claim);
    return this.dataSource.transaction(async (manager: EntityManager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`caps:${claim.workspaceId}:${claim.customerId}`]);
      await lockMessageReferences(manager);
      const existing = await new MessageStore(manager).findClaimed(claim);
      if (existing) return { message: existing, created: false };
      for (const cap of caps) {
        const rows: Array<{ count: number }> = await manager.query(
          `SELECT count(*)::int AS count FROM messages
           WHERE workspace_id = $1 AND customer_id = $2 AND status <> 'failed' AND created_at > now() - make_interval(secs => $3)
             AND ($4::text IS NULL OR channel = $4)`,
          [claim.workspaceId, claim.customerId, cap.windowMs / 1000, cap.channel === '*' ? null : cap.channel],
        );
        const count = rows[0]?.count ?? 0;
        if ((cap.channel === '*' || cap.channel === claim.channel) && count >= cap.max) return { capped: cap, count };
      }
      return new MessageStore(manager).claim(claim);
    });
  }

  /**
   * Takes the right to call the provider for this row: only one attempt at a time wins. A claim
   * older than `staleAfterMs` (its worker died mid-call) may be taken over. Returns which attempt
   * this is and when the first began (undefined: another attempt holds the row).
   */
  async acquireSend(message: MessageRef, staleAfterMs: number): Promise<{ attempt: number; firstSendAt: Date } | undefined> {
    const params: unknown[] = [staleAfterMs / 1000];
    const [rows]: [Array<{ send_attempts: number; first_send_at: Date }>, number] = await this.dataSource.query(
      `UPDATE messages SET status = 'sending', updated_at = now(), send_attempts = send_attempts + 1, first_send_at = COALESCE(first_send_at, now())
       WHERE ${byRef(message, params)} AND (status = 'pending' OR (status = 'sending' AND updated_at < now() - make_interval(secs => $1)))
       RETURNING send_attempts, first_send_at`,
      params,
    );
    const row = rows[0];
    return row ? { attempt: row.send_attempts, firstSendAt: row.first_send_at } : undefined;
  }

  /** Gives the claim back after a transient failure so the next attempt can send. */
  async releaseSend(message: MessageRef): Promise<void> {
    const params: unknown[] = [];
    await this.dataSource.query(`UPDATE messages SET status = 'pending', updated_at = now() WHERE ${byRef(message, params)} AND status = 'sending'`, params);
  }

  /**
   * The provider accepted the message; a status report that arrived first is kept (statuses only
   * move forward). The sid is recorded in `message_sids` too, where delivery reports look it up.
   */
  async markAccepted(message: MessageRef, providerId: string, status: MessageStatus): Promise<void> {
    const params: unknown[] = [providerId, status];
    const row = byRef(message, params);
    // One statement; message_sids named first (see lockMessageReferences).
    await this.dataSource.query(
      `WITH sid AS (INSERT INTO message_sids (provider_id, message_id, created_at) SELECT $1, id, created_at FROM messages WHERE ${row} ON CONFLICT (provider_id) DO NOTHING)
       UPDATE messages SET provider_id = $1, status = CASE WHEN status IN ('pending', 'sending') THEN $2 ELSE status END, updated_at = now() WHERE ${row}`,
      params,
    );
  }

  async markFailed(message: MessageRef, errorCode: number | null, errorMessage: string): Promise<void> {
    const params: unknown[] = [errorCode, errorMessage];
    await this.dataSource.query(
      `UPDATE messages SET status = 'failed', error_code = $1, error_message = $2, updated_at = now() WHERE ${byRef(message, params)}`,
      params,
    );
  }

  /**
   * Applies a provider status report (by the provider's id); statuses only move forward. A report
   * can beat the send's own answer (`markAccepted`): with `outboxId` (our id, carried in the
   * callback) it still finds its row and records the provider id. Returns the message as it now
   * stands, or undefined for a message Continuum does not know.
   */
  async applyProviderStatus(providerId: string, status: MessageStatus, errorCode: number | null, outboxId?: string): Promise<ProviderStatusChange | undefined> {
    const columns = `id, workspace_id AS "workspaceId", customer_id AS "customerId", instance_id AS "instanceId", run_id AS "runId",
      step, channel, status, error_code AS "errorCode", delivery_awaited AS "deliveryAwaited", created_at::text AS "at"`;
    // By the sid (message_sids points at the message's month); a report that beat `markAccepted` finds its row by our id.
    let rows: Array<Omit<ProviderStatusChange, 'changed'> & { at: string }> = await this.dataSource.query(
      `SELECT ${columns} FROM messages WHERE (id, created_at) = (SELECT message_id, created_at FROM message_sids WHERE provider_id = $1)`,
      [providerId],
    );
    if (rows.length === 0 && outboxId !== undefined && UUID.test(outboxId)) {
      rows = await this.dataSource.query(`SELECT ${columns} FROM messages WHERE id = $1 AND (provider_id IS NULL OR provider_id = $2) LIMIT 1`, [outboxId, providerId]);
    }
    const found = rows[0];
    if (!found) return undefined;
    const { at, ...current } = found;
    await this.dataSource.query(
      `WITH sid AS (
         INSERT INTO message_sids (provider_id, message_id, created_at)
         SELECT $3, id, created_at FROM messages WHERE id = $1 AND created_at = $2::timestamptz AND provider_id IS NULL ON CONFLICT (provider_id) DO NOTHING
       )
       UPDATE messages SET provider_id = $3 WHERE id = $1 AND created_at = $2::timestamptz AND provider_id IS NULL`,
      [current.id, at, providerId],
    );
    if (!(STATUS_RANK[status] > STATUS_RANK[current.status])) return { ...current, changed: false };
    // The rank check is repeated in SQL: two reports racing cannot move the status back.
    const ranks = Object.entries(STATUS_RANK).filter(([, rank]) => rank < STATUS_RANK[status]).map(([name]) => name);
    // RETURNING reads `delivery_awaited` after the row lock: a `markDeliveryAwaited` that committed first is seen here.
    const updated = returnedRows<{ delivery_awaited: boolean }>(
      await this.dataSource.query(
        `UPDATE messages SET status = $2, error_code = COALESCE($3, error_code), updated_at = now(),
           read_at = CASE WHEN $2 = 'read' THEN now() ELSE read_at END
         WHERE id = $1 AND created_at = $5::timestamptz AND status = ANY($4::text[])
         RETURNING delivery_awaited`,
        [current.id, status, errorCode, ranks, at],
      ),
    );
    const row = updated[0];
    return row ? { ...current, status, errorCode: errorCode ?? current.errorCode, changed: true, deliveryAwaited: row.delivery_awaited } : { ...current, changed: false };
  }

  /**
   * Marks a message as awaited by its instance, so that reports from now on are signalled to it,
   * and returns its status now (a report that came before is not lost). Undefined for no such message.
   */
  async markDeliveryAwaited(id: string): Promise<{ status: MessageStatus; errorCode: number | null } | undefined> {
    if (!UUID.test(id)) return undefined;
    const rows = returnedRows<{ status: MessageStatus; error_code: number | null }>(
      await this.dataSource.query(`UPDATE messages SET delivery_awaited = true WHERE id = $1 RETURNING status, error_code`, [id]),
    );
    const row = rows[0];
    return row ? { status: row.status, errorCode: row.error_code } : undefined;
  }

  /** When the customer last wrote to us on `channel` (a `Message Received` event), if ever. */
  async lastInboundAt(workspaceId: string, customerId: string, channel: string): Promise<Date | undefined> {
    const rows: Array<{ at: Date | null }> = await this.dataSource.query(
      `SELECT max(received_at) AS at FROM events
       WHERE workspace_id = $1 AND user_id = $2 AND type = 'track' AND name = 'Message Received' AND properties->>'channel' = $3`,
      [workspaceId, customerId, channel],
    );
    return rows[0]?.at ?? undefined;
  }

  /**
   * The journey message an inbound message on `channels` replies to: the most recent one sent to
   * the customer on those channels since `since`, by a journey instance (`journey/…`), excluding
   * the journeys named (the conversation's own agents answer within their topic).
   */
  async lastJourneyMessageTo(
    workspaceId: string,
    customerId: string,
    channels: string[],
    since: Date,
    excludeJourneys: string[],
  ): Promise<{ id: string; instanceId: string; step: string } | undefined> {
    const rows: Array<{ id: string; instanceId: string; step: string }> = await this.dataSource.query(
      `SELECT id, instance_id AS "instanceId", step FROM messages
       WHERE workspace_id = $1 AND customer_id = $2 AND channel = ANY($3::text[]) AND created_at >= $4
         AND instance_id LIKE 'journey/%' AND split_part(instance_id, '/', 2) <> ALL($5::text[])
         AND status NOT IN ('pending', 'failed')
       ORDER BY created_at DESC LIMIT 1`,
      [workspaceId, customerId, channels, since, excludeJourneys],
    );
    return rows[0];
  }

  /** One message of a workspace by id (undefined for another workspace's or a malformed id). */
  async findInWorkspace(workspaceId: string, id: string): Promise<MessageEntity | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
    return (await this.dataSource.getRepository(MessageEntity).findOneBy({ workspaceId, id })) ?? undefined;
  }

  /** How many operator re-sends (`<step>#retry-<n>`) a message's step has had (their outbox keys: one index, every month). */
  async countRetries(instanceId: string, runId: string, baseStep: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM message_keys WHERE instance_id = $1 AND run_id = $2 AND step LIKE $3`,
      [instanceId, runId, `${baseStep.replace(/[\\%_]/g, (c) => `\\${c}`)}#retry-%`],
    );
    return rows[0]?.count ?? 0;
  }

  /** Messages of a workspace by id, in no order; ids that are not uuids or not of this workspace are left out. */
  async findManyInWorkspace(workspaceId: string, ids: readonly string[]): Promise<MessageEntity[]> {
    const uuids = ids.filter((id) => UUID.test(id));
    if (uuids.length === 0) return [];
    return this.dataSource.getRepository(MessageEntity).findBy({ workspaceId, id: In(uuids) });
  }

  /**
   * A customer's messages, newest first (then by id, so the order never changes between pages): up
   * to `limit + 1` in fetch order (see KeysetWindow), each with its position for a cursor.
   */
  async pageByCustomer(workspaceId: string, customerId: string, window: KeysetWindow<MessagePosition>): Promise<{ items: Array<{ message: MessageEntity; position: MessagePosition }> }> {
    const params: unknown[] = [workspaceId, customerId];
    const conditions = ['workspace_id = $1', 'customer_id = $2'];
    const order = keysetSql('DESC', window.backward);
    const beyond = (position: MessagePosition, op: '<' | '>') => {
      params.push(position.createdAt, position.id);
      conditions.push(`(created_at, id) ${op} ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    };
    if (window.after) beyond(window.after, order.after);
    if (window.before) beyond(window.before, order.before);
    params.push(window.limit + 1);
    const rows: Array<MessageEntity & { position: string }> = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position FROM messages
       WHERE ${conditions.join(' AND ')} ORDER BY created_at ${order.direction}, id ${order.direction} LIMIT $${params.length}`,
      params,
    );
    return { items: rows.map(({ position, ...message }) => ({ message, position: { createdAt: position, id: message.id } })) };
  }

  /** The messages {@link pageByCustomer} pages through. */
  async countByCustomer(workspaceId: string, customerId: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM messages WHERE workspace_id = $1 AND customer_id = $2`, [
      workspaceId,
      customerId,
    ]);
    return rows[0]?.count ?? 0;
  }
}

/**
 * A message by id, or by id and creation time (a row read before): with the time the statement reads
 * one month's partition, without it every month's primary key index.
 */
export type MessageRef = string | Pick<MessageEntity, 'id' | 'createdAt'>;

/** `id = …` and, when the message's time is known, its time; the parameters are appended to `params`. */
function byRef(message: MessageRef, params: unknown[]): string {
  if (typeof message === 'string') {
    params.push(message);
    return `id = $${params.length}`;
  }
  params.push(message.id, message.createdAt);
  const [id, at] = [params.length - 1, params.length];
  // A JavaScript Date keeps milliseconds, PostgreSQL microseconds: the row's time is in [createdAt, createdAt + 1 ms).
  return `id = $${id} AND created_at >= $${at}::timestamptz AND created_at < $${at}::timestamptz + interval '1 millisecond'`;
}

/** A keyset position in a customer's messages: the exact creation time (microseconds, UTC) and the id. */
export interface MessagePosition {
  createdAt: string;
  id: string;
}
