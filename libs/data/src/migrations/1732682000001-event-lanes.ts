import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The routing lane an event was accepted in (docs/api/limits.md, "Fair load"): `bulk` true for an
 * import's event, false for a live customer's. A gateway that finds unrouted events in the outbox
 * (at start, on taking over another gateway's partitions, on its periodic re-read) routes each in its
 * own lane; null for events stored before lanes were kept, routed as that read's lane (bulk).
 */
export class EventLanes1732682000001 implements MigrationInterface {
  name = 'EventLanes1732682000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Nullable without a default: a catalogue change only, whatever the table holds.
    await queryRunner.query(`ALTER TABLE events ADD COLUMN bulk boolean`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events DROP COLUMN bulk`);
  }
}
