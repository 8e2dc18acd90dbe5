import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing with any number of gateways: each customer's events belong to one of 64 routing
 * partitions (a stable hash of workspace and customer, stored on the row when it is accepted), and a
 * partition is routed by the one gateway that holds its lease. `routing_gateways` lists the live
 * gateways, so that each takes its fair share of the partitions.
 */
export class RoutingPartitions1732660000001 implements MigrationInterface {
  name = 'RoutingPartitions1732660000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION continuum_routing_partition(workspace_id uuid, user_id text) RETURNS smallint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT (hashtextextended(workspace_id::text || '/' || user_id, 0) & 63)::smallint $$`);
    await queryRunner.query(`ALTER TABLE events ADD COLUMN routing_partition smallint`);
    await queryRunner.query(`UPDATE events SET routing_partition = continuum_routing_partition(workspace_id, user_id) WHERE routed_at IS NULL`);
    await queryRunner.query(`CREATE INDEX events_unrouted_by_partition_idx ON events (routing_partition, id) WHERE routed_at IS NULL`);
    await queryRunner.query(`CREATE INDEX events_unrouted_by_customer_idx ON events (workspace_id, user_id, id) WHERE routed_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE routing_leases (
        partition smallint PRIMARY KEY CHECK (partition >= 0 AND partition < 64),
        owner text,
        expires_at timestamptz NOT NULL DEFAULT '-infinity'
      )`);
    await queryRunner.query(`INSERT INTO routing_leases (partition) SELECT generate_series(0, 63)`);
    await queryRunner.query(`
      CREATE TABLE routing_gateways (
        gateway_id text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE routing_gateways`);
    await queryRunner.query(`DROP TABLE routing_leases`);
    await queryRunner.query(`DROP INDEX events_unrouted_by_customer_idx`);
    await queryRunner.query(`DROP INDEX events_unrouted_by_partition_idx`);
    await queryRunner.query(`ALTER TABLE events DROP COLUMN routing_partition`);
    await queryRunner.query(`DROP FUNCTION continuum_routing_partition(uuid, text)`);
  }
}
