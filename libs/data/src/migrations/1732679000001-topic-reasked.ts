import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A topic's timeline also records re-asks: an agent asking the customer for a fact they had already given (`reason`: the fact). */
export class TopicReasked1732679000001 implements MigrationInterface {
  name = 'TopicReasked1732679000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE conversation_topic_events DROP CONSTRAINT IF EXISTS conversation_topic_events_type_check`);
    await queryRunner.query(
      `ALTER TABLE conversation_topic_events ADD CONSTRAINT conversation_topic_events_type_check
         CHECK (type IN ('opened', 'reopened', 'escalated', 'handed-back', 'resolved', 'reasked'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM conversation_topic_events WHERE type = 'reasked'`);
    await queryRunner.query(`ALTER TABLE conversation_topic_events DROP CONSTRAINT IF EXISTS conversation_topic_events_type_check`);
    await queryRunner.query(
      `ALTER TABLE conversation_topic_events ADD CONSTRAINT conversation_topic_events_type_check
         CHECK (type IN ('opened', 'reopened', 'escalated', 'handed-back', 'resolved'))`,
    );
  }
}
