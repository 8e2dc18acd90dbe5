import type { DataSource } from 'typeorm';

export interface JourneyStatsQuery {
  workspaceId: string;
  journeyId: string;
  /** Cohort: instances entered at or after this time (inclusive); none = since the beginning. */
  from?: Date;
  /** Cohort: instances entered before this time (exclusive); none = until now and later. */
  to?: Date;
  /** Only instances that entered with this catalogue version. */
  version?: number;
  /** Conversion: a goal event by the instance's customer within `withinMs` after one of its sent messages. */
  goal?: { event: string; withinMs: number };
}

export interface MessageChannelStats {
  channel: string;
  /** Every outbox row of the cohort on this channel. */
  total: number;
  /** Not yet handed to the provider (pending, sending). */
  pending: number;
  /** Handed to the provider, no final receipt yet (queued, sent). */
  inFlight: number;
  delivered: number;
  undelivered: number;
  failed: number;
  /** delivered / (total − pending); null when nothing was attempted. */
  deliveryRate: number | null;
  /** (failed + undelivered) / (total − pending); null when nothing was attempted. */
  failureRate: number | null;
}

export interface JourneyStats {
  entered: number;
  active: number;
  completed: number;
  exited: number;
  /** Exited instances by reason, most frequent first ('unknown' when none was recorded). */
  exitedByReason: Array<{ reason: string; count: number }>;
  /** Distinct instances of the cohort that journaled at each step, most reached first. */
  steps: Array<{ step: string; instances: number }>;
  messages: MessageChannelStats[];
  conversion: { event: string; withinMs: number; messaged: number; converted: number; rate: number | null } | null;
}

const int = (value: unknown): number => Number(value ?? 0);

// The cohort numbers its instances so that the per-step and per-instance counts below hash small
// integers instead of long workflow ids.
const STATS_SQL = `WITH cohort AS MATERIALIZED (
     SELECT row_number() OVER () AS n, instance_id, run_id, customer_id, status, exit_reason, updated_at FROM journey_instances
     WHERE workspace_id = $1 AND journey_id = $2 AND started_at >= $3 AND started_at < $4
       AND ($5::integer IS NULL OR journey_version = $5)
   ),
   -- An instance journals nothing before it enters nor after its last step (its updated_at), so the
   -- cohort's entries lie between from and the cohort's latest update: one range of the journey's index.
   journal AS MATERIALIZED (
     SELECT c.n, j.type, j.step, j.at FROM journal_entries j
     JOIN cohort c ON c.instance_id = j.instance_id AND c.run_id = j.run_id
     WHERE j.workspace_id = $1 AND j.journey_id = $2 AND j.at >= $3 AND j.at <= (SELECT max(updated_at) FROM cohort)
   ),
   outcomes AS (
     SELECT count(*) AS entered,
            count(*) FILTER (WHERE status = 'active') AS active,
            count(*) FILTER (WHERE status = 'completed') AS completed,
            count(*) FILTER (WHERE status = 'exited') AS exited
     FROM cohort
   ),
   reasons AS (
     SELECT COALESCE(exit_reason, 'unknown') AS reason, count(*) AS count FROM cohort
     WHERE status = 'exited' GROUP BY 1
   ),
   steps AS (
     SELECT step, count(*) AS instances FROM (SELECT DISTINCT step, n FROM journal) reached GROUP BY step
   ),
   channels AS (
     SELECT m.channel,
            count(*) AS total,
            count(*) FILTER (WHERE m.status IN ('pending', 'sending')) AS pending,
            count(*) FILTER (WHERE m.status IN ('queued', 'sent')) AS in_flight,
            count(*) FILTER (WHERE m.status = 'delivered') AS delivered,
            count(*) FILTER (WHERE m.status = 'undelivered') AS undelivered,
            count(*) FILTER (WHERE m.status = 'failed') AS failed
     -- One outbox lookup per cohort instance (OFFSET 0 keeps the planner from scanning every message), in the
     -- months since the cohort's start only (an instance sends after it started).
     FROM cohort c CROSS JOIN LATERAL (
       SELECT channel, status FROM messages WHERE instance_id = c.instance_id AND run_id = c.run_id AND workspace_id = $1 AND created_at >= $3 OFFSET 0
     ) m
     GROUP BY m.channel
   ),
   sent AS (
     SELECT s.n, bool_or(EXISTS (
              SELECT 1 FROM events e
              WHERE e.workspace_id = $1 AND e.user_id = c.customer_id AND e.name = $6
                AND e.timestamp > s.at AND e.timestamp <= s.at + $7::double precision * interval '1 millisecond'
            )) AS converted
     FROM journal s JOIN cohort c ON c.n = s.n
     WHERE s.type = 'message.sent' AND $6::text IS NOT NULL
     GROUP BY s.n
   ),
   conversion AS (
     SELECT count(*) AS messaged, count(*) FILTER (WHERE converted) AS converted FROM sent
   )
   SELECT jsonb_build_object(
     'outcomes', (SELECT to_jsonb(outcomes) FROM outcomes),
     'reasons', (SELECT COALESCE(jsonb_agg(to_jsonb(reasons) ORDER BY count DESC, reason), '[]') FROM reasons),
     'steps', (SELECT COALESCE(jsonb_agg(to_jsonb(steps) ORDER BY instances DESC, step), '[]') FROM steps),
     'channels', (SELECT COALESCE(jsonb_agg(to_jsonb(channels) ORDER BY channel), '[]') FROM channels),
     'conversion', (SELECT to_jsonb(conversion) FROM conversion)
   ) AS stats`;

