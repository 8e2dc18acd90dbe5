import type { DataSource, QueryRunner } from 'typeorm';
import { lockMessageReferences } from '../messages/message-store';
import { partitionName } from '../migrations/1732671000001-time-partitions';

/** The tables partitioned by month (TimePartitions1732671000001, MessagePartitions1732680000001), with their partition key. */
export const PARTITIONED_TABLES = [
  { table: 'events', key: 'received_at' },
  { table: 'journal_entries', key: 'at' },
  { table: 'messages', key: 'created_at' },
] as const;
export type PartitionedTableName = (typeof PARTITIONED_TABLES)[number]['table'];

/** Retention a workspace may be given, in days (about 100 years at most). */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 36_500;

/** A bad retention: the message names what is wrong with it. */
export class RetentionInputError extends Error {}

/**
 * A retention in days as a person types it ("90"): a whole number from MIN_RETENTION_DAYS to
 * MAX_RETENTION_DAYS; "default" (null) means the deployment's RETENTION_DAYS.
 */
export function parseRetentionDays(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === 'default') return null;
  if (!/^[0-9]+$/.test(trimmed)) throw new RetentionInputError(`must be a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}, or "default" (got "${text}")`);
  return validateRetentionDays(Number(trimmed));
}

export function validateRetentionDays(days: number): number {
  if (!Number.isSafeInteger(days) || days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
    throw new RetentionInputError(`must be a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS} (got ${days})`);
  }
  return days;
}

export interface Partition {
  table: PartitionedTableName;
  name: string;
  /** Its range [from, to); null for the default partition (rows outside every range). */
  from: Date | null;
  to: Date | null;
}

export interface RetentionOptions {
  /** RETENTION_DAYS: the retention of a workspace that has none of its own. */
  defaultDays: number;
  now?: Date;
  /** Months of partitions kept ready ahead of now (default 3). */
  monthsAhead?: number;
  /** How long a partition drop waits for the table's lock before it gives up until the next run (default 2 s). */
  lockTimeoutMs?: number;
  /** How many times a drop that timed out is tried again in this run (default 5). */
  lockAttempts?: number;
  /** Rows per DELETE of a workspace's expired rows (default 10 000). */
  batchSize?: number;
}

export interface RetentionReport {
  /** False when another process was running the retention (it is one at a time). */
  ran: boolean;
  created: string[];
  dropped: string[];
  /** Partitions not dropped (or not made) this time, and why (unrouted events, messages still to send, lock not obtained). */
  kept: Array<{ partition: string; reason: string }>;
  /**
   * Rows deleted one by one: from workspaces with a shorter retention and from default partitions
   * (events, journalEntries, messages, eventMessageIds); the outbox keys and provider sids
   * (messageKeys) and in-app inbox entries (inboxMessages) of the message partitions dropped; outbound
   * webhook deliveries past their workspace's retention, with their attempts (webhookDeliveries).
   */
  deleted: { events: number; journalEntries: number; messages: number; eventMessageIds: number; messageKeys: number; inboxMessages: number; webhookDeliveries: number };
  /** Partitions whose whole range is older than this were dropped: now less the longest retention of any workspace. */
  dropBefore: Date;
  /**
   * Where the run's time went, in milliseconds: partitions made, dropped (a message partition's keys,
   * sids and inbox entries deleted first included), rows deleted (events, journal entries, messageIds),
   * messages deleted row by row (shorter retentions, the default partition).
   */
  ms: { create: number; drop: number; deleteRows: number; deleteMessages: number };
}

/** The advisory lock (one key) that makes the retention run one process at a time. */
const RETENTION_LOCK = 1_732_671_001;
const DAY_MS = 24 * 60 * 60 * 1000;
const LOCK_NOT_AVAILABLE = '55P03';
const FOREIGN_KEY_VIOLATION = '23503';
const DEADLOCK_DETECTED = '40P01';
/** A message not sent yet: its partition is kept (the send outbox is never dropped). */
const UNSENT = `status IN ('pending', 'sending')`;
/**
 * A webhook delivery no longer retried: delivered or failed. A pending one is kept, unless untouched
 * for longer than the retention (its endpoint disabled or deleted; no retry waits that long).
 */
const WEBHOOK_SETTLED = `status <> 'pending'`;
/** A messageId stays known while its event waits to be routed (its partition is kept too). */
const NOT_UNROUTED = `NOT EXISTS (SELECT 1 FROM events e WHERE e.workspace_id = event_message_ids.workspace_id AND e.message_id = event_message_ids.message_id AND e.routed_at IS NULL)`;

