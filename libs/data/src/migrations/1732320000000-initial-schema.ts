import type { MigrationInterface, QueryRunner } from 'typeorm';

export const DEFAULT_WORKSPACE_ID = '00000000-0000-0000-0000-000000000001';

export class InitialSchema1732320000000 implements MigrationInterface {
  name = 'InitialSchema1732320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE workspaces (
        id uuid PRIMARY KEY,
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`INSERT INTO workspaces (id, slug, name) VALUES ($1, 'default', 'Default workspace')`, [
      DEFAULT_WORKSPACE_ID,
    ]);
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        scopes text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id)`);
    await queryRunner.query(`
      CREATE TABLE profiles (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        user_id text NOT NULL,
        traits jsonb NOT NULL DEFAULT '{}'::jsonb,
        phone text,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, user_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE events (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        message_id text NOT NULL,
        user_id text NOT NULL,
        type text NOT NULL CHECK (type IN ('track', 'identify')),
        name text,
        properties jsonb NOT NULL DEFAULT '{}'::jsonb,
        traits jsonb,
        timestamp timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        routed_at timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX events_message_id_uq ON events (workspace_id, message_id)`);
    await queryRunner.query(`CREATE INDEX events_user_idx ON events (workspace_id, user_id, received_at)`);
    await queryRunner.query(`CREATE INDEX events_unrouted_idx ON events (id) WHERE routed_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE journey_instances (
        instance_id text NOT NULL,
        run_id text NOT NULL,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        journey_id text NOT NULL,
        customer_id text NOT NULL,
        instance_key text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'completed', 'exited')),
        current_step text NOT NULL,
        exit_reason text,
        started_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        ended_at timestamptz,
        PRIMARY KEY (instance_id, run_id)
      )`);
    await queryRunner.query(`CREATE INDEX journey_instances_customer_idx ON journey_instances (workspace_id, customer_id)`);
    await queryRunner.query(`
      CREATE TABLE journal_entries (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        instance_id text NOT NULL,
        run_id text NOT NULL,
        seq integer NOT NULL,
        journey_id text NOT NULL,
        customer_id text NOT NULL,
        type text NOT NULL,
        step text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX journal_entries_instance_seq_uq ON journal_entries (instance_id, run_id, seq)`);
    await queryRunner.query(`CREATE INDEX journal_entries_customer_idx ON journal_entries (workspace_id, customer_id, at)`);
    await queryRunner.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        instance_id text NOT NULL,
        run_id text NOT NULL,
        step text NOT NULL,
        channel text NOT NULL,
        to_address text NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sending', 'queued', 'sent', 'delivered', 'undelivered', 'failed')),
        provider_id text,
        error_code integer,
        error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX messages_outbox_uq ON messages (instance_id, run_id, step)`);
    await queryRunner.query(`CREATE UNIQUE INDEX messages_provider_id_uq ON messages (provider_id) WHERE provider_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX messages_customer_idx ON messages (workspace_id, customer_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['messages', 'journal_entries', 'journey_instances', 'events', 'profiles', 'api_keys', 'workspaces']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