// Per step of one journey: its active instances now (those whose current step it is) and the
// instances of the cohort (entered in [from, to)) that journaled at it. One row per step with any.
const STEP_COUNTS_SQL = `WITH active AS (
     SELECT current_step AS step, count(*) AS active FROM journey_instances
     WHERE workspace_id = $1 AND journey_id = $2 AND status = 'active' AND ($5::integer IS NULL OR journey_version = $5)
     GROUP BY current_step
   ),
   cohort AS MATERIALIZED (
     SELECT row_number() OVER () AS n, instance_id, run_id, updated_at FROM journey_instances
     WHERE workspace_id = $1 AND journey_id = $2 AND started_at >= $3 AND started_at < $4
       AND ($5::integer IS NULL OR journey_version = $5)
   ),
   reached AS (
     SELECT step, count(*) AS reached FROM (
       SELECT DISTINCT j.step, c.n FROM journal_entries j
       JOIN cohort c ON c.instance_id = j.instance_id AND c.run_id = j.run_id
       WHERE j.workspace_id = $1 AND j.journey_id = $2 AND j.at >= $3 AND j.at <= (SELECT max(updated_at) FROM cohort)
     ) distinct_steps GROUP BY step
   )
   SELECT COALESCE(a.step, r.step) AS step, COALESCE(a.active, 0)::int AS active, COALESCE(r.reached, 0)::int AS reached
   FROM active a FULL JOIN reached r ON r.step = a.step`;

/** How many instances are at a step now, and how many of a cohort reached it. */
export interface StepCounts {
  step: string;
  /** Active instances whose current step this is (whenever they entered). */
  active: number;
  /** Instances of the cohort (entered in [from, to)) that journaled at the step at least once. */
  reached: number;
}

/**
 * Funnels per journey (and version) over a time range, computed in PostgreSQL. The cohort is the
 * instances that entered in [from, to); every figure counts only them, whatever happened later.
 * Read from the covering indexes of the journey-stats migration: one journey's rows, never the table.
 */
export class JourneyStatsStore {
  constructor(private readonly dataSource: DataSource) {}

  async stats(query: JourneyStatsQuery): Promise<JourneyStats> {
    const rows: Array<{ stats: Record<string, unknown> }> = await this.dataSource.query(STATS_SQL, this.parameters(query));
    return this.toStats(rows[0]!.stats, query.goal);
  }

  /** Per step: active instances now and instances of the cohort that reached it (one query, one row per step with any). */
  async stepCounts(query: Omit<JourneyStatsQuery, 'goal'>): Promise<StepCounts[]> {
    const rows: StepCounts[] = await this.dataSource.query(STEP_COUNTS_SQL, this.parameters(query).slice(0, 5));
    return rows.map((row) => ({ step: row.step, active: int(row.active), reached: int(row.reached) }));
  }

  /** The plan of `stats(query)` as PostgreSQL runs it (EXPLAIN ANALYZE, BUFFERS), for benchmarks and diagnosis. */
  async explain(query: JourneyStatsQuery): Promise<string> {
    const rows: Array<{ 'QUERY PLAN': string }> = await this.dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${STATS_SQL}`, this.parameters(query));
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  private parameters(query: JourneyStatsQuery): unknown[] {
    return [
      query.workspaceId,
      query.journeyId,
      query.from ?? '-infinity',
      query.to ?? 'infinity',
      query.version ?? null,
      query.goal?.event ?? null,
      query.goal?.withinMs ?? 0,
    ];
  }

  private toStats(stats: Record<string, unknown>, goal: JourneyStatsQuery['goal']): JourneyStats {
    const outcomes = stats['outcomes'] as Record<string, unknown>;
    const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);
    const conversion = stats['conversion'] as Record<string, unknown>;
    return {
      entered: int(outcomes['entered']),
      active: int(outcomes['active']),
      completed: int(outcomes['completed']),
      exited: int(outcomes['exited']),
      exitedByReason: (stats['reasons'] as Array<Record<string, unknown>>).map((row) => ({ reason: String(row['reason']), count: int(row['count']) })),
      steps: (stats['steps'] as Array<Record<string, unknown>>).map((row) => ({ step: String(row['step']), instances: int(row['instances']) })),
      messages: (stats['channels'] as Array<Record<string, unknown>>).map((row) => {
        const [total, pending, delivered, undelivered, failed] = ['total', 'pending', 'delivered', 'undelivered', 'failed'].map((key) => int(row[key])) as [number, number, number, number, number];
        return {
          channel: String(row['channel']),
          total,
          pending,
          inFlight: int(row['in_flight']),
          delivered,
          undelivered,
          failed,
          deliveryRate: rate(delivered, total - pending),
          failureRate: rate(failed + undelivered, total - pending),
        };
      }),
      conversion: goal
        ? {
            event: goal.event,
            withinMs: goal.withinMs,
            messaged: int(conversion['messaged']),
            converted: int(conversion['converted']),
            rate: rate(int(conversion['converted']), int(conversion['messaged'])),
          }
        : null,
    };
  }
}
