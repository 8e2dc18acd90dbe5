import { In, type DataSource, type EntityManager } from 'typeorm';
import { EventEntity } from '../entities';
import type { EventType } from '../entities/event.entity';
import { ProfileStore, type ProfileIdentities } from './profile-store';

export type { EventType };

export interface NewEvent {
  workspaceId: string;
  messageId: string;
  /** The customer: Segment's userId, or `anon:<anonymousId>` when there is none. */
  userId: string;
  type: EventType;
  name?: string;
  properties: Record<string, unknown>;
  traits?: Record<string, unknown>;
  /** When it happened (corrected for client clock skew by the tracking API). */
  timestamp: Date;
  receivedAt: Date;
  anonymousId?: string;
  groupId?: string;
  previousId?: string;
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  sentAt?: Date;
  originalTimestamp?: Date;
  sourceId?: string;
  /** `identify`: the normalised phone/email that go beside the traits on the profile. */
  identities?: ProfileIdentities;
  /** Set when nothing routes this kind of event: it is stored as already routed. */
  routedAt?: Date;
}

export interface AcceptedEvent {
  id: string;
  workspaceId: string;
  messageId: string;
  /** False when the messageId had been accepted before: `id` and `routedAt` are the first copy's. */
  inserted: boolean;
  routedAt: Date | null;
}

const RETRIED_SQLSTATES = new Set(['40P01', '40001']); // deadlock, serialization failure

