import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The in-app channel's inbox: one row per in-app message a customer received, with when it was
 * read and archived. `message_id` is the outbox row the send came from (unique, so a retried send
 * delivers once; erasing the message erases the inbox row). Each delivery, read and archive
 * announces itself on the `continuum_inbox` channel when its transaction commits, naming only the
 * row (workspace, customer, kind, id); a customer id too long for NOTIFY's 8000-byte limit is left
 * out (`customer_id: null`) rather than failing the write.
 */
export class InAppInbox1732440000000 implements MigrationInterface {
  name = 'InAppInbox1732440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbox_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        message_id uuid UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
        title text,
        body text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(data) = 'object'),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        read_at timestamptz,
        archived_at timestamptz
      )`);
    // A customer's inbox newest first (the cursor is (created_at, id)); unread: listing and counting.
    await queryRunner.query(`CREATE INDEX inbox_messages_customer_idx ON inbox_messages (workspace_id, customer_id, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE INDEX inbox_messages_unread_idx ON inbox_messages (workspace_id, customer_id, created_at DESC, id DESC)
      WHERE read_at IS NULL AND archived_at IS NULL`);
    await queryRunner.query(`
      CREATE FUNCTION continuum_notify_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        kinds text[] := ARRAY[]::text[];
        kind text;
        payload text;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          kinds := ARRAY['DELIVERED'];
        ELSE
          IF OLD.read_at IS NULL AND NEW.read_at IS NOT NULL THEN kinds := array_append(kinds, 'READ'); END IF;
          IF OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN kinds := array_append(kinds, 'ARCHIVED'); END IF;
        END IF;
        FOREACH kind IN ARRAY kinds LOOP
          payload := json_build_object('workspace_id', NEW.workspace_id, 'customer_id', NEW.customer_id, 'kind', kind, 'id', NEW.id::text)::text;
          IF octet_length(payload) > 7900 THEN
            payload := json_build_object('workspace_id', NEW.workspace_id, 'customer_id', NULL, 'kind', kind, 'id', NEW.id::text)::text;
          END IF;
          PERFORM pg_notify('continuum_inbox', payload);
        END LOOP;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER inbox_messages_notify_delivered AFTER INSERT ON inbox_messages
      FOR EACH ROW EXECUTE FUNCTION continuum_notify_inbox()`);
    await queryRunner.query(`
      CREATE TRIGGER inbox_messages_notify_changed AFTER UPDATE OF read_at, archived_at ON inbox_messages
      FOR EACH ROW WHEN (OLD.read_at IS DISTINCT FROM NEW.read_at OR OLD.archived_at IS DISTINCT FROM NEW.archived_at)
      EXECUTE FUNCTION continuum_notify_inbox()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS inbox_messages`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS continuum_notify_inbox()`);
  }
}
