import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows, returnedRows } from '../affected-rows';
import { keysetSql, type KeysetWindow } from '../keyset';

/** A one-off broadcast is its run's status; a recurring one is `scheduled`, `paused` or `cancelled`. */
export type BroadcastStatus = 'scheduled' | 'running' | 'paused' | 'cancelled' | 'completed';
export type BroadcastRunStatus = 'running' | 'paused' | 'cancelled' | 'completed';

/** When a recurring broadcast runs: a cron expression or calendar fields, in an IANA time zone. */
export interface BroadcastSchedule {
  cron?: string;
  calendar?: { second?: string; minute?: string; hour?: string; dayOfMonth?: string; month?: string; dayOfWeek?: string };
  timeZone: string;
}

export interface Broadcast {
  id: string;
  workspaceId: string;
  workspaceSlug: string;
  name: string;
  audienceId: string;
  audience: string;
  /** A template broadcast's template and channel (null for a journey broadcast). */
  template: string | null;
  channel: string | null;
  /** A journey broadcast's journey and the entry event each member's instance starts with. */
  journeyId: string | null;
  entry: { event: string; properties: Record<string, unknown> } | null;
  /** Members inside their quiet hours: skipped, or sent when their quiet hours end (template broadcasts). */
  quietHours: 'skip' | 'queue';
  schedule: BroadcastSchedule | null;
  ratePerSecond: number;
  status: BroadcastStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewBroadcast {
  name: string;
  audienceId: string;
  ratePerSecond: number;
  template?: string;
  channel?: string;
  journeyId?: string;
  entry?: { event: string; properties: Record<string, unknown> };
  quietHours?: 'skip' | 'queue';
  schedule?: BroadcastSchedule;
}

/** One run of a broadcast (one per occurrence of a recurring broadcast's schedule). */
export interface BroadcastRun {
  id: string;
  broadcastId: string;
  number: number;
  workflowId: string;
  /** The occurrence it is the run of (a one-off broadcast: when it started). */
  scheduledAt: Date;
  status: BroadcastRunStatus;
  startedAt: Date;
  endedAt: Date | null;
  /** Members the audience had when the run started: what it set out to reach (null for runs recorded before this was). */
  recipients: number | null;
}

/** A broadcast with its creation time as exact UTC text, the position of a keyset page. */
export interface BroadcastRow extends Broadcast {
  position: string;
}

/** Where a page of broadcasts (newest first) starts or ends. */
export interface BroadcastPosition {
  createdAt: string;
  id: string;
}

export interface RecipientOutcome {
  customerId: string;
  /** `entered`: a journey broadcast started the member's instance; `queued`: waiting for their quiet hours to end (until `dueAt`). */
  outcome: 'sent' | 'entered' | 'skipped' | 'failed' | 'queued';
  reason?: string | null;
  messageId?: string | null;
  dueAt?: Date | null;
}

export interface BroadcastProgress {
  /** Members with an outcome (each once per run); queued members are not counted until they are sent. */
  enrolled: number;
  sent: number;
  /** Journey broadcasts: instances started. */
  entered: number;
  failed: number;
  /** Waiting for their quiet hours to end. */
  queued: number;
  skipped: Array<{ reason: string; count: number }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = `b.id, b.workspace_id AS "workspaceId", w.slug AS "workspaceSlug", b.name, b.audience_id AS "audienceId", a.name AS audience,
  b.template, b.channel, b.journey_id AS "journeyId", b.entry, b.quiet_hours AS "quietHours", b.schedule,
  b.rate_per_second AS "ratePerSecond", b.status, b.created_at AS "createdAt", b.updated_at AS "updatedAt"`;
const FROM = `broadcasts b JOIN audiences a ON a.id = b.audience_id JOIN workspaces w ON w.id = b.workspace_id`;
const RUN_COLUMNS = `id, broadcast_id AS "broadcastId", number, workflow_id AS "workflowId", scheduled_at AS "scheduledAt", status,
  started_at AS "startedAt", ended_at AS "endedAt", recipients`;
const RECIPIENTS = `jsonb_to_recordset($2::jsonb) AS r(customer_id text, outcome text, reason text, message_id text, due_at timestamptz)`;

const asRecords = (outcomes: RecipientOutcome[]) =>
  JSON.stringify(
    outcomes.map((o) => ({ customer_id: o.customerId, outcome: o.outcome, reason: o.reason ?? null, message_id: o.messageId ?? null, due_at: o.dueAt?.toISOString() ?? null })),
  );

function emptyProgress(): BroadcastProgress {
  return { enrolled: 0, sent: 0, entered: 0, failed: 0, queued: 0, skipped: [] };
}

function addTo(progress: BroadcastProgress, outcome: string, reason: string | null, count: number): void {
  if (outcome === 'queued') {
    progress.queued += count;
    return;
  }
  progress.enrolled += count;
  if (outcome === 'sent') progress.sent += count;
  else if (outcome === 'entered') progress.entered += count;
  else if (outcome === 'failed') progress.failed += count;
  else if (outcome === 'skipped') {
    const skip = progress.skipped.find((row) => row.reason === (reason ?? 'unknown'));
    if (skip) skip.count += count;
    else progress.skipped.push({ reason: reason ?? 'unknown', count });
  }
}

/**
 * Broadcasts, their runs and, per run and recipient, what happened (written once per recipient and
 * run: a retried batch changes nothing; a queued recipient's outcome is settled once).
 */
export class BroadcastStore {
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  async create(workspaceId: string, broadcast: NewBroadcast): Promise<Broadcast> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO broadcasts (workspace_id, name, audience_id, template, channel, journey_id, entry, quiet_hours, schedule, rate_per_second, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10, $11) RETURNING id`,
      [
        workspaceId,
        broadcast.name,
        broadcast.audienceId,
        broadcast.template ?? null,
        broadcast.channel ?? null,
        broadcast.journeyId ?? null,
        broadcast.entry ? JSON.stringify(broadcast.entry) : null,
        broadcast.quietHours ?? 'skip',
        broadcast.schedule ? JSON.stringify(broadcast.schedule) : null,
        broadcast.ratePerSecond,
        broadcast.schedule ? 'scheduled' : 'running',
      ],
    );
    return (await this.get(workspaceId, row!.id))!;
  }

  async get(workspaceId: string, id: string): Promise<Broadcast | null> {
    if (!UUID.test(id)) return null;
    const rows: Broadcast[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.workspace_id = $1 AND b.id = $2`, [workspaceId, id]);
    return rows[0] ?? null;
  }

