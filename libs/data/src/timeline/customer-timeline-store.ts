import type { DataSource } from 'typeorm';
import { keysetSql, type KeysetWindow } from '../keyset';

export type TimelineKind = 'EVENT' | 'JOURNEY_STEP' | 'MESSAGE' | 'OPERATOR_ACTION';

/** A row's place in the time line, where a page starts or ends: its (at, kind, id); `at` keeps PostgreSQL's microseconds. */
export interface TimelinePosition {
  at: string;
  kind: TimelineKind;
  id: string;
}

export interface TimelineRow {
  kind: TimelineKind;
  id: string;
  at: Date;
  /** `at` as exact UTC text (microseconds), for the next page's position. */
  position: string;
  data: Record<string, unknown>;
}

export interface TimelinePageOptions extends KeysetWindow<TimelinePosition> {
  /** Inclusive lower bound of `at`. */
  from?: Date;
  /** Exclusive upper bound of `at`. */
  to?: Date;
  order: 'newest' | 'oldest';
}

/** A single timeline row with the customer and journey instance it belongs to. */
export type LiveTimelineRow = TimelineRow & { customerId: string; instanceId: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BIGINT = /^[0-9]{1,18}$/;

/** The kinds a single row can be re-read as (see {@link CustomerTimelineStore.item}), with how each is read. */
const SOURCES = {
  EVENT: {
    table: 'events',
    key: 'id = $2::bigint',
    customer: 'user_id',
    instance: 'NULL::text',
    at: 'timestamp',
    data: `jsonb_build_object('userId', user_id, 'messageId', message_id, 'type', type, 'name', name, 'properties', properties, 'traits', traits, 'receivedAt', received_at)`,
  },
  JOURNEY_STEP: {
    table: 'journal_entries',
    key: 'id = $2::bigint',
    customer: 'customer_id',
    instance: 'instance_id',
    at: 'at',
    data: `jsonb_build_object('instanceId', instance_id, 'runId', run_id, 'journeyId', journey_id, 'seq', seq, 'type', type, 'step', step, 'detail', detail)`,
  },
  MESSAGE: {
    table: 'messages',
    key: 'id = $2::uuid',
    customer: 'customer_id',
    instance: 'instance_id',
    at: 'created_at',
    data: `jsonb_build_object('messageId', id, 'customerId', customer_id, 'instanceId', instance_id, 'runId', run_id, 'step', step, 'channel', channel, 'to', to_address, 'body', body, 'status', status, 'providerId', provider_id, 'errorCode', error_code, 'errorMessage', error_message, 'createdAt', created_at, 'updatedAt', updated_at)`,
  },
} as const;

const AT_TEXT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One customer's activity (events, journey steps, messages, operator actions) as a single time
 * line, merged and paged in PostgreSQL: each source is read through its (workspace, customer, time)
 * index up to the page size, and the union is ordered by (at, kind, id).
 */
export class CustomerTimelineStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit + 1` rows in fetch order (see KeysetWindow), the time line's order being `options.order`. */
  async page(workspaceId: string, customerId: string, options: TimelinePageOptions): Promise<{ rows: TimelineRow[] }> {
    const order = keysetSql(options.order === 'newest' ? 'DESC' : 'ASC', options.backward);
    const direction = order.direction;
    const params: unknown[] = [
      workspaceId,
      customerId,
      options.from ?? null,
      options.to ?? null,
      options.after?.at ?? null,
      options.after?.kind ?? null,
      options.after?.id ?? null,
      options.before?.at ?? null,
      options.before?.kind ?? null,
      options.before?.id ?? null,
      options.limit + 1,
    ];
    // Each branch: the customer's rows in the time window, between the cursors, at most a page of them
    // (the bare time comparison lets the (workspace, customer, time) index bound the scan).
    const branch = (kind: TimelineKind, table: string, customerColumn: string, atColumn: string, idText: string, data: string) => `
      (SELECT '${kind}'::text AS kind, ${idText} AS id, ${atColumn} AS at, ${AT_TEXT(atColumn)} AS position, ${data} AS data
       FROM ${table}
       WHERE workspace_id = $1 AND ${customerColumn} = $2
         AND ($3::timestamptz IS NULL OR ${atColumn} >= $3) AND ($4::timestamptz IS NULL OR ${atColumn} < $4)
         AND ($5::timestamptz IS NULL OR ${atColumn} ${order.after}= $5)
         AND ($5::timestamptz IS NULL OR (${atColumn}, '${kind}'::text, ${idText}) ${order.after} ($5::timestamptz, $6::text, $7::text))
         AND ($8::timestamptz IS NULL OR ${atColumn} ${order.before}= $8)
         AND ($8::timestamptz IS NULL OR (${atColumn}, '${kind}'::text, ${idText}) ${order.before} ($8::timestamptz, $9::text, $10::text))
       ORDER BY ${atColumn} ${direction}, ${idText} ${direction}
       LIMIT $11)`;
    const sql = `
      SELECT kind, id, at, position, data FROM (
        ${branches(branch)}
      ) timeline
      ORDER BY at ${direction}, kind ${direction}, id ${direction}
      LIMIT $11`;
    const rows: TimelineRow[] = await this.dataSource.query(sql, params);
    return { rows };
  }

  /** The rows {@link page} pages through in the time window, on every page. */
  async count(workspaceId: string, customerId: string, window: Pick<TimelinePageOptions, 'from' | 'to'>): Promise<number> {
    const branch = (_kind: TimelineKind, table: string, customerColumn: string, atColumn: string) => `
      (SELECT count(*)::int AS count FROM ${table}
       WHERE workspace_id = $1 AND ${customerColumn} = $2
         AND ($3::timestamptz IS NULL OR ${atColumn} >= $3) AND ($4::timestamptz IS NULL OR ${atColumn} < $4))`;
    const rows: Array<{ count: number }> = await this.dataSource.query(`SELECT sum(count)::int AS count FROM (${branches(branch)}) counts`, [
      workspaceId,
      customerId,
      window.from ?? null,
      window.to ?? null,
    ]);
    return rows[0]?.count ?? 0;
  }

  /** One event, journal entry or message of a workspace as a timeline row, with its customer and instance; null once it is gone. */
  async item(workspaceId: string, kind: keyof typeof SOURCES, id: string): Promise<LiveTimelineRow | null> {
    // A malformed id names no row (and must not make the cast fail).
    if (!(kind === 'MESSAGE' ? UUID : BIGINT).test(id)) return null;
    const source = SOURCES[kind];
    const rows: LiveTimelineRow[] = await this.dataSource.query(
      `SELECT '${kind}'::text AS kind, id::text AS id, ${source.at} AS at, ${AT_TEXT(source.at)} AS position, ${source.data} AS data,
              ${source.customer} AS "customerId", ${source.instance} AS "instanceId"
       FROM ${source.table} WHERE workspace_id = $1 AND ${source.key}`,
      [workspaceId, id],
    );
    return rows[0] ?? null;
  }
}

/** The four sources of the time line, each made into a SELECT by `branch`, joined by UNION ALL. */
function branches(branch: (kind: TimelineKind, table: string, customerColumn: string, atColumn: string, idText: string, data: string) => string): string {
  return [
    branch('EVENT', 'events', 'user_id', 'timestamp', 'id::text', SOURCES.EVENT.data),
    branch('JOURNEY_STEP', 'journal_entries', 'customer_id', 'at', 'id::text', SOURCES.JOURNEY_STEP.data),
    branch('MESSAGE', 'messages', 'customer_id', 'created_at', 'id::text', SOURCES.MESSAGE.data),
    branch(
      'OPERATOR_ACTION',
      'operator_audit',
      'customer_id',
      'at',
      'id::text',
      `jsonb_build_object('auditId', id::text, 'action', action, 'instanceId', instance_id, 'runId', run_id, 'target', target, 'actor', actor_name, 'actorKeyId', actor_key_id, 'customerId', customer_id, 'input', input, 'outcome', outcome, 'message', message)`,
    ),
  ].join('\n        UNION ALL\n');
}
