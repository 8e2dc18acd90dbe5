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

  /** Inserts the outbox row or returns the one an earlier attempt left. */
  async claim(claim: OutboxClaim): Promise<{ message: MessageEntity; created: boolean }> {
    const repository = this.dataSource.getRepository(MessageEntity);
    const result = await repository
      .createQueryBuilder()
      .insert()
      .values({ ...claim, deliveryAwaited: claim.deliveryAwaited ?? false, status: 'pending' })
      .orIgnore()
      .returning('id')
      .execute();
    const createdId = (result.raw as Array<{ id: string }>)[0]?.id;
    const message = await repository.findOneByOrFail(
      createdId ? { id: createdId } : { instanceId: claim.instanceId, runId: claim.runId, step: claim.step },
    );
    return { message, created: createdId !== undefined };
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
      const existing = await manager.getRepository(MessageEntity).findOneBy({ instanceId: claim.instanceId, runId: claim.runId, step: claim.step });
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
  async acquireSend(id: string, staleAfterMs: number): Promise<{ attempt: number; firstSendAt: Date } | undefined> {
    const [rows]: [Array<{ send_attempts: number; first_send_at: Date }>, number] = await this.dataSource.query(
      `UPDATE messages SET status = 'sending', updated_at = now(), send_attempts = send_attempts + 1, first_send_at = COALESCE(first_send_at, now())
       WHERE id = $1 AND (status = 'pending' OR (status = 'sending' AND updated_at < now() - make_interval(secs => $2)))
       RETURNING send_attempts, first_send_at`,
      [id, staleAfterMs / 1000],
    );
    const row = rows[0];
    return row ? { attempt: row.send_attempts, firstSendAt: row.first_send_at } : undefined;
  }

  /** Gives the claim back after a transient failure so the next attempt can send. */
  async releaseSend(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE messages SET status = 'pending', updated_at = now() WHERE id = $1 AND status = 'sending'`, [id]);
  }

  /** The provider accepted the message; a status report that arrived first is kept (statuses only move forward). */
  async markAccepted(id: string, providerId: string, status: MessageStatus): Promise<void> {
    await this.dataSource.query(
      `UPDATE messages SET provider_id = $2, status = CASE WHEN status IN ('pending', 'sending') THEN $3 ELSE status END, updated_at = now() WHERE id = $1`,
      [id, providerId, status],
    );
  }

  async markFailed(id: string, errorCode: number | null, errorMessage: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE messages SET status = 'failed', error_code = $2, error_message = $3, updated_at = now() WHERE id = $1`,
      [id, errorCode, errorMessage],
    );
  }

  /**
   * Applies a provider status report (by the provider's id); statuses only move forward. A report
   * can beat the send's own answer (`markAccepted`): with `outboxId` (our id, carried in the
   * callback) it still finds its row and records the provider id. Returns the message as it now
   * stands, or undefined for a message Continuum does not know.
   */
  async applyProviderStatus(providerId: string, status: MessageStatus, errorCode: number | null, outboxId?: string): Promise<ProviderStatusChange | undefined> {
    const byOutboxId = outboxId !== undefined && UUID.test(outboxId);
    const rows: Array<Omit<ProviderStatusChange, 'changed'>> = await this.dataSource.query(
      `SELECT id, workspace_id AS "workspaceId", customer_id AS "customerId", instance_id AS "instanceId", run_id AS "runId",
              step, channel, status, error_code AS "errorCode", delivery_awaited AS "deliveryAwaited"
       FROM messages WHERE provider_id = $1 OR (id = $2::uuid AND (provider_id IS NULL OR provider_id = $1))
       LIMIT 1`,
      [providerId, byOutboxId ? outboxId : null],
    );
    const current = rows[0];
    if (!current) return undefined;
    await this.dataSource.query(`UPDATE messages SET provider_id = $2 WHERE id = $1 AND provider_id IS NULL`, [current.id, providerId]);
    if (!(STATUS_RANK[status] > STATUS_RANK[current.status])) return { ...current, changed: false };
    // The rank check is repeated in SQL: two reports racing cannot move the status back.
    const ranks = Object.entries(STATUS_RANK).filter(([, rank]) => rank < STATUS_RANK[status]).map(([name]) => name);
    // RETURNING reads `delivery_awaited` after the row lock: a `markDeliveryAwaited` that committed first is seen here.
    const updated = returnedRows<{ delivery_awaited: boolean }>(
      await this.dataSource.query(
        `UPDATE messages SET status = $2, error_code = COALESCE($3, error_code), updated_at = now(),
           read_at = CASE WHEN $2 = 'read' THEN now() ELSE read_at END
         WHERE id = $1 AND status = ANY($4::text[])
         RETURNING delivery_awaited`,
        [current.id, status, errorCode, ranks],
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

  /** How many operator re-sends (`<step>#retry-<n>`) a message's step has had. */
  async countRetries(instanceId: string, runId: string, baseStep: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM messages WHERE instance_id = $1 AND run_id = $2 AND step LIKE $3`,
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

/** A keyset position in a customer's messages: the exact creation time (microseconds, UTC) and the id. */
export interface MessagePosition {
  createdAt: string;
  id: string;
}
