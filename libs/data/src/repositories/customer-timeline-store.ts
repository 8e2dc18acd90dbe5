import type { DataSource } from 'typeorm';

export type TimelineKind = 'EVENT' | 'JOURNEY_STEP' | 'MESSAGE' | 'OPERATOR_ACTION';

/** Where a page starts: the (at, kind, id) of the last item of the previous page; `at` keeps PostgreSQL's microseconds. */
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

export interface TimelinePageOptions {
  first: number;
  after?: TimelinePosition;
  /** Inclusive lower bound of `at`. */
  from?: Date;
  /** Exclusive upper bound of `at`. */
  to?: Date;
  order: 'newest' | 'oldest';
}

const AT_TEXT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One customer's activity (events, journey steps, messages, operator actions) as a single time
 * line, merged and paged in PostgreSQL: each source is read through its (workspace, customer, time)
 * index up to the page size, and the union is ordered by (at, kind, id).
 */
export class CustomerTimelineStore {
  constructor(private readonly dataSource: DataSource) {}

  async page(workspaceId: string, customerId: string, options: TimelinePageOptions): Promise<{ rows: TimelineRow[]; hasNextPage: boolean }> {
    const newest = options.order === 'newest';
    const direction = newest ? 'DESC' : 'ASC';
    const beyond = newest ? '<' : '>';
    const params: unknown[] = [
      workspaceId,
      customerId,
      options.from ?? null,
      options.to ?? null,
      options.after?.at ?? null,
      options.after?.kind ?? null,
      options.after?.id ?? null,
      options.first + 1,
    ];
    // Each branch: the customer's rows in the time window, past the cursor, at most a page of them.
    const branch = (kind: TimelineKind, table: string, customerColumn: string, atColumn: string, idText: string, data: string) => `
      (SELECT '${kind}'::text AS kind, ${idText} AS id, ${atColumn} AS at, ${AT_TEXT(atColumn)} AS position, ${data} AS data
       FROM ${table}
       WHERE workspace_id = $1 AND ${customerColumn} = $2
         AND ($3::timestamptz IS NULL OR ${atColumn} >= $3) AND ($4::timestamptz IS NULL OR ${atColumn} < $4)
         AND ($5::timestamptz IS NULL OR ${atColumn} ${beyond}= $5)
         AND ($5::timestamptz IS NULL OR (${atColumn}, '${kind}'::text, ${idText}) ${beyond} ($5::timestamptz, $6::text, $7::text))
       ORDER BY ${atColumn} ${direction}, ${idText} ${direction}
       LIMIT $8)`;
    const sql = `
      SELECT kind, id, at, position, data FROM (
        ${branch('EVENT', 'events', 'user_id', 'timestamp', 'id::text', `jsonb_build_object('messageId', message_id, 'type', type, 'name', name, 'properties', properties, 'traits', traits, 'receivedAt', received_at)`)}
        UNION ALL
        ${branch('JOURNEY_STEP', 'journal_entries', 'customer_id', 'at', 'id::text', `jsonb_build_object('instanceId', instance_id, 'runId', run_id, 'journeyId', journey_id, 'seq', seq, 'type', type, 'step', step, 'detail', detail)`)}
        UNION ALL
        ${branch('MESSAGE', 'messages', 'customer_id', 'created_at', 'id::text', `jsonb_build_object('messageId', id, 'instanceId', instance_id, 'step', step, 'channel', channel, 'to', to_address, 'body', body, 'status', status, 'providerId', provider_id, 'errorCode', error_code, 'errorMessage', error_message, 'updatedAt', updated_at)`)}
        UNION ALL
        ${branch('OPERATOR_ACTION', 'operator_audit', 'customer_id', 'at', 'id::text', `jsonb_build_object('auditId', id::text, 'action', action, 'instanceId', instance_id, 'target', target, 'actor', actor_name, 'input', input, 'outcome', outcome, 'message', message)`)}
      ) timeline
      ORDER BY at ${direction}, kind ${direction}, id ${direction}
      LIMIT $8`;
    const rows: TimelineRow[] = await this.dataSource.query(sql, params);
    return { rows: rows.slice(0, options.first), hasNextPage: rows.length > options.first };
  }
}
