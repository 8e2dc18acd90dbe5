import type { DataSource } from 'typeorm';
import { keysetSql, type KeysetWindow } from '../keyset';
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

/** The (startedAt, instanceId, runId) of an instance, where a page starts or ends; `startedAt` in exact UTC text. */
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

  /** Up to `limit + 1` instances in fetch order (see KeysetWindow), ordered by (startedAt, instanceId, runId) descending. */
  async search(workspaceId: string, filter: JourneyInstanceFilter, page: KeysetWindow<InstancePosition>): Promise<{ instances: JourneyInstanceRow[] }> {
    const { params, conditions } = filterSql(workspaceId, filter);
    const order = keysetSql('DESC', page.backward);
    const beyond = (position: InstancePosition, op: '<' | '>') => {
      const at = params.push(position.startedAt);
      params.push(position.instanceId, position.runId);
      conditions.push(`(started_at, instance_id, run_id) ${op} ($${at}::timestamptz, $${at + 1}::text, $${at + 2}::text)`);
    };
    if (page.after) beyond(page.after, order.after);
    if (page.before) beyond(page.before, order.before);
    params.push(page.limit + 1);
    const d = order.direction;
    const instances: JourneyInstanceRow[] = await this.dataSource.query(
      `SELECT instance_id AS "instanceId", run_id AS "runId", workspace_id AS "workspaceId", journey_id AS "journeyId",
              journey_version AS "journeyVersion", customer_id AS "customerId", instance_key AS "instanceKey", status, current_step AS "currentStep",
              exit_reason AS "exitReason", started_at AS "startedAt", updated_at AS "updatedAt", ended_at AS "endedAt",
              to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
       FROM journey_instances WHERE ${conditions.join(' AND ')}
       ORDER BY started_at ${d}, instance_id ${d}, run_id ${d} LIMIT $${params.length}`,
      params,
    );
    return { instances };
  }

  /** The instances matching the filter, on every page. */
  async count(workspaceId: string, filter: JourneyInstanceFilter): Promise<number> {
    const { params, conditions } = filterSql(workspaceId, filter);
    const counted: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM journey_instances WHERE ${conditions.join(' AND ')}`, params);
    return counted[0]?.count ?? 0;
  }
}

function filterSql(workspaceId: string, filter: JourneyInstanceFilter): { params: unknown[]; conditions: string[] } {
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
  return { params, conditions };
}
