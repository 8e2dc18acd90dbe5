import type { DataSource } from 'typeorm';

/**
 * A token bucket per sender (a From number or Messaging Service) in PostgreSQL, shared by every
 * worker: `messagesPerSecond` tokens a second, bursts of at most `burst`. Refilling and taking a
 * token is one statement on a locked row, so several workers together never exceed the rate.
 */
export class SendRateLimiter {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes one token for `sender`: 0 when taken, else the milliseconds until one will be there. */
  async tryTake(sender: string, messagesPerSecond: number, burst = 1): Promise<number> {
    await this.dataSource.query(
      `INSERT INTO send_rate_buckets (sender, tokens, refilled_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (sender) DO NOTHING`,
      [sender, burst],
    );
    const result: unknown = await this.dataSource.query(
      `WITH current AS (
         SELECT sender, LEAST($3::float8, tokens + EXTRACT(EPOCH FROM clock_timestamp() - refilled_at)::float8 * $2::float8) AS available
         FROM send_rate_buckets WHERE sender = $1 FOR UPDATE
       )
       UPDATE send_rate_buckets AS b
       SET tokens = CASE WHEN c.available >= 1 THEN c.available - 1 ELSE c.available END, refilled_at = clock_timestamp()
       FROM current AS c WHERE b.sender = c.sender
       RETURNING c.available >= 1 AS taken, c.available AS available`,
      [sender, messagesPerSecond, burst],
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const row = (result as [Array<{ taken: boolean; available: number }>, number])[0][0]!;
    if (row.taken) return 0;
    return Math.max(1, Math.ceil(((1 - row.available) / messagesPerSecond) * 1000));
  }
}
