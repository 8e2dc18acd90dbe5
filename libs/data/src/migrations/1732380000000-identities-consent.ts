import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One customer on every channel: identities (userId, anonymousId, email, phone, WhatsApp) that
 * resolve to a customer, the history of anonymous→known merges, consent per channel and purpose
 * with its history, and the time zone, locale and country messaging rules read.
 */
export class IdentitiesConsent1732380000000 implements MigrationInterface {
  name = 'IdentitiesConsent1732380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identities (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('user_id', 'anonymous_id', 'email', 'phone', 'whatsapp')),
        value text NOT NULL,
        customer_id text NOT NULL,
        source text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, kind, value, customer_id)
      )`);
    // A userId or anonymousId names exactly one customer; an email or phone may be shared.
    await queryRunner.query(
      `CREATE UNIQUE INDEX identities_resolving_uq ON identities (workspace_id, kind, value) WHERE kind IN ('user_id', 'anonymous_id')`,
    );
    await queryRunner.query(`CREATE INDEX identities_customer_idx ON identities (workspace_id, customer_id)`);
    await queryRunner.query(`
      INSERT INTO identities (workspace_id, kind, value, customer_id, source, first_seen_at, last_seen_at)
      SELECT workspace_id, 'user_id', user_id, user_id, 'migration', created_at, updated_at FROM profiles WHERE user_id NOT LIKE 'anon:%'
      UNION ALL
      SELECT workspace_id, 'anonymous_id', substr(user_id, 6), user_id, 'migration', created_at, updated_at FROM profiles WHERE user_id LIKE 'anon:%'
      UNION ALL
      SELECT workspace_id, 'phone', phone, user_id, 'migration', created_at, updated_at FROM profiles WHERE phone IS NOT NULL
      UNION ALL
      SELECT workspace_id, 'email', email, user_id, 'migration', created_at, updated_at FROM profiles WHERE email IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE profile_merges (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        from_customer text NOT NULL,
        into_customer text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('identify', 'alias')),
        message_id text,
        moved jsonb NOT NULL DEFAULT '{}'::jsonb,
        merged_at timestamptz NOT NULL DEFAULT now(),
        propagated_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX profile_merges_into_idx ON profile_merges (workspace_id, into_customer)`);
    await queryRunner.query(`CREATE INDEX profile_merges_unpropagated_idx ON profile_merges (id) WHERE propagated_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE consents (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'rcs', 'email', 'in_app')),
        purpose text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9_-]{0,39}$'),
        status text NOT NULL CHECK (status IN ('subscribed', 'unsubscribed')),
        source text NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, customer_id, channel, purpose)
      )`);
    await queryRunner.query(`
      CREATE TABLE consent_changes (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        channel text NOT NULL,
        purpose text NOT NULL,
        status text NOT NULL CHECK (status IN ('subscribed', 'unsubscribed', 'unknown')),
        source text NOT NULL,
        detail jsonb,
        changed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX consent_changes_customer_idx ON consent_changes (workspace_id, customer_id, id)`);

    await queryRunner.query(`ALTER TABLE profiles ADD COLUMN timezone text, ADD COLUMN locale text, ADD COLUMN country text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE profiles DROP COLUMN IF EXISTS timezone, DROP COLUMN IF EXISTS locale, DROP COLUMN IF EXISTS country`);
    for (const table of ['consent_changes', 'consents', 'profile_merges', 'identities']) await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
