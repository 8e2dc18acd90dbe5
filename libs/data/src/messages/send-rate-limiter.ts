import type { DataSource } from 'typeorm';
import { returnedRows } from '../affected-rows';

/** A send slot: taken (wait `waitMs`, then send), or none within the wait allowed (retry after `retryAfterMs`). */
export type SendSlot = { reserved: true; waitMs: number } | { reserved: false; retryAfterMs: number };

/**
 * Paces each sender (a From number, a Messaging Service, an email sender) at `messagesPerSecond`
 * across every worker, in PostgreSQL: each send reserves the sender's next free slot — one
 * statement on a locked row moves it on by 1/rate — and waits until it. Reservations queue
 * senders fairly with no polling: N concurrent sends get N consecutive slots.
 * (`send_rate_buckets.refilled_at` holds the sender's next free slot.)
 */
export class SendRateLimiter {
  /** Senders whose row exists (rows are never deleted): one statement per reservation after the first. */
  private readonly known = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  /** Reserves `sender`'s next slot if it comes within `maxWaitMs`. */
  async reserve(sender: string, messagesPerSecond: number, maxWaitMs: number): Promise<SendSlot> {
    if (!this.known.has(sender)) {
      await this.dataSource.query(
        `INSERT INTO send_rate_buckets (sender, tokens, refilled_at) VALUES ($1, 0, clock_timestamp()) ON CONFLICT (sender) DO NOTHING`,
        [sender],
      );
      this.known.add(sender);
    }
    const rows = returnedRows<{ reserved: boolean; wait_ms: number }>(
      await this.dataSource.query(
        `WITH current AS (
           SELECT sender, GREATEST(refilled_at, clock_timestamp()) AS slot, clock_timestamp() AS now
           FROM send_rate_buckets WHERE sender = $1 FOR UPDATE
         ), reserved AS (
           UPDATE send_rate_buckets AS b SET refilled_at = c.slot + make_interval(secs => 1.0 / $2::float8)
           FROM current AS c WHERE b.sender = c.sender AND c.slot <= c.now + make_interval(secs => $3::float8 / 1000)
           RETURNING b.sender
         )
         SELECT EXISTS (SELECT 1 FROM reserved) AS reserved, EXTRACT(EPOCH FROM c.slot - c.now)::float8 * 1000 AS wait_ms FROM current AS c`,
        [sender, messagesPerSecond, maxWaitMs],
      ),
    );
    const row = rows[0]!;
    const waitMs = Math.max(0, Math.ceil(row.wait_ms));
    return row.reserved ? { reserved: true, waitMs } : { reserved: false, retryAfterMs: Math.max(1, waitMs - maxWaitMs) };
  }
}
