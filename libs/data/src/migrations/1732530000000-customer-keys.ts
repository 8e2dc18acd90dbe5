import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payload encryption keys (envelope encryption, crypto-shredding):
 * - workspace_keys: a workspace's key per version, wrapped by the root key (the KMS);
 * - customer_data_keys: a data key per customer (and one for the workspace's payloads with no
 *   customer), wrapped by a version of its workspace key. A customer is named only by a hash of
 *   (workspace, customer id). Destroying a data key clears `wrapped` and sets `destroyed_at`: the
 *   row stays as the record that the customer was shredded, so no new key is made for them.
 */
export class CustomerKeys1732530000000 implements MigrationInterface {
  name = 'CustomerKeys1732530000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE workspace_keys (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version > 0),
        key_id uuid NOT NULL UNIQUE,
        wrapped bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE customer_data_keys (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        customer_ref text NOT NULL,
        key_id uuid NOT NULL UNIQUE,
        workspace_key_version integer,
        wrapped bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz,
        PRIMARY KEY (workspace_id, customer_ref),
        FOREIGN KEY (workspace_id, workspace_key_version) REFERENCES workspace_keys (workspace_id, version),
        CHECK ((destroyed_at IS NULL) = (wrapped IS NOT NULL AND workspace_key_version IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX customer_data_keys_version_idx ON customer_data_keys (workspace_id, workspace_key_version)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS customer_data_keys`);
    await queryRunner.query(`DROP TABLE IF EXISTS workspace_keys`);
  }
}
