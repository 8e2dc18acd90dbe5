import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Message templates in Liquid, per workspace, name and locale (`default` or BCP 47). Versions are
 * never changed: publishing a body adds the next version, and sends use the latest one.
 */
export class Templates1732410000000 implements MigrationInterface {
  name = 'Templates1732410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE message_templates (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
        locale text NOT NULL CHECK (locale = 'default' OR locale ~ '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$'),
        version integer NOT NULL CHECK (version > 0),
        channel text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'rcs', 'email', 'in_app')),
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        PRIMARY KEY (workspace_id, name, locale, version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE message_templates`);
  }
}
