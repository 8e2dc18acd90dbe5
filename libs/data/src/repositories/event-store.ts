import type { DataSource } from 'typeorm';
import { EventEntity } from '../entities';

export interface NewEvent {
  workspaceId: string;
  messageId: string;
  userId: string;
  type: 'track' | 'identify';
  name?: string;
  properties: Record<string, unknown>;
  traits?: Record<string, unknown>;
  timestamp: Date;
  receivedAt: Date;
}

/** The event log; a repeated messageId in a workspace is stored once. */
export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns the stored row and whether this call inserted it (false: a duplicate messageId). */
  async insert(event: NewEvent): Promise<{ event: EventEntity; inserted: boolean }> {
    const repository = this.dataSource.getRepository(EventEntity);
    const inserted: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, traits, timestamp, received_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)
       ON CONFLICT (workspace_id, message_id) DO NOTHING RETURNING id`,
      [
        event.workspaceId,
        event.messageId,
        event.userId,
        event.type,
        event.name ?? null,
        JSON.stringify(event.properties),
        event.traits ? JSON.stringify(event.traits) : null,
        event.timestamp,
        event.receivedAt,
      ],
    );
    const insertedId = inserted[0]?.id;
    const stored = await repository.findOneByOrFail(
      insertedId ? { id: insertedId } : { workspaceId: event.workspaceId, messageId: event.messageId },
    );
    return { event: stored, inserted: insertedId !== undefined };
  }

  async markRouted(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE events SET routed_at = now() WHERE id = $1`, [id]);
  }

  /** Accepted events not yet routed, oldest first (swept on gateway start-up). */
  async listUnrouted(limit: number): Promise<EventEntity[]> {
    return this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.routed_at IS NULL')
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getMany();
  }
}
