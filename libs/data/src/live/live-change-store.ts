import type { DataSource } from 'typeorm';
import { affectedRows } from '../affected-rows';
import type { ConversationMessage } from '../conversations/conversation-store';

/** The streams of `live_changes` (migration 1732528000000): what one kind of subscription reads. */
export type LiveStream = 'activity' | 'inbox' | 'conversation' | 'broadcast';

/** Which changes one subscription follows. */
export type LiveChangeFilter =
  /** One scope of a stream: a customer (activity, inbox, conversation) or a broadcast (broadcast). */
  | { workspaceId: string; stream: LiveStream; scope: string }
  /** The journal entries of one run of one journey instance. */
  | { workspaceId: string; stream: 'activity'; instanceId: string; runId: string }
  /** Every conversation change of the workspace (an agents' console). */
  | { workspaceId: string; stream: 'conversation' };

/**
 * A change's place in `live_changes`: the writing transaction's id, then the row's serial, both as
 * decimal text. Positions are totally ordered by (xid, id).
 */
export interface LivePosition {
  xid: string;
  id: string;
}

/** One change: what happened (`kind`) to which row (`ref`: its id in its own table). */
export interface LiveChange extends LivePosition {
  kind: string;
  ref: string;
  scope: string;
  instanceId: string | null;
  at: Date;
}

/** The position before every change: a subscription from there replays all that is retained. */
export const LIVE_ORIGIN: LivePosition = { xid: '0', id: '0' };

const DECIMAL = /^[0-9]{1,19}$/;

/**
 * The change log behind resumable subscriptions. Only changes of transactions that have ended (xid
 * below the snapshot's xmin) are read, in (xid, id) order, so a change committed late never lands
 * before a position already handed out; later ones are reported as `pending` for a later read.
 */
export class LiveChangeStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Up to `limit` changes after `after`, oldest first. `more`: further changes exist after the last
   * one returned (read again at once); `pending`: some belong to transactions not yet ended (read
   * again shortly: they become readable when the oldest running transaction ends).
   */
  async after(filter: LiveChangeFilter, after: LivePosition, limit: number): Promise<{ changes: LiveChange[]; more: boolean; pending: boolean }> {
    assertPosition(after);
    const { where, params } = conditions(filter);
    params.push(after.xid, after.id, limit + 1);
    const n = params.length;
    const rows: Array<LiveChange & { ended: boolean }> = await this.dataSource.query(
      `SELECT c.id::text AS id, c.xid::text AS xid, c.kind, c.ref, c.scope, c.instance_id AS "instanceId", c.at,
              c.xid < pg_snapshot_xmin(pg_current_snapshot()) AS ended
       FROM live_changes c WHERE ${where} AND (c.xid, c.id) > ($${n - 2}::xid8, $${n - 1}::bigint)
       ORDER BY c.xid, c.id LIMIT $${n}`,
      params,
    );
    const changes: LiveChange[] = [];
    for (const { ended, ...change } of rows.slice(0, limit)) {
      if (!ended) return { changes, more: false, pending: true };
      changes.push(change);
    }
    return { changes, more: rows.length > limit, pending: false };
  }

  /** The position of the filter's latest readable change, or LIVE_ORIGIN when there is none: "from now on". */
  async latest(filter: LiveChangeFilter): Promise<LivePosition> {
    const { where, params } = conditions(filter);
    const rows: LivePosition[] = await this.dataSource.query(
      `SELECT c.id::text AS id, c.xid::text AS xid
       FROM live_changes c WHERE ${where} AND c.xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY c.xid DESC, c.id DESC LIMIT 1`,
      params,
    );
    return rows[0] ?? LIVE_ORIGIN;
  }

  /**
   * Whether `position` is a change the filter follows (a cursor a subscription of it handed out):
   * `known`; `pruned` when it is older than every change kept; else `unknown`.
   */
  async check(filter: LiveChangeFilter, position: LivePosition): Promise<'known' | 'pruned' | 'unknown'> {
    if (!DECIMAL.test(position.xid) || !DECIMAL.test(position.id)) return 'unknown';
    const { where, params } = conditions(filter);
    params.push(position.id, position.xid);
    const found: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM live_changes WHERE ${where} AND id = $${params.length - 1}::bigint AND xid = $${params.length}::xid8`,
      params,
    );
    if (found.length > 0) return 'known';
    const [oldest]: Array<{ id: string | null }> = await this.dataSource.query(`SELECT min(id)::text AS id FROM live_changes`);
    return oldest?.id == null || BigInt(position.id) < BigInt(oldest.id) ? 'pruned' : 'unknown';
  }

  /**
   * Deletes changes recorded before `before`, `batch` at a time; returns how many went. Serials grow
   * with time, so the oldest rows lead the primary key and no index on `at` is needed (one less per write).
   */
  async prune(before: Date, batch = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = affectedRows(
        await this.dataSource.query(`DELETE FROM live_changes WHERE id IN (SELECT id FROM live_changes WHERE at < $1 ORDER BY id LIMIT $2)`, [before, batch]),
      );
      total += deleted;
      if (deleted < batch) return total;
    }
  }

  /** One conversation message as a subscriber receives it (with its delivery status), or null once it is gone. */
  async conversationMessage(workspaceId: string, id: string): Promise<ConversationMessage | null> {
    const rows: ConversationMessage[] = await this.dataSource.query(
      `SELECT c.id, c.customer_id AS "customerId", c.topic_id AS "topicId", c.direction, c.author, c.channel, c.body, c.intent, c.status, c.reason,
         c.outbox_id AS "outboxId", m.status AS "deliveryStatus", c.journey_instance AS "journeyInstance", c.at
       FROM conversation_messages c LEFT JOIN messages m ON m.id = c.outbox_id
       WHERE c.workspace_id = $1 AND c.id = $2`,
      [workspaceId, id],
    );
    return rows[0] ?? null;
  }
}

function assertPosition(position: LivePosition): void {
  if (!DECIMAL.test(position.xid) || !DECIMAL.test(position.id)) throw new Error(`not a live change position: ${JSON.stringify(position)}`);
}

/**
 * The WHERE clause of a filter, written so that one of the log's indexes serves it. Callers qualify
 * `xid` and `id` in ORDER BY (`c.`): the text columns they select under those names would sort as text.
 */
function conditions(filter: LiveChangeFilter): { where: string; params: unknown[] } {
  if ('instanceId' in filter) {
    return { where: `workspace_id = $1 AND kind = 'JOURNEY_STEP' AND instance_id = $2 AND run_id = $3`, params: [filter.workspaceId, filter.instanceId, filter.runId] };
  }
  if ('scope' in filter) return { where: `workspace_id = $1 AND stream = $2 AND scope = $3`, params: [filter.workspaceId, filter.stream, filter.scope] };
  return { where: `workspace_id = $1 AND stream = 'conversation'`, params: [filter.workspaceId] };
}
