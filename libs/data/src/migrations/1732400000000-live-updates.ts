import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live updates: every journal entry, event and message (and each change of a message's status)
 * announces itself on the `continuum_activity` channel when its transaction commits, so that every
 * gateway replica hears every change, whoever wrote it. The payload only names the row (workspace,
 * customer, instance, kind, id); listeners read the row itself. A customer id too long for
 * NOTIFY's 8000-byte limit is left out (`customer_id: null`) rather than failing the write.
 */
export class LiveUpdates1732400000000 implements MigrationInterface {
  name = 'LiveUpdates1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION continuum_notify_activity() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        kind text := TG_ARGV[0];
        customer text;
        instance text;
        payload text;
      BEGIN
        IF TG_TABLE_NAME = 'events' THEN
          customer := NEW.user_id;
        ELSE
          customer := NEW.customer_id;
          instance := NEW.instance_id;
        END IF;
        payload := json_build_object('workspace_id', NEW.workspace_id, 'customer_id', customer, 'instance_id', instance, 'kind', kind, 'id', NEW.id::text)::text;
        IF octet_length(payload) > 7900 THEN
          payload := json_build_object('workspace_id', NEW.workspace_id, 'customer_id', NULL, 'instance_id', NULL, 'kind', kind, 'id', NEW.id::text)::text;
        END IF;
        PERFORM pg_notify('continuum_activity', payload);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER journal_entries_notify_activity AFTER INSERT ON journal_entries
      FOR EACH ROW EXECUTE FUNCTION continuum_notify_activity('JOURNEY_STEP')`);
    await queryRunner.query(`
      CREATE TRIGGER events_notify_activity AFTER INSERT ON events
      FOR EACH ROW EXECUTE FUNCTION continuum_notify_activity('EVENT')`);
    await queryRunner.query(`
      CREATE TRIGGER messages_notify_activity AFTER INSERT ON messages
      FOR EACH ROW EXECUTE FUNCTION continuum_notify_activity('MESSAGE')`);
    await queryRunner.query(`
      CREATE TRIGGER messages_notify_status AFTER UPDATE OF status ON messages
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION continuum_notify_activity('MESSAGE')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER messages_notify_status ON messages`);
    await queryRunner.query(`DROP TRIGGER messages_notify_activity ON messages`);
    await queryRunner.query(`DROP TRIGGER events_notify_activity ON events`);
    await queryRunner.query(`DROP TRIGGER journal_entries_notify_activity ON journal_entries`);
    await queryRunner.query(`DROP FUNCTION continuum_notify_activity()`);
  }
}
