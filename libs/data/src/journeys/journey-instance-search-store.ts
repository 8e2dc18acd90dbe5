import type { DataSource } from 'typeorm';
import type { JourneyInstanceEntity } from './journey-instance.entity';

export interface JourneyInstanceFilter {
  journeyId?: string;
  status?: JourneyInstanceEntity['status'];
  /** The instance's current step. */
  step?: string;
  customerId?: string;
  key?: string;
  /** Inclusive. */
  enteredAfter?: Date;
  /** Exclusive. */
  enteredBefore?: Date;
}

/** The (startedAt, instanceId, runId) of the last instance of the previous page; `startedAt` in exact UTC text. */
export interface InstancePosition {
  startedAt: string;
  instanceId: string;
  runId: string;
}

export interface JourneyInstanceRow extends JourneyInstanceEntity {
  /** `startedAt` as exact UTC text, for the next page's position. */
  position: string;
}

/** Journey instances of a workspace across customers and journeys, newest entries first. */
export class JourneyInstanceSearchStore {
  constructor(private readonly dataSource: DataSource) {}

  async search(
    workspaceId: string,
    filter: JourneyInstanceFilter,
    page: { first: number; after?: InstancePosition },
  ): Promise<{ instances: JourneyInstanceRow[]; hasNextPage: boolean; totalCount: number }> {
    const params: unknown[] = [workspaceId];
    const conditions = ['workspace_id = $1'];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (filter.journeyId !== undefined) add((p) => `journey_id = ${p}`, filter.journeyId);
    if (filter.status !== undefined) add((p) => `status = ${p}`, filter.status);
    if (filter.step !== undefined) add((p) => `current_step = ${p}`, filter.step);
    if (filter.customerId !== undefined) add((p) => `customer_id = ${p}`, filter.customerId);
    if (filter.key !== undefined) add((p) => `instance_key = ${p}`, filter.key);
    if (filter.enteredAfter !== undefined) add((p) => `started_at >= ${p}`, filter.enteredAfter);
    if (filter.enteredBefore !== undefined) add((p) => `started_at < ${p}`, filter.enteredBefore);
    const where = conditions.join(' AND ');
    const countParams = [...params];
    if (page.after) {
      const at = params.push(page.after.startedAt);
      params.push(page.after.instanceId, page.after.runId);
      conditions.push(`(started_at, instance_id, run_id) < ($${at}::timestamptz, $${at + 1}::text, $${at + 2}::text)`);
    }
    params.push(page.first + 1);
    const [rows, counted]: [JourneyInstanceRow[], Array<{ count: number }>] = await Promise.all([
      this.dataSource.query(
        `SELECT instance_id AS "instanceId", run_id AS "runId", workspace_id AS "workspaceId", journey_id AS "journeyId",
                customer_id AS "customerId", instance_key AS "instanceKey", status, current_step AS "currentStep",
                exit_reason AS "exitReason", started_at AS "startedAt", updated_at AS "updatedAt", ended_at AS "endedAt",
                to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
         FROM journey_instances WHERE ${conditions.join(' AND ')}
         ORDER BY started_at DESC, instance_id DESC, run_id DESC LIMIT $${params.length}`,
        params,
      ),
      this.dataSource.query(`SELECT count(*)::int AS count FROM journey_instances WHERE ${where}`, countParams),
    ]);
    return { instances: rows.slice(0, page.first), hasNextPage: rows.length > page.first, totalCount: counted[0]?.count ?? 0 };
  }
}
