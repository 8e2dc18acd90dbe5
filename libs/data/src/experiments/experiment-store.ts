import type { DataSource } from 'typeorm';
import type { EventFilter, JourneyGoal } from '@continuum/contracts';
import { goalFilterSql } from './goal-filter-sql';

/** A conversion goal as the stores measure it: the event, its filter and the window in ms. */
export interface MeasuredGoal {
  event: string;
  where?: EventFilter;
  withinMs: number;
}

export interface ExperimentQuery {
  workspaceId: string;
  journeyId: string;
  /** The experiment's step id. */
  step: string;
  /** Customers first assigned at or after this time (inclusive); none: since the beginning. */
  from?: Date;
  /** Customers first assigned before this time (exclusive); none: no end. */
  to?: Date;
  goal: MeasuredGoal;
}

/** One arm of an experiment: its customers and those who converted. */
export interface ExperimentArmCounts {
  variant: string;
  /** True for the control group (sent nothing). */
  control: boolean;
  /** Distinct customers first assigned to this arm in the window. */
  entered: number;
  /** Of those, customers who did the goal event within the window after one of their assignments. */
  converted: number;
}

/** The experiment as its latest assignment declared it: the arms in order, the control group and the goal. */
export interface ExperimentDeclaration {
  weights: Record<string, number>;
  controlId?: string;
  goal?: JourneyGoal;
}

// The unit is the customer, the unit of assignment: each customer counts once, in the arm of their
// first assignment in the window, and converted when a goal event came within the window after any of
// their assignments (a re-entry gets the same arm). Read from the experiment-assignments index.
// Assignments made by the winner rule (`rule` in the detail) are left out.
const ARMS_SQL = (where: string) => `WITH assigned AS MATERIALIZED (
     SELECT j.customer_id, j.at, j.detail ->> 'variant' AS variant, COALESCE((j.detail ->> 'control')::boolean, false) AS control,
            row_number() OVER (PARTITION BY j.customer_id ORDER BY j.at, j.id) AS nth
     FROM journal_entries j
     WHERE j.workspace_id = $1 AND j.journey_id = $2 AND j.type = 'experiment.assigned' AND j.step = $3
       AND j.at >= $4 AND j.at < $5 AND j.detail ? 'variant'
       -- Entries sent down a declared winner were not randomised: they are not part of the experiment.
       AND NOT j.detail ? 'rule'
   ),
   customers AS (
     SELECT a.customer_id,
            min(a.variant) FILTER (WHERE a.nth = 1) AS variant,
            bool_or(a.control) FILTER (WHERE a.nth = 1) AS control,
            bool_or(EXISTS (
              SELECT 1 FROM events e
              WHERE e.workspace_id = $1 AND e.type = 'track' AND e.user_id = a.customer_id AND e.name = $6
                AND e.timestamp > a.at AND e.timestamp <= a.at + $7::double precision * interval '1 millisecond'
                AND ${where}
            )) AS converted
     FROM assigned a GROUP BY a.customer_id
   )
   SELECT variant, bool_or(control) AS control, count(*)::int AS entered, count(*) FILTER (WHERE converted)::int AS converted
   FROM customers GROUP BY variant ORDER BY variant`;

// Instances of a journey entered in [from, to) (optionally of one version) whose customer did the goal
// event within the window after entering: the journey's own goal, as the funnel shows it.
const ENTRY_GOAL_SQL = (where: string) => `WITH cohort AS MATERIALIZED (
     SELECT customer_id, started_at FROM journey_instances
     WHERE workspace_id = $1 AND journey_id = $2 AND started_at >= $3 AND started_at < $4 AND ($5::integer IS NULL OR journey_version = $5)
   )
   SELECT count(*)::int AS entered, count(*) FILTER (WHERE EXISTS (
     SELECT 1 FROM events e
     WHERE e.workspace_id = $1 AND e.type = 'track' AND e.user_id = c.customer_id AND e.name = $6
       AND e.timestamp > c.started_at AND e.timestamp <= c.started_at + $7::double precision * interval '1 millisecond'
       AND ${where}
   ))::int AS converted
   FROM cohort c`;

