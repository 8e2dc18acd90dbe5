import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JourneyCatalogue1732330000000 implements MigrationInterface {
  name = 'JourneyCatalogue1732330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Published by workers at start-up: what each journey is, for routing and for the API.
    await queryRunner.query(`
      CREATE TABLE journey_catalogue (
        journey_id text PRIMARY KEY,
        version integer NOT NULL,
        workflow_type text NOT NULL,
        descriptor jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text NOT NULL
      )`);
    // Per workspace: whether a journey takes new entries, and its settings overrides.
    await queryRunner.query(`
      CREATE TABLE workspace_journeys (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        journey_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('published', 'paused', 'archived')),
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, journey_id)
      )`);
    // The `once` re-entry policy is remembered here, never in workflow state.
    await queryRunner.query(`
      CREATE TABLE journey_entries (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        journey_id text NOT NULL,
        customer_id text NOT NULL,
        first_entered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, journey_id, customer_id)
      )`);
    await queryRunner.query(`CREATE INDEX journey_instances_journey_idx ON journey_instances (workspace_id, journey_id, status)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS journey_instances_journey_idx`);
    for (const table of ['journey_entries', 'workspace_journeys', 'journey_catalogue']) await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
