import type { DataSource, EntityManager } from 'typeorm';

/** Inbound events that count as engaging with a message: a reply, a tracked click. */
export const ENGAGEMENT_EVENTS = ['Message Received', 'Message Clicked'] as const;

/** One engagement with a message: when, and (for market reads) the engaging customer's zone and country columns. */
export interface Engagement {
  at: Date;
  timezone: string | null;
  country: string | null;
}

export interface EngagementQuery {
  workspaceId: string;
  /** Channels whose messages count (a read of an SMS says nothing about email). */
  channels: readonly string[];
  /** Engagements at or after `since` and at or before `until`. */
  since: Date;
  until: Date;
  /** At most this many of each kind (reads; replies and clicks), the most recent. */
  limit: number;
}

/**
 * When customers engaged with messages: reads (`messages.read_at`, from read reports) and replies
 * and clicks (`Message Received` / `Message Clicked` track events with `properties.channel`). Every
 * read is bounded by a time window and a limit, on indexes: one customer's (the customer indexes of
 * messages and events) or a market's (`messages_read_at_idx`, `events_engagement_idx`).
 */
export class EngagementStore {
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  /** One customer's engagements, the most recent first. */
  async ofCustomer(query: EngagementQuery & { customerId: string }): Promise<Date[]> {
    const rows: Array<{ at: Date }> = await this.dataSource.query(
      `(SELECT read_at AS at FROM messages
         WHERE workspace_id = $1 AND customer_id = $2 AND channel = ANY($3::text[]) AND created_at >= $4::timestamptz - interval '1 day'
           AND read_at >= $4 AND read_at <= $5
         ORDER BY read_at DESC LIMIT $6)
       UNION ALL
       (SELECT timestamp AS at FROM events
         WHERE workspace_id = $1 AND user_id = $2 AND type = 'track' AND name = ANY($7::text[])
           AND timestamp >= $4 AND timestamp <= $5 AND properties->>'channel' = ANY($3::text[])
         ORDER BY timestamp DESC LIMIT $6)`,
      [query.workspaceId, query.customerId, query.channels, query.since, query.until, query.limit, ENGAGEMENT_EVENTS],
    );
    return rows.map((row) => row.at).sort((a, b) => b.getTime() - a.getTime());
  }

  /**
   * A market's engagements: customers of `country` (their `country` column), or of the whole
   * workspace when `country` is null, with each customer's zone and country to read the hour in.
   */
  async ofMarket(query: EngagementQuery & { country: string | null }): Promise<Engagement[]> {
    return this.dataSource.query(
      `(SELECT m.read_at AS at, p.timezone, p.country FROM messages m
         LEFT JOIN profiles p ON p.workspace_id = m.workspace_id AND p.user_id = m.customer_id
         WHERE m.workspace_id = $1 AND m.read_at IS NOT NULL AND m.read_at >= $3 AND m.read_at <= $4 AND m.channel = ANY($2::text[])
           AND ($6::text IS NULL OR p.country = $6)
         ORDER BY m.read_at DESC LIMIT $5)
       UNION ALL
       (SELECT e.timestamp AS at, p.timezone, p.country FROM events e
         LEFT JOIN profiles p ON p.workspace_id = e.workspace_id AND p.user_id = e.user_id
         WHERE e.workspace_id = $1 AND e.type = 'track' AND e.name IN ('Message Received', 'Message Clicked')
           AND e.timestamp >= $3 AND e.timestamp <= $4 AND e.properties->>'channel' = ANY($2::text[])
           AND ($6::text IS NULL OR p.country = $6)
         ORDER BY e.timestamp DESC LIMIT $5)`,
      [query.workspaceId, query.channels, query.since, query.until, query.limit, query.country],
    );
  }
}