/** The event log; a repeated messageId in a workspace is stored once. */
export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns the stored row and whether this call inserted it (false: a duplicate messageId). */
  async insert(event: NewEvent): Promise<{ event: EventEntity; inserted: boolean }> {
    const repository = this.dataSource.getRepository(EventEntity);
    const inserted: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, traits, timestamp, received_at, routed_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10)
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
        event.routedAt ?? null,
      ],
    );
    const insertedId = inserted[0]?.id;
    const stored = await repository.findOneByOrFail(
      insertedId ? { id: insertedId } : { workspaceId: event.workspaceId, messageId: event.messageId },
    );
    return { event: stored, inserted: insertedId !== undefined };
  }

  /**
   * Stores events in one transaction, in the order given (ids ascend with it): each new event's
   * profile row exists and each new `identify` has merged its traits before this returns. A
   * messageId seen before (earlier, or twice in `events`) is not stored again. One result per
   * event, in order.
   */
  async acceptBatch(events: NewEvent[]): Promise<AcceptedEvent[]> {
    if (events.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => this.acceptInTransaction(manager, events));
      } catch (error) {
        const code = (error as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;
        if (attempt >= 3 || !code || !RETRIED_SQLSTATES.has(code)) throw error;
      }
    }
  }

  private async acceptInTransaction(manager: EntityManager, events: NewEvent[]): Promise<AcceptedEvent[]> {
    const keyOf = (event: { workspaceId: string; messageId: string }) => `${event.workspaceId}\u0000${event.messageId}`;
    const first = new Map<string, NewEvent>();
    for (const event of events) if (!first.has(keyOf(event))) first.set(keyOf(event), event);
    const unique = [...first.values()];
    const column = <T>(pick: (event: NewEvent) => T) => unique.map(pick);
    const json = (value: Record<string, unknown> | undefined) => (value === undefined ? null : JSON.stringify(value));
    const inserted: Array<{ id: string; workspace_id: string; message_id: string }> = await manager.query(
      `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, traits, timestamp, received_at,
                           anonymous_id, group_id, previous_id, context, integrations, sent_at, original_timestamp, source_id, routed_at)
       SELECT workspace_id, message_id, user_id, type, name, properties, traits, timestamp, received_at,
              anonymous_id, group_id, previous_id, context, integrations, sent_at, original_timestamp, source_id, routed_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::timestamptz[],
                   $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::jsonb[], $14::jsonb[], $15::timestamptz[],
                   $16::timestamptz[], $17::uuid[], $18::timestamptz[])
            WITH ORDINALITY AS t(workspace_id, message_id, user_id, type, name, properties, traits, timestamp, received_at,
                                 anonymous_id, group_id, previous_id, context, integrations, sent_at, original_timestamp, source_id,
                                 routed_at, position)
       ORDER BY position
       ON CONFLICT (workspace_id, message_id) DO NOTHING
       RETURNING id, workspace_id, message_id`,
      [
        column((e) => e.workspaceId),
        column((e) => e.messageId),
        column((e) => e.userId),
        column((e) => e.type),
        column((e) => e.name ?? null),
        column((e) => JSON.stringify(e.properties)),
        column((e) => json(e.traits)),
        column((e) => e.timestamp),
        column((e) => e.receivedAt),
        column((e) => e.anonymousId ?? null),
        column((e) => e.groupId ?? null),
        column((e) => e.previousId ?? null),
        column((e) => json(e.context)),
        column((e) => json(e.integrations)),
        column((e) => e.sentAt ?? null),
        column((e) => e.originalTimestamp ?? null),
        column((e) => e.sourceId ?? null),
        column((e) => e.routedAt ?? null),
      ],
    );
    const results = new Map<string, AcceptedEvent>();
    for (const row of inserted) {
      const event = first.get(keyOf({ workspaceId: row.workspace_id, messageId: row.message_id }))!;
      results.set(keyOf(event), { id: String(row.id), workspaceId: event.workspaceId, messageId: event.messageId, inserted: true, routedAt: event.routedAt ?? null });
    }
    const repeated = unique.filter((event) => !results.has(keyOf(event)));
    if (repeated.length > 0) {
      const existing: Array<{ id: string; workspace_id: string; message_id: string; routed_at: Date | null }> = await manager.query(
        `SELECT e.id, e.workspace_id, e.message_id, e.routed_at FROM events e
         JOIN unnest($1::uuid[], $2::text[]) AS r(workspace_id, message_id) USING (workspace_id, message_id)`,
        [repeated.map((e) => e.workspaceId), repeated.map((e) => e.messageId)],
      );
      for (const row of existing) {
        const key = keyOf({ workspaceId: row.workspace_id, messageId: row.message_id });
        results.set(key, { id: String(row.id), workspaceId: row.workspace_id, messageId: row.message_id, inserted: false, routedAt: row.routed_at });
      }
    }

    const fresh = unique.filter((event) => results.get(keyOf(event))?.inserted);
    // Profile rows in a stable order, so that concurrent batches lock them in the same order.
    const customers = [...new Set(fresh.map((event) => `${event.workspaceId}\u0000${event.userId}`))].sort();
    if (customers.length > 0) {
      await manager.query(
        `INSERT INTO profiles (workspace_id, user_id) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING`,
        [customers.map((key) => key.split('\u0000')[0]), customers.map((key) => key.split('\u0000')[1])],
      );
    }
    const profiles = new ProfileStore(manager);
    for (const event of fresh) {
      if (event.type === 'identify' && event.traits) {
        await profiles.mergeTraits(event.workspaceId, event.userId, event.traits, event.identities ?? {});
      }
    }
    return events.map((event) => {
      const result = results.get(keyOf(event))!;
      // A second copy inside this batch is a duplicate of the first.
      return first.get(keyOf(event)) === event ? result : { ...result, inserted: false };
    });
  }

  async markRouted(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE events SET routed_at = now() WHERE id = $1`, [id]);
  }

  async markRoutedMany(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE events SET routed_at = now() WHERE id = ANY($1::bigint[]) AND routed_at IS NULL`, [ids]);
  }

  /** Ends routing of an event no retry can deliver, keeping the reason. */
  async markUndeliverable(id: string, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE events SET routed_at = now(), routing_error = $2 WHERE id = $1`, [id, reason]);
  }

  async findByIds(ids: string[]): Promise<EventEntity[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(EventEntity).findBy({ id: In(ids) });
  }

  /** The next page of unrouted events after `afterId`, in the order they were accepted. */
  async listUnroutedAfter(afterId: string, limit: number): Promise<EventEntity[]> {
    return this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.routed_at IS NULL AND e.id > :afterId', { afterId })
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getMany();
  }
}
