import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customers page: profiles sorted by creation or last update (userId breaking ties), found by a
 * prefix of their userId or email (LIKE 'prefix%' needs text_pattern_ops under a non-C collation),
 * and a customer's messages and journey instances paged newest first.
 */
export class ProfileSort1732527000000 implements MigrationInterface {
  name = 'ProfileSort1732527000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX profiles_created_idx ON profiles (workspace_id, created_at, user_id)`);
    await queryRunner.query(`CREATE INDEX profiles_updated_idx ON profiles (workspace_id, updated_at, user_id)`);
    await queryRunner.query(`CREATE INDEX profiles_user_id_prefix_idx ON profiles (workspace_id, user_id text_pattern_ops)`);
    await queryRunner.query(`CREATE INDEX profiles_email_prefix_idx ON profiles (workspace_id, email text_pattern_ops) WHERE email IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX messages_customer_page_idx ON messages (workspace_id, customer_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX journey_instances_customer_page_idx ON journey_instances (workspace_id, customer_id, started_at, instance_id, run_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'journey_instances_customer_page_idx',
      'messages_customer_page_idx',
      'profiles_email_prefix_idx',
      'profiles_user_id_prefix_idx',
      'profiles_updated_idx',
      'profiles_created_idx',
    ]) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
