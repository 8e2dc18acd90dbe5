import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audiences: named definitions over traits, consent, identities and event history, and their
 * members, kept current as events arrive and by periodic refreshes (for time windows).
 */
export class Audiences1732460000000 implements MigrationInterface {
  name = 'Audiences1732460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audiences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        definition jsonb NOT NULL,
        refreshed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE audience_members (
        audience_id uuid NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        entered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (audience_id, customer_id)
      )`);
    // Event-history conditions count one customer's events of one name in a window.
    await queryRunner.query(`CREATE INDEX events_name_user_time_idx ON events (workspace_id, user_id, name, timestamp) WHERE type = 'track'`);
    // Trait conditions use profiles_traits_idx (GIN, profile search); country has its own column.
    await queryRunner.query(`CREATE INDEX profiles_country_idx ON profiles (workspace_id, country)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS profiles_country_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS events_name_user_time_idx`);
    await queryRunner.query(`DROP TABLE IF EXISTS audience_members`);
    await queryRunner.query(`DROP TABLE IF EXISTS audiences`);
  }
}