/**
 * Experiments and goals, counted in PostgreSQL from the journal (`experiment.assigned` entries,
 * journey instances) and the events table (the goal events).
 */
export class ExperimentStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Customers and conversions per arm of one experiment (arms nobody was assigned to are absent). */
  async arms(query: ExperimentQuery): Promise<ExperimentArmCounts[]> {
    const params: unknown[] = [query.workspaceId, query.journeyId, query.step, query.from ?? '-infinity', query.to ?? 'infinity', query.goal.event, query.goal.withinMs];
    const where = goalFilterSql(query.goal.where, 'e', params);
    const rows: Array<{ variant: string; control: boolean; entered: number; converted: number }> = await this.dataSource.query(ARMS_SQL(where), params);
    return rows.map((row) => ({ variant: row.variant, control: row.control === true, entered: Number(row.entered), converted: Number(row.converted) }));
  }

  /** The latest assignment's declaration of the experiment (arms, control, goal); null when nobody was assigned yet. */
  async declaration(query: Pick<ExperimentQuery, 'workspaceId' | 'journeyId' | 'step'>): Promise<ExperimentDeclaration | null> {
    const rows: Array<{ detail: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT detail FROM journal_entries
       WHERE workspace_id = $1 AND journey_id = $2 AND type = 'experiment.assigned' AND step = $3
       ORDER BY at DESC LIMIT 1`,
      [query.workspaceId, query.journeyId, query.step],
    );
    const detail = rows[0]?.detail;
    if (!detail) return null;
    const weights = (detail['weights'] ?? {}) as Record<string, number>;
    const controlId = typeof detail['controlId'] === 'string' ? detail['controlId'] : undefined;
    const goal = detail['goal'] as JourneyGoal | undefined;
    return { weights, ...(controlId ? { controlId } : {}), ...(goal ? { goal } : {}) };
  }

  /** The winner the rule declared (the first assignment it made, with its figures); null while there is none. */
  async declaredWinner(query: Pick<ExperimentQuery, 'workspaceId' | 'journeyId' | 'step'>): Promise<{ variant: string; at: Date; figures: Record<string, unknown> } | null> {
    const rows: Array<{ detail: Record<string, unknown>; at: Date }> = await this.dataSource.query(
      `SELECT detail, at FROM journal_entries
       WHERE workspace_id = $1 AND journey_id = $2 AND type = 'experiment.assigned' AND step = $3 AND detail ->> 'rule' = 'winner'
       ORDER BY at LIMIT 1`,
      [query.workspaceId, query.journeyId, query.step],
    );
    const row = rows[0];
    if (!row) return null;
    return { variant: String(row.detail['variant']), at: row.at, figures: (row.detail['winner'] ?? {}) as Record<string, unknown> };
  }

  /** Entries the winner rule sent down the winner (in [from, to) when given). */
  async winnerEntries(query: Pick<ExperimentQuery, 'workspaceId' | 'journeyId' | 'step' | 'from' | 'to'>): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM journal_entries
       WHERE workspace_id = $1 AND journey_id = $2 AND type = 'experiment.assigned' AND step = $3 AND at >= $4 AND at < $5 AND detail ->> 'rule' = 'winner'`,
      [query.workspaceId, query.journeyId, query.step, query.from ?? '-infinity', query.to ?? 'infinity'],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Instances entered in [from, to) and those whose customer did the goal event within the window after entering. */
  async entryConversion(query: { workspaceId: string; journeyId: string; from?: Date; to?: Date; version?: number; goal: MeasuredGoal }): Promise<{ entered: number; converted: number }> {
    const params: unknown[] = [query.workspaceId, query.journeyId, query.from ?? '-infinity', query.to ?? 'infinity', query.version ?? null, query.goal.event, query.goal.withinMs];
    const where = goalFilterSql(query.goal.where, 'e', params);
    const rows: Array<{ entered: number; converted: number }> = await this.dataSource.query(ENTRY_GOAL_SQL(where), params);
    return { entered: Number(rows[0]?.entered ?? 0), converted: Number(rows[0]?.converted ?? 0) };
  }
}
