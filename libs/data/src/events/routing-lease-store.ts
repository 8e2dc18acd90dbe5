import type { DataSource } from 'typeorm';
import { returnedRows } from '../affected-rows';

/** Routing partitions: every customer's events belong to one (`continuum_routing_partition` in SQL). */
export const ROUTING_PARTITIONS = 64;

/**
 * Leases on routing partitions, one gateway per partition, and the list of live gateways, in
 * PostgreSQL (all times are the database's clock). A lease lasts `leaseMs` from its last renewal:
 * a gateway that dies loses its partitions when its leases expire, and the live gateways take them.
 */
export class RoutingLeaseStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Says the gateway is alive for `leaseMs`; returns how many gateways are alive (it included). */
  async heartbeat(gatewayId: string, leaseMs: number): Promise<number> {
    const [row]: Array<{ live: number }> = await this.dataSource.query(
      `WITH beat AS (
         INSERT INTO routing_gateways (gateway_id, expires_at) VALUES ($1, now() + make_interval(secs => $2 / 1000.0))
         ON CONFLICT (gateway_id) DO UPDATE SET expires_at = EXCLUDED.expires_at
       )
       SELECT 1 + count(*)::int AS live FROM routing_gateways WHERE expires_at > now() AND gateway_id <> $1`,
      [gatewayId, leaseMs],
    );
    // Gateways gone for a minute are forgotten.
    await this.dataSource.query(`DELETE FROM routing_gateways WHERE expires_at < now() - interval '1 minute'`);
    return row!.live;
  }

  /** Extends the gateway's unexpired leases by `leaseMs`; returns the partitions it still holds. */
  async renew(gatewayId: string, leaseMs: number): Promise<number[]> {
    const rows = returnedRows<{ partition: number }>(
      await this.dataSource.query(
        `UPDATE routing_leases SET expires_at = now() + make_interval(secs => $2 / 1000.0)
         WHERE owner = $1 AND expires_at > now() RETURNING partition`,
        [gatewayId, leaseMs],
      ),
    );
    return rows.map((row) => row.partition).sort((a, b) => a - b);
  }

  /** Takes up to `max` free or expired partitions (lowest first) for `leaseMs`; returns them. */
  async acquire(gatewayId: string, leaseMs: number, max: number): Promise<number[]> {
    if (max <= 0) return [];
    const rows = returnedRows<{ partition: number }>(
      await this.dataSource.query(
        `UPDATE routing_leases SET owner = $1, expires_at = now() + make_interval(secs => $2 / 1000.0)
         WHERE partition IN (
           SELECT partition FROM routing_leases WHERE owner IS NULL OR expires_at <= now()
           ORDER BY partition LIMIT $3 FOR UPDATE SKIP LOCKED
         ) RETURNING partition`,
        [gatewayId, leaseMs, max],
      ),
    );
    return rows.map((row) => row.partition).sort((a, b) => a - b);
  }

  /** Gives partitions back (all of the gateway's without `partitions`): another gateway may take them at once. */
  async release(gatewayId: string, partitions?: number[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE routing_leases SET owner = NULL, expires_at = '-infinity' WHERE owner = $1 AND ($2::smallint[] IS NULL OR partition = ANY($2::smallint[]))`,
      [gatewayId, partitions ?? null],
    );
  }

  /** The gateway stops: its leases are released and it no longer counts as live. */
  async leave(gatewayId: string): Promise<void> {
    await this.release(gatewayId);
    await this.dataSource.query(`DELETE FROM routing_gateways WHERE gateway_id = $1`, [gatewayId]);
  }

  /** Who holds each partition now (for operators and tests): partition → gateway id, unexpired leases only. */
  async holders(): Promise<Map<number, string>> {
    const rows: Array<{ partition: number; owner: string }> = await this.dataSource.query(
      `SELECT partition, owner FROM routing_leases WHERE owner IS NOT NULL AND expires_at > now() ORDER BY partition`,
    );
    return new Map(rows.map((row) => [row.partition, row.owner]));
  }
}
