import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Profile search (by email, phone and trait containment) and the record of erased customers
 * (GDPR/LGPD): one row per erasure with a one-way hash of the customer and what was removed.
 */
export class ProfileSearch1732350000000 implements MigrationInterface {
  name = 'ProfileSearch1732350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX profiles_email_idx ON profiles (workspace_id, email) WHERE email IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX profiles_phone_idx ON profiles (workspace_id, phone) WHERE phone IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX profiles_traits_idx ON profiles USING GIN (traits jsonb_path_ops)`);
    // Event history of one customer, newest first, paged by id.
    await queryRunner.query(`CREATE INDEX events_user_id_idx ON events (workspace_id, user_id, id)`);
    await queryRunner.query(`
      CREATE TABLE erasures (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        customer_hash text NOT NULL,
        erased_at timestamptz NOT NULL DEFAULT now(),
        instances_ended integer NOT NULL,
        events_deleted integer NOT NULL,
        messages_deleted integer NOT NULL,
        journal_entries_anonymised integer NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX erasures_workspace_idx ON erasures (workspace_id, erased_at)`);
    await queryRunner.query(`CREATE INDEX erasures_customer_idx ON erasures (workspace_id, customer_hash)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS erasures`);
    await queryRunner.query(`DROP INDEX IF EXISTS events_user_id_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS profiles_traits_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS profiles_phone_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS profiles_email_idx`);
  }
}