/**
 * Retention of the data that grows forever (docs/operating.md, "Retention"): partitions are made
 * months ahead, a partition whose whole month is older than the longest retention of any workspace
 * is dropped (never while it holds an unrouted event), and the rows of a workspace with a shorter
 * retention are deleted from the partitions kept. A messages partition holding a message still to be
 * sent is kept; one dropped takes its messages' outbox keys, provider sids and inbox entries with it.
 */
export class RetentionStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The workspace's own retention in days (null: the deployment's default). */
  async retentionOf(workspaceId: string): Promise<number | null> {
    const rows: Array<{ retention_days: number | null }> = await this.dataSource.query(`SELECT retention_days FROM workspaces WHERE id = $1`, [workspaceId]);
    if (rows.length === 0) throw new RetentionInputError(`no workspace ${workspaceId}`);
    return rows[0]!.retention_days;
  }

  /** Sets (or with null clears) a workspace's own retention; returns false when there is no such workspace. */
  async setRetention(workspaceId: string, days: number | null): Promise<boolean> {
    if (days !== null) validateRetentionDays(days);
    const rows: unknown[] = await this.dataSource.query(`UPDATE workspaces SET retention_days = $2 WHERE id = $1 RETURNING id`, [workspaceId, days]);
    return rows.length > 0;
  }

  /**
   * Every partition of the partitioned tables, oldest first, the default one last. The range is read
   * from the name the partition was made with (`events_p202612`: December 2026): reading the bounds
   * from the catalogue (pg_get_expr) would lock every partition.
   */
  async listPartitions(runner?: QueryRunner): Promise<Partition[]> {
    const rows: Array<{ parent: PartitionedTableName; name: string }> = await (runner ?? this.dataSource).query(
      `SELECT p.relname AS parent, c.relname AS name
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = ANY($1::text[]) AND p.relnamespace = current_schema()::regnamespace`,
      [PARTITIONED_TABLES.map((t) => t.table)],
    );
    const partitions = rows.map((row): Partition => {
      const month = new RegExp(`^${row.parent}_p([0-9]{4})([0-9]{2})$`).exec(row.name);
      if (!month) return { table: row.parent, name: row.name, from: null, to: null };
      const [year, index] = [Number(month[1]), Number(month[2]) - 1];
      return { table: row.parent, name: row.name, from: new Date(Date.UTC(year, index, 1)), to: new Date(Date.UTC(year, index + 1, 1)) };
    });
    return partitions.sort((a, b) => a.table.localeCompare(b.table) || (a.from?.getTime() ?? Infinity) - (b.from?.getTime() ?? Infinity));
  }

  /** One retention run: partitions ahead, expired ones dropped, shorter retentions applied. One process at a time. */
  async run(options: RetentionOptions): Promise<RetentionReport> {
    const defaultDays = validateRetentionDays(options.defaultDays);
    const now = options.now ?? new Date();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const report: RetentionReport = {
      ran: false,
      created: [],
      dropped: [],
      kept: [],
      deleted: { events: 0, journalEntries: 0, messages: 0, eventMessageIds: 0, messageKeys: 0, inboxMessages: 0, webhookDeliveries: 0 },
      dropBefore: now,
      ms: { create: 0, drop: 0, deleteRows: 0, deleteMessages: 0 },
    };
    const timed = async <T>(phase: keyof RetentionReport['ms'], work: () => Promise<T>): Promise<T> => {
      const began = performance.now();
      try {
        return await work();
      } finally {
        report.ms[phase] += Math.round(performance.now() - began);
      }
    };
    try {
      const [lock]: Array<{ locked: boolean }> = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [RETENTION_LOCK]);
      if (!lock!.locked) return report;
      try {
        report.ran = true;
        const workspaces: Array<{ id: string; days: number }> = await runner.query(`SELECT id, COALESCE(retention_days, $1)::int AS days FROM workspaces`, [defaultDays]);
        const longest = Math.max(defaultDays, ...workspaces.map((w) => w.days));
        report.dropBefore = new Date(now.getTime() - longest * DAY_MS);
        report.created = await timed('create', () => this.createAhead(runner, report, now, options.monthsAhead ?? 3, lockTimeout(options)));
        // messageIds first: a repeat that comes between is stored again (past the retention), never left without its event.
        report.deleted.eventMessageIds += await timed('deleteRows', () =>
          this.deleteInBatches(runner, `event_message_ids`, `received_at < $1 AND ${NOT_UNROUTED}`, [report.dropBefore], options.batchSize),
        );
        await timed('drop', () => this.dropExpired(runner, report, options));
        for (const { table, key } of PARTITIONED_TABLES) {
          const keep = { events: ' AND routed_at IS NOT NULL', journal_entries: '', messages: ` AND NOT (${UNSENT})` }[table];
          const deleted = await timed(table === 'messages' ? 'deleteMessages' : 'deleteRows', () =>
            this.deleteInBatches(runner, `${table}_default`, `${key} < $1${keep}`, [report.dropBefore], options.batchSize),
          );
          report.deleted[({ events: 'events', journal_entries: 'journalEntries', messages: 'messages' } as const)[table]] += deleted;
        }
        for (const workspace of workspaces) {
          const before = new Date(now.getTime() - workspace.days * DAY_MS);
          // Webhook deliveries are not partitioned: every workspace's are deleted row by row at its own
          // retention (their attempts cascade), except one still being retried.
          report.deleted.webhookDeliveries += await timed('deleteRows', () =>
            this.deleteInBatches(runner, 'webhook_deliveries', `workspace_id = $1 AND created_at < $2 AND (${WEBHOOK_SETTLED} OR updated_at < $2)`, [workspace.id, before], options.batchSize),
          );
          if (workspace.days >= longest) continue;
          await timed('deleteRows', () => this.applyWorkspaceRetention(runner, report, workspace.id, before, options.batchSize));
          // (their keys, sids and inbox entries go with them: the foreign keys cascade)
          report.deleted.messages += await timed('deleteMessages', () =>
            this.deleteInBatches(runner, 'messages', `workspace_id = $1 AND created_at < $2 AND NOT (${UNSENT})`, [workspace.id, before], options.batchSize),
          );
        }
        return report;
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [RETENTION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Makes the partitions of this month and the next `monthsAhead` that are missing. Each is made as a
   * plain table (rows of its month that went to the default partition moved into it) and then
   * attached, which locks the parent less than CREATE TABLE … PARTITION OF does. Messages are not
   * moved (the move is a delete, which their keys, sids and inbox entries would follow): a month whose
   * messages went to the default partition (the retention did not run for `monthsAhead` months) is
   * not made, and is reported in `kept`; its messages stay in the default partition.
   */
  private async createAhead(runner: QueryRunner, report: RetentionReport, now: Date, monthsAhead: number, lockTimeoutMs: number): Promise<string[]> {
    const created: string[] = [];
    const existing = await this.listPartitions(runner);
    for (const { table, key } of PARTITIONED_TABLES) {
      for (let ahead = 0; ahead <= monthsAhead; ahead++) {
        const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1));
        const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead + 1, 1));
        const overlaps = existing.some((p) => p.table === table && p.from && p.to && p.from < to && p.to > from);
        if (overlaps) continue;
        const name = partitionName(table, from);
        await runner.startTransaction();
        try {
          await runner.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
          // Attaching a messages partition locks the tables referencing messages (its foreign keys are cloned): taken
          // first, in the order a send takes them (its key, then the message), so that a send and this do not deadlock.
          if (table === 'messages') await lockMessageReferences(runner, 'SHARE ROW EXCLUSIVE');
          // ATTACH locks the default partition: taken first, so that no row lands there between the move and the attach.
          await runner.query(`LOCK TABLE ${table}_default IN ACCESS EXCLUSIVE MODE`);
          if (table === 'messages') {
            const [held]: Array<{ count: number }> = await runner.query(`SELECT count(*)::int AS count FROM messages_default WHERE created_at >= $1 AND created_at < $2`, [from, to]);
            if (held!.count > 0) {
              await runner.rollbackTransaction();
              report.kept.push({ partition: name, reason: `not made: the default partition holds ${held!.count} message(s) of its month, which stay there` });
              continue;
            }
          }
          await runner.query(`CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`);
          await runner.query(
            `WITH moved AS (DELETE FROM ${table}_default WHERE ${key} >= $1 AND ${key} < $2 RETURNING *) INSERT INTO ${name} SELECT * FROM moved`,
            [from, to],
          );
          await runner.query(`ALTER TABLE ${table} ATTACH PARTITION ${name} FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`);
          await runner.commitTransaction();
          created.push(name);
        } catch (error) {
          await runner.rollbackTransaction();
          // Busy (queries reading the default partition, or a deadlock with a transaction that took the tables in
          // another order): made at the next run, rows meanwhile go to the default partition.
          if (sqlState(error) === LOCK_NOT_AVAILABLE || sqlState(error) === DEADLOCK_DETECTED) continue;
          throw error;
        }
      }
    }
    return created;
  }

  /**
   * Drops each partition whose month ended before `dropBefore`. The drop holds the table's lock for
   * an instant; it waits at most `lockTimeoutMs` for queries running on the table (then is tried
   * again, and at the next run). An events partition holding an unrouted event is kept: the routing
   * outbox is never dropped; nor is a messages partition holding a message still to be sent (the send
   * outbox). A messages partition is detached (which checks that nothing references its rows any
   * more) and then dropped, after the keys, sids and inbox entries of its messages were deleted and
   * transactional messages unlinked from them (a batch at a time, before the lock).
   */
  private async dropExpired(runner: QueryRunner, report: RetentionReport, options: RetentionOptions): Promise<void> {
    const expired = (await this.listPartitions(runner)).filter((p) => p.to !== null && p.to <= report.dropBefore);
    const attempts = options.lockAttempts ?? 5;
    // One lock of each table for all its expired partitions: every wait for the lock holds up the table's readers.
    for (const { table } of PARTITIONED_TABLES) {
      let partitions = expired.filter((p) => p.table === table);
      if (table === 'messages') partitions = await this.releaseMessagePartitions(runner, report, partitions, options.batchSize);
      if (partitions.length === 0) continue;
      for (let attempt = 1; ; attempt++) {
        const dropped: string[] = [];
        const kept: RetentionReport['kept'] = [];
        await runner.startTransaction();
        try {
          await runner.query(`SET LOCAL lock_timeout = ${lockTimeout(options)}`);
          // Detaching a messages partition locks the tables referencing messages too: taken before messages, in the
          // order a send's claim takes them (its key, then the message), so that a send and the drop do not deadlock.
          if (table === 'messages') await lockMessageReferences(runner, 'ACCESS EXCLUSIVE');
          // The parent first, as every query on the table locks it: no query can then hold a partition and wait for the parent.
          await runner.query(`LOCK TABLE ONLY ${table} IN ACCESS EXCLUSIVE MODE`);
          for (const partition of partitions) {
            await runner.query(`LOCK TABLE ONLY ${partition.name} IN ACCESS EXCLUSIVE MODE`);
            if (table === 'events') {
              const [unrouted]: Array<{ count: number }> = await runner.query(`SELECT count(*)::int AS count FROM ${partition.name} WHERE routed_at IS NULL`);
              if (unrouted!.count > 0) {
                kept.push({ partition: partition.name, reason: `${unrouted!.count} unrouted event(s): kept until they are routed` });
                continue;
              }
            }
            if (table === 'messages') {
              // Again under the lock: statuses only move forward, so none can have gone back to pending; this is the guard all the same.
              const [unsent]: Array<{ count: number }> = await runner.query(`SELECT count(*)::int AS count FROM ${partition.name} WHERE ${UNSENT}`);
              if (unsent!.count > 0) {
                kept.push({ partition: partition.name, reason: unsentReason(unsent!.count) });
                continue;
              }
              // Referenced partitioned table: a partition is detached (checking no reference is left) before it can be dropped.
              await runner.query(`ALTER TABLE messages DETACH PARTITION ${partition.name}`);
            }
            await runner.query(`DROP TABLE ${partition.name}`);
            dropped.push(partition.name);
          }
          await runner.commitTransaction();
          report.dropped.push(...dropped);
          report.kept.push(...kept);
          break;
        } catch (error) {
          await runner.rollbackTransaction();
          if (sqlState(error) === FOREIGN_KEY_VIOLATION) {
            // A reference to one of its messages was made after they were deleted (a late report, say): deleted again at the next run.
            for (const partition of partitions) report.kept.push({ partition: partition.name, reason: `a message of it was referenced again meanwhile: dropped at a later run` });
            break;
          }
          // (a deadlock with a transaction that took the tables in another order ended ours: tried again, as a lock not obtained)
          if (sqlState(error) !== LOCK_NOT_AVAILABLE && sqlState(error) !== DEADLOCK_DETECTED) throw error;
          if (attempt >= attempts) {
            for (const partition of partitions) {
              report.kept.push({ partition: partition.name, reason: `the table stayed busy (its lock not obtained in ${attempts} attempts): dropped at a later run` });
            }
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    }
  }

  /**
   * Of the expired messages partitions, those that may go: one holding a message still to be sent is
   * kept (reported). For the others, what references their messages goes first, a batch at a time by
   * month (outbox keys, provider sids, inbox entries; transactional messages keep their request but
   * lose the link), so that the partition can be detached.
   */
  private async releaseMessagePartitions(runner: QueryRunner, report: RetentionReport, partitions: Partition[], batchSize?: number): Promise<Partition[]> {
    const released: Partition[] = [];
    for (const partition of partitions) {
      const [unsent]: Array<{ count: number }> = await runner.query(`SELECT count(*)::int AS count FROM ${partition.name} WHERE ${UNSENT}`);
      if (unsent!.count > 0) {
        report.kept.push({ partition: partition.name, reason: unsentReason(unsent!.count) });
        continue;
      }
      const month = [partition.from, partition.to];
      for (const table of ['message_keys', 'message_sids']) {
        report.deleted.messageKeys += await this.deleteInBatches(runner, table, `created_at >= $1 AND created_at < $2`, month, batchSize);
      }
      report.deleted.inboxMessages += await this.deleteInBatches(runner, 'inbox_messages', `message_created_at >= $1 AND message_created_at < $2`, month, batchSize);
      await this.inBatches(runner, 'transactional_messages', `message_created_at >= $1 AND message_created_at < $2`, month, batchSize, 'message_id = NULL, message_created_at = NULL');
      released.push(partition);
    }
    return released;
  }

  /** Deletes what is older than a workspace's retention, shorter than the longest, from the partitions kept. */
  private async applyWorkspaceRetention(runner: QueryRunner, report: RetentionReport, workspaceId: string, before: Date, batchSize?: number): Promise<void> {
    const scope = [workspaceId, before];
    report.deleted.eventMessageIds += await this.deleteInBatches(runner, 'event_message_ids', `workspace_id = $1 AND received_at < $2 AND ${NOT_UNROUTED}`, scope, batchSize);
    report.deleted.events += await this.deleteInBatches(runner, 'events', `workspace_id = $1 AND received_at < $2 AND routed_at IS NOT NULL`, scope, batchSize);
    report.deleted.journalEntries += await this.deleteInBatches(runner, 'journal_entries', `workspace_id = $1 AND at < $2`, scope, batchSize);
  }

  /**
   * Deletes the rows of `table` matching `where` a batch at a time (each its own short transaction);
   * returns how many. A partitioned table is done one partition at a time, and a batch is found and
   * deleted by the rows' physical address (a TID scan): `DELETE … WHERE key IN (SELECT key … LIMIT n)`
   * joined the batch with the whole table, a scan of every row per batch (232 s of a run at 10 M
   * journal rows). `where` is checked again on the row deleted (a row changed meanwhile is left for
   * the next run if it no longer matches).
   */
  private async deleteInBatches(runner: QueryRunner, table: string, where: string, parameters: unknown[], batchSize = 10_000): Promise<number> {
    return this.inBatches(runner, table, where, parameters, batchSize);
  }

  /** As deleteInBatches, or with `set` an UPDATE … SET `set` of the rows matching `where` (which `set` must make no longer match). */
  private async inBatches(runner: QueryRunner, table: string, where: string, parameters: unknown[], batchSize = 10_000, set?: string): Promise<number> {
    const leaves: Array<{ name: string }> = await runner.query(
      `SELECT c.relname AS name FROM pg_partition_tree($1::regclass) t JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf ORDER BY c.relname`,
      [table],
    );
    let total = 0;
    for (const leaf of leaves.length > 0 ? leaves.map((l) => l.name) : [table]) {
      for (;;) {
        const result: { affected?: number | null } = await runner.query(
          `${set ? `UPDATE ${leaf} SET ${set}` : `DELETE FROM ${leaf}`} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${leaf} WHERE ${where} LIMIT ${batchSize})) AND ${where}`,
          parameters,
          true,
        );
        const deleted = result.affected ?? 0;
        total += deleted;
        if (deleted < batchSize) break;
      }
    }
    return total;
  }
}

function unsentReason(count: number): string {
  return `${count} message(s) still to be sent (pending or sending): kept until they are sent`;
}

function lockTimeout(options: RetentionOptions): number {
  return Math.max(1, Math.round(options.lockTimeoutMs ?? 2000));
}

function sqlState(error: unknown): string | undefined {
  return (error as { driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;
}
