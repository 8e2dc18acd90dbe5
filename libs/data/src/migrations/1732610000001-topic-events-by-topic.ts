import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A topic's events in time order: what the continuity metrics look up for each resolution (its previous one, escalations since). */
export class TopicEventsByTopic1732610000001 implements MigrationInterface {
  name = 'TopicEventsByTopic1732610000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX conversation_topic_events_topic_idx ON conversation_topic_events (topic_id, type, at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS conversation_topic_events_topic_idx`);
  }
}