  async list(workspaceId: string): Promise<Broadcast[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.workspace_id = $1 ORDER BY b.created_at DESC`, [workspaceId]);
  }

  /** The broadcasts of these ids in the workspace, in the same order; null for one not found. */
  async getByIds(workspaceId: string, ids: readonly string[]): Promise<Array<Broadcast | null>> {
    const valid = ids.filter((id) => UUID.test(id));
    const rows: Broadcast[] = valid.length === 0 ? [] : await this.dataSource.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.workspace_id = $1 AND b.id = ANY($2::uuid[])`, [workspaceId, valid]);
    return ids.map((id) => rows.find((row) => row.id.toLowerCase() === id.toLowerCase()) ?? null);
  }

  /** Broadcasts of a workspace, newest first: up to `limit + 1` in fetch order (see KeysetWindow). */
  async page(workspaceId: string, window: KeysetWindow<BroadcastPosition>): Promise<BroadcastRow[]> {
    const params: unknown[] = [workspaceId];
    const conditions = ['b.workspace_id = $1'];
    const order = keysetSql('DESC', window.backward);
    const beyond = (position: BroadcastPosition, op: '<' | '>') => {
      const at = params.push(position.createdAt);
      params.push(position.id);
      conditions.push(`(b.created_at, b.id) ${op} ($${at}::timestamptz, $${at + 1}::uuid)`);
    };
    if (window.after) beyond(window.after, order.after);
    if (window.before) beyond(window.before, order.before);
    params.push(window.limit + 1);
    const d = order.direction;
    return this.dataSource.query(
      `SELECT ${COLUMNS}, to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
       FROM ${FROM} WHERE ${conditions.join(' AND ')} ORDER BY b.created_at ${d}, b.id ${d} LIMIT $${params.length}`,
      params,
    );
  }

  /** How many broadcasts the workspace has. */
  async count(workspaceId: string): Promise<number> {
    const [row]: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM broadcasts WHERE workspace_id = $1`, [workspaceId]);
    return row?.count ?? 0;
  }

  /** Removes a broadcast that never started (its schedule could not be created). */
  async delete(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM broadcasts WHERE id = $1`, [id]);
  }

  /** Moves the status; a cancelled or completed broadcast stays so. Returns false when it did not move. */
  async setStatus(id: string, status: BroadcastStatus): Promise<boolean> {
    const result: unknown = await this.dataSource.query(
      `UPDATE broadcasts SET status = $2, updated_at = now() WHERE id = $1 AND status NOT IN ('cancelled', 'completed')`,
      [id, status],
    );
    return affectedRows(result) > 0;
  }

  /**
   * Records a workflow as a run of the broadcast (once: the same workflow id gets the same run) and
   * returns it with the broadcast as it is now. The broadcast's row is locked meanwhile, so a pause
   * or cancel either sees this run (and signals it) or is seen by it.
   */
  async openRun(broadcastId: string, workflowId: string, scheduledAt: Date): Promise<{ run: BroadcastRun; broadcast: Broadcast } | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const locked: unknown[] = await manager.query(`SELECT 1 FROM broadcasts WHERE id = $1 FOR UPDATE`, [broadcastId]);
      if (locked.length === 0) return undefined;
      await manager.query(
        `INSERT INTO broadcast_runs (broadcast_id, number, workflow_id, scheduled_at, recipients)
         SELECT $1, COALESCE(max(number), 0) + 1, $2, $3,
                (SELECT count(*) FROM audience_members WHERE audience_id = (SELECT audience_id FROM broadcasts WHERE id = $1))
         FROM broadcast_runs WHERE broadcast_id = $1
         ON CONFLICT (workflow_id) DO NOTHING`,
        [broadcastId, workflowId, scheduledAt],
      );
      const [run]: BroadcastRun[] = await manager.query(`SELECT ${RUN_COLUMNS} FROM broadcast_runs WHERE workflow_id = $1`, [workflowId]);
      const [broadcast]: Broadcast[] = await manager.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.id = $1`, [broadcastId]);
      return { run: run!, broadcast: broadcast! };
    });
  }

  /** The run a workflow is (runs started before runs were recorded carry no run id). */
  async runByWorkflowId(workflowId: string): Promise<BroadcastRun | undefined> {
    const rows: BroadcastRun[] = await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM broadcast_runs WHERE workflow_id = $1`, [workflowId]);
    return rows[0];
  }

  /** Runs of a broadcast, the latest first. */
  async runs(broadcastId: string): Promise<BroadcastRun[]> {
    return this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM broadcast_runs WHERE broadcast_id = $1 ORDER BY number DESC`, [broadcastId]);
  }

  /** Runs of a broadcast, the latest first: up to `limit + 1` in fetch order (see KeysetWindow); a position is a run number. */
  async runPage(broadcastId: string, window: KeysetWindow<number>): Promise<BroadcastRun[]> {
    const params: unknown[] = [broadcastId];
    const conditions = ['broadcast_id = $1'];
    const order = keysetSql('DESC', window.backward);
    if (window.after !== undefined) conditions.push(`number ${order.after} $${params.push(window.after)}`);
    if (window.before !== undefined) conditions.push(`number ${order.before} $${params.push(window.before)}`);
    params.push(window.limit + 1);
    return this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM broadcast_runs WHERE ${conditions.join(' AND ')} ORDER BY number ${order.direction} LIMIT $${params.length}`, params);
  }

  /** How many runs the broadcast has had. */
  async countRuns(broadcastId: string): Promise<number> {
    const [row]: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM broadcast_runs WHERE broadcast_id = $1`, [broadcastId]);
    return row?.count ?? 0;
  }

  /** The runs of these ids among the workspace's broadcasts, in the same order; null for one not found. */
  async runsByIds(workspaceId: string, ids: readonly string[]): Promise<Array<BroadcastRun | null>> {
    const valid = ids.filter((id) => UUID.test(id));
    const rows: BroadcastRun[] =
      valid.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT ${RUN_COLUMNS} FROM broadcast_runs WHERE id = ANY($2::uuid[]) AND broadcast_id IN (SELECT id FROM broadcasts WHERE workspace_id = $1)`,
            [workspaceId, valid],
          );
    return ids.map((id) => rows.find((row) => row.id.toLowerCase() === id.toLowerCase()) ?? null);
  }

  /** Runs that are running or paused. */
  async activeRuns(broadcastId: string): Promise<BroadcastRun[]> {
    return this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM broadcast_runs WHERE broadcast_id = $1 AND status IN ('running', 'paused') ORDER BY number`, [broadcastId]);
  }

  /**
   * Moves a run's status (a cancelled or completed run stays so) and, for a one-off broadcast, the
   * broadcast's with it. Returns false when the run did not move.
   */
  async setRunStatus(runId: string, status: BroadcastRunStatus): Promise<boolean> {
    const ends = status === 'cancelled' || status === 'completed';
    const rows = returnedRows<{ broadcast_id: string }>(
      await this.dataSource.query(
        `UPDATE broadcast_runs SET status = $2, ended_at = CASE WHEN $3::boolean THEN now() ELSE ended_at END
         WHERE id = $1 AND status NOT IN ('cancelled', 'completed') RETURNING broadcast_id`,
        [runId, status, ends],
      ),
    );
    if (rows.length === 0) return false;
    await this.dataSource.query(
      `UPDATE broadcasts SET status = $2, updated_at = now() WHERE id = $1 AND schedule IS NULL AND status NOT IN ('cancelled', 'completed')`,
      [rows[0]!.broadcast_id, status],
    );
    return true;
  }

  /**
   * Completes a run that is running while its broadcast is neither paused nor cancelled (a pause or
   * cancel records the broadcast's status before it signals the run), and a one-off broadcast with
   * it. Returns false, changing nothing, otherwise: the run's workflow then ends it as it would.
   */
  async completeRunIfRunning(runId: string): Promise<boolean> {
    const rows = returnedRows<{ broadcast_id: string }>(
      await this.dataSource.query(
        `UPDATE broadcast_runs r SET status = 'completed', ended_at = now()
         FROM broadcasts b
         WHERE r.id = $1 AND b.id = r.broadcast_id AND r.status = 'running' AND b.status NOT IN ('paused', 'cancelled')
         RETURNING r.broadcast_id`,
        [runId],
      ),
    );
    if (rows.length === 0) return false;
    await this.dataSource.query(
      `UPDATE broadcasts SET status = 'completed', updated_at = now() WHERE id = $1 AND schedule IS NULL AND status NOT IN ('cancelled', 'completed')`,
      [rows[0]!.broadcast_id],
    );
    return true;
  }

  /** A run's status now (undefined for no such run). */
  async runStatus(runId: string): Promise<BroadcastRunStatus | undefined> {
    const rows: Array<{ status: BroadcastRunStatus }> = await this.dataSource.query(`SELECT status FROM broadcast_runs WHERE id = $1`, [runId]);
    return rows[0]?.status;
  }

  /** Records outcomes of a run's members; a member that already has one keeps it. */
  async record(broadcastId: string, runId: string, outcomes: RecipientOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO broadcast_recipients (run_id, broadcast_id, customer_id, outcome, reason, message_id, due_at)
       SELECT $1, $3, r.customer_id, r.outcome, r.reason, r.message_id::uuid, r.due_at FROM ${RECIPIENTS}
       ON CONFLICT (run_id, customer_id) DO NOTHING`,
      [runId, asRecords(outcomes), broadcastId],
    );
  }

  /** Settles queued members of a run (sent, skipped, failed, or queued again until a later `dueAt`); others are left alone. */
  async settleQueued(runId: string, outcomes: RecipientOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `UPDATE broadcast_recipients b SET outcome = r.outcome, reason = r.reason, message_id = r.message_id::uuid, due_at = r.due_at, at = now()
       FROM ${RECIPIENTS} WHERE b.run_id = $1 AND b.customer_id = r.customer_id AND b.outcome = 'queued'`,
      [runId, asRecords(outcomes)],
    );
  }

  /** Which of these customers already have an outcome (or wait, queued) in this run. */
  async reached(runId: string, customerIds: string[]): Promise<Set<string>> {
    const rows: Array<{ customer_id: string }> = await this.dataSource.query(
      `SELECT customer_id FROM broadcast_recipients WHERE run_id = $1 AND customer_id = ANY($2::text[])`,
      [runId, customerIds],
    );
    return new Set(rows.map((row) => row.customer_id));
  }

  /** Queued members of a run whose quiet hours have ended, earliest first. */
  async dueQueued(runId: string, limit: number): Promise<string[]> {
    const rows: Array<{ customer_id: string }> = await this.dataSource.query(
      `SELECT customer_id FROM broadcast_recipients WHERE run_id = $1 AND outcome = 'queued' AND due_at <= now() ORDER BY due_at, customer_id LIMIT $2`,
      [runId, limit],
    );
    return rows.map((row) => row.customer_id);
  }

  /** When the run's earliest queued member is due, if any waits. */
  async nextQueuedAt(runId: string): Promise<Date | undefined> {
    const [row]: Array<{ due_at: Date | null }> = await this.dataSource.query(
      `SELECT min(due_at) AS due_at FROM broadcast_recipients WHERE run_id = $1 AND outcome = 'queued'`,
      [runId],
    );
    return row?.due_at ?? undefined;
  }

  /** Progress over every run of the broadcast. */
  async progress(broadcastId: string): Promise<BroadcastProgress> {
    const rows: Array<{ outcome: string; reason: string | null; count: string }> = await this.dataSource.query(
      `SELECT outcome, reason, count(*) AS count FROM broadcast_recipients WHERE broadcast_id = $1 GROUP BY outcome, reason ORDER BY outcome, reason`,
      [broadcastId],
    );
    const progress = emptyProgress();
    for (const row of rows) addTo(progress, row.outcome, row.reason, Number(row.count));
    return progress;
  }

  /** Progress over every run of each of these broadcasts (a page of them), in one query. */
  async progressOf(broadcastIds: string[]): Promise<Map<string, BroadcastProgress>> {
    const byBroadcast = new Map(broadcastIds.map((id) => [id, emptyProgress()]));
    if (broadcastIds.length === 0) return byBroadcast;
    const rows: Array<{ broadcast_id: string; outcome: string; reason: string | null; count: string }> = await this.dataSource.query(
      `SELECT broadcast_id, outcome, reason, count(*) AS count FROM broadcast_recipients WHERE broadcast_id = ANY($1::uuid[])
       GROUP BY broadcast_id, outcome, reason ORDER BY broadcast_id, outcome, reason`,
      [broadcastIds],
    );
    for (const row of rows) addTo(byBroadcast.get(row.broadcast_id)!, row.outcome, row.reason, Number(row.count));
    return byBroadcast;
  }

  /** Progress of each of these runs. */
  async runProgress(runIds: string[]): Promise<Map<string, BroadcastProgress>> {
    const byRun = new Map(runIds.map((id) => [id, emptyProgress()]));
    if (runIds.length === 0) return byRun;
    const rows: Array<{ run_id: string; outcome: string; reason: string | null; count: string }> = await this.dataSource.query(
      `SELECT run_id, outcome, reason, count(*) AS count FROM broadcast_recipients WHERE run_id = ANY($1::uuid[]) GROUP BY run_id, outcome, reason ORDER BY run_id, outcome, reason`,
      [runIds],
    );
    for (const row of rows) addTo(byRun.get(row.run_id)!, row.outcome, row.reason, Number(row.count));
    return byRun;
  }
}
