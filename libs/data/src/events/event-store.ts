import { In, type DataSource, type EntityManager } from 'typeorm';
import { EventEntity, type EventType } from './event.entity';
import type { ConsentChange } from '@continuum/domain';
import { ConsentStore } from '../profiles/consent-store';
import { ANONYMOUS_CUSTOMER_PREFIX, IdentityStore, type IdentityKind } from '../profiles/identity-store';
import { ProfileStore, type ProfileIdentities } from '../profiles/profile-store';

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
  /** The routing lane it is accepted in: true for an import's event, false (or unset) for a live customer's. */
  bulk?: boolean;
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
  /** `identify`: the normalised identities and columns that go beside the traits on the profile. */
  identities?: ProfileIdentities;
  /** `identify`: consent choices its `consent` trait made. */
  consent?: ConsentChange[];
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
  /**
   * The customer it belongs to: its userId, or for an event with only an anonymousId, the customer
   * that anonymousId was linked to (by an earlier identify or alias), else `anon:<anonymousId>`.
   */
  customerId: string;
  /** The routing partition of that customer (see `routingPartitionOf`): the gateway holding its lease routes it. */
  routingPartition: number;
}

/** The advisory lock space (first key) of the per-customer lock taken while events are stored. */
const CUSTOMER_LOCK_SPACE = 1732660;

const RETRIED_SQLSTATES = new Set(['40P01', '40001']); // deadlock, serialization failure

/** The event log; a repeated messageId in a workspace is stored once. */
export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns the stored row and whether this call inserted it (false: a duplicate messageId). */
  async insert(event: NewEvent): Promise<{ event: EventEntity; inserted: boolean }> {
    const repository = this.dataSource.getRepository(EventEntity);
    // event_message_ids keeps messageIds unique (a partitioned table cannot: see TimePartitions1732671000001).
    const inserted: Array<{ id: string }> = await this.dataSource.query(
      `WITH claimed AS (
         INSERT INTO event_message_ids (workspace_id, message_id, received_at) VALUES ($1::uuid, $2::text, $9::timestamptz)
         ON CONFLICT (workspace_id, message_id) DO NOTHING RETURNING 1
       )
       INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, traits, timestamp, received_at, routed_at, routing_partition)
       SELECT $1::uuid, $2::text, $3::text, $4::text, $5::text, $6::jsonb, $7::jsonb, $8::timestamptz, $9::timestamptz, $10::timestamptz,
              continuum_routing_partition($1::uuid, $3::text) FROM claimed
       RETURNING id`,
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
    const identities = new IdentityStore(manager);
    const resolved = await resolveCustomers(identities, [...first.values()]);
    const unique = [...first.values()].map((event) => ({ ...event, userId: resolved.get(event)! }));
    const json = (value: Record<string, unknown> | undefined) => (value === undefined ? null : JSON.stringify(value));
    // One customer's events are stored one transaction after another, so that their ids ascend in the
    // order they were committed: whichever gateway routes the customer's partition reads them in order.
    await manager.query(
      `SELECT pg_advisory_xact_lock(${CUSTOMER_LOCK_SPACE}, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY 1) AS customers`,
      [[...new Set(unique.map((event) => `${event.workspaceId}/${event.userId}`))]],
    );
    // A messageId is claimed in event_message_ids first (a partitioned table cannot hold the unique key):
    // a concurrent batch with the same one waits here for this one to end, then finds it taken.
    const claimed: Array<{ workspace_id: string; message_id: string }> = await manager.query(
      `INSERT INTO event_message_ids (workspace_id, message_id, received_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) ON CONFLICT (workspace_id, message_id) DO NOTHING
       RETURNING workspace_id, message_id`,
      [unique.map((e) => e.workspaceId), unique.map((e) => e.messageId), unique.map((e) => e.receivedAt)],
    );
    const claimedKeys = new Set(claimed.map((row) => keyOf({ workspaceId: row.workspace_id, messageId: row.message_id })));
    const toInsert = unique.filter((event) => claimedKeys.has(keyOf(event)));
    const column = <T>(pick: (event: NewEvent) => T) => toInsert.map(pick);
    const inserted: Array<{ id: string; workspace_id: string; message_id: string; routing_partition: number }> = toInsert.length === 0 ? [] : await manager.query(
      `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, traits, timestamp, received_at,
                           anonymous_id, group_id, previous_id, context, integrations, sent_at, original_timestamp, source_id, routed_at,
                           routing_partition, bulk)
       SELECT workspace_id, message_id, user_id, type, name, properties, traits, timestamp, received_at,
              anonymous_id, group_id, previous_id, context, integrations, sent_at, original_timestamp, source_id, routed_at,
              continuum_routing_partition(workspace_id, user_id), bulk
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::timestamptz[],
                   $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::jsonb[], $14::jsonb[], $15::timestamptz[],
                   $16::timestamptz[], $17::uuid[], $18::timestamptz[], $19::boolean[])
            WITH ORDINALITY AS t(workspace_id, message_id, user_id, type, name, properties, traits, timestamp, received_at,
                                 anonymous_id, group_id, previous_id, context, integrations, sent_at, original_timestamp, source_id,
                                 routed_at, bulk, position)
       ORDER BY position
       RETURNING id, workspace_id, message_id, routing_partition`,
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
        column((e) => e.bulk ?? false),
      ],
    );
    const results = new Map<string, AcceptedEvent>();
    for (const row of inserted) {
      const event = unique.find((candidate) => keyOf(candidate) === keyOf({ workspaceId: row.workspace_id, messageId: row.message_id }))!;
      results.set(keyOf(event), {
        id: String(row.id),
        workspaceId: event.workspaceId,
        messageId: event.messageId,
        inserted: true,
        routedAt: event.routedAt ?? null,
        customerId: event.userId,
        routingPartition: row.routing_partition,
      });
    }
    const repeated = unique.filter((event) => !results.has(keyOf(event)));
    if (repeated.length > 0) {
      const existing: Array<{ id: string; workspace_id: string; message_id: string; routed_at: Date | null; user_id: string; routing_partition: number | null }> = await manager.query(
        `SELECT e.id, e.workspace_id, e.message_id, e.routed_at, e.user_id, e.routing_partition FROM events e
         JOIN unnest($1::uuid[], $2::text[]) AS r(workspace_id, message_id) USING (workspace_id, message_id)`,
        [repeated.map((e) => e.workspaceId), repeated.map((e) => e.messageId)],
      );
      for (const row of existing) {
        const key = keyOf({ workspaceId: row.workspace_id, messageId: row.message_id });
        results.set(key, {
          id: String(row.id),
          workspaceId: row.workspace_id,
          messageId: row.message_id,
          inserted: false,
          routedAt: row.routed_at,
          customerId: row.user_id,
          routingPartition: row.routing_partition ?? 0,
        });
      }
    }

    const fresh = unique.filter((event) => results.get(keyOf(event))?.inserted);
    // Profile rows in a stable order, so that concurrent batches lock them in the same order.
    const customers = [...new Set(fresh.map((event) => `${event.workspaceId}\u0000${event.userId}`))].sort();
    if (customers.length > 0) {
      const created: Array<{ workspace_id: string; user_id: string; created_at: Date }> = await manager.query(
        `INSERT INTO profiles (workspace_id, user_id) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING
         RETURNING workspace_id, user_id, created_at`,
        [customers.map((key) => key.split('\u0000')[0]), customers.map((key) => key.split('\u0000')[1])],
      );
      // A new customer is known by its userId (or anonymousId) from now on.
      for (const row of created) {
        const anonymous = row.user_id.startsWith(ANONYMOUS_CUSTOMER_PREFIX);
        await identities.link(
          row.workspace_id,
          row.user_id,
          [anonymous ? { kind: 'anonymous_id', value: row.user_id.slice(ANONYMOUS_CUSTOMER_PREFIX.length) } : { kind: 'user_id', value: row.user_id }],
          'event',
          row.created_at,
        );
      }
    }
    const profiles = new ProfileStore(manager);
    const consents = new ConsentStore(manager);
    for (const event of fresh) {
      await mergeIdentities(identities, event);
      if (event.type === 'identify' && (event.traits || event.identities)) {
        const fields = event.identities ?? {};
        await profiles.mergeTraits(event.workspaceId, event.userId, event.traits ?? {}, fields);
        await linkAddresses(identities, event.workspaceId, event.userId, fields, event.timestamp);
        if (event.consent && event.consent.length > 0) {
          await consents.apply(
            event.workspaceId,
            event.userId,
            event.consent.map((change) => ({ ...change, source: 'traits', at: event.timestamp, detail: { messageId: event.messageId } })),
          );
        }
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

  /** Tells every gateway listening on `continuum_routing` (routing work, routed events). */
  async notifyRouting(payload: string): Promise<void> {
    await this.dataSource.query(`SELECT pg_notify('continuum_routing', $1)`, [payload]);
  }

  /** Gives a partition to the unrouted events stored without one (by a gateway from before partitions). */
  async partitionUnrouted(): Promise<void> {
    await this.dataSource.query(
      `UPDATE events SET routing_partition = continuum_routing_partition(workspace_id, user_id) WHERE routed_at IS NULL AND routing_partition IS NULL`,
    );
  }

  /** Unrouted events of the routing `partitions` after `afterId`, in the order they were accepted (ids only). */
  async listUnroutedIdsInPartitions(partitions: number[], afterId: string, limit: number): Promise<string[]> {
    if (partitions.length === 0) return [];
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM events WHERE routed_at IS NULL AND routing_partition = ANY($1::smallint[]) AND id > $2 ORDER BY id LIMIT $3`,
      [partitions, afterId, limit],
    );
    return rows.map((row) => String(row.id));
  }

  /** The unrouted events of each customer stored before `beforeId`, in the order they were accepted. */
  async listUnroutedOfCustomers(customers: Array<{ workspaceId: string; userId: string; beforeId: string }>): Promise<Array<{ id: string; workspaceId: string; userId: string }>> {
    if (customers.length === 0) return [];
    const rows: Array<{ id: string; workspace_id: string; user_id: string }> = await this.dataSource.query(
      `SELECT e.id, e.workspace_id, e.user_id
       FROM events e JOIN unnest($1::uuid[], $2::text[], $3::bigint[]) AS c(workspace_id, user_id, before_id) USING (workspace_id, user_id)
       WHERE e.routed_at IS NULL AND e.id < c.before_id ORDER BY e.id`,
      [customers.map((customer) => customer.workspaceId), customers.map((customer) => customer.userId), customers.map((customer) => customer.beforeId)],
    );
    return rows.map((row) => ({ id: String(row.id), workspaceId: row.workspace_id, userId: row.user_id }));
  }

  /** Of these events, the ones routed at least `agoMs` ago, with the reason when routing them failed for good. */
  async routedOf(ids: string[], agoMs = 0): Promise<Array<{ id: string; routingError: string | null }>> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string; routing_error: string | null }> = await this.dataSource.query(
      `SELECT id, routing_error FROM events WHERE id = ANY($1::bigint[]) AND routed_at <= now() - make_interval(secs => $2 / 1000.0)`,
      [ids, agoMs],
    );
    return rows.map((row) => ({ id: String(row.id), routingError: row.routing_error }));
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

const ADDRESS_KINDS: Array<[keyof ProfileIdentities, IdentityKind]> = [
  ['phone', 'phone'],
  ['email', 'email'],
  ['whatsapp', 'whatsapp'],
];

/**
 * The customer each event belongs to, in the order given: its userId, or for an anonymous event the
 * customer its anonymousId is linked to, counting links made by earlier events of the same batch.
 */
async function resolveCustomers(identities: IdentityStore, events: NewEvent[]): Promise<Map<NewEvent, string>> {
  const linked = new Map<string, string>();
  const byWorkspace = new Map<string, string[]>();
  for (const event of events) {
    if (event.anonymousId !== undefined) byWorkspace.set(event.workspaceId, [...(byWorkspace.get(event.workspaceId) ?? []), event.anonymousId]);
  }
  for (const [workspaceId, anonymousIds] of byWorkspace) {
    for (const [anonymousId, customer] of await identities.resolveAnonymous(workspaceId, [...new Set(anonymousIds)])) {
      linked.set(`${workspaceId}\u0000${anonymousId}`, customer);
    }
  }
  const customers = new Map<NewEvent, string>();
  for (const event of events) {
    const key = event.anonymousId === undefined ? undefined : `${event.workspaceId}\u0000${event.anonymousId}`;
    const anonymous = event.userId.startsWith(ANONYMOUS_CUSTOMER_PREFIX);
    if (anonymous && key !== undefined) {
      customers.set(event, linked.get(key) ?? event.userId);
    } else {
      customers.set(event, event.userId);
      // identify/track/… with both ids, and alias from an anonymousId, link it to the known customer.
      if (key !== undefined) linked.set(key, event.userId);
      if (event.type === 'alias' && event.previousId !== undefined) linked.set(`${event.workspaceId}\u0000${event.previousId}`, event.userId);
    }
  }
  return customers;
}

/**
 * An event naming a known customer together with an anonymousId (or an alias' previousId) makes the
 * anonymous customer part of the known one: merged, with its events and journeys following.
 */
async function mergeIdentities(identities: IdentityStore, event: NewEvent): Promise<void> {
  if (event.userId.startsWith(ANONYMOUS_CUSTOMER_PREFIX)) return;
  const at = event.timestamp;
  if (event.type === 'alias' && event.previousId !== undefined) {
    const previousId = event.previousId;
    // previousId is an earlier userId when such a customer exists, else an anonymousId.
    const asUser = await identities.customerOf(event.workspaceId, 'user_id', previousId);
    const asAnonymous = asUser === undefined ? await identities.customerOf(event.workspaceId, 'anonymous_id', previousId) : undefined;
    const from = asUser ?? asAnonymous ?? `${ANONYMOUS_CUSTOMER_PREFIX}${previousId}`;
    await identities.merge(event.workspaceId, from, event.userId, 'alias', event.messageId);
    await identities.link(event.workspaceId, event.userId, asUser === undefined ? [{ kind: 'anonymous_id', value: previousId }] : [], 'alias', at);
  }
  if (event.anonymousId !== undefined) {
    const current = await identities.customerOf(event.workspaceId, 'anonymous_id', event.anonymousId);
    const anonymousCustomer = `${ANONYMOUS_CUSTOMER_PREFIX}${event.anonymousId}`;
    // Only an anonymous customer is merged; an anonymousId another known customer used is re-linked.
    if (current === undefined || current === anonymousCustomer) {
      await identities.merge(event.workspaceId, anonymousCustomer, event.userId, event.type === 'alias' ? 'alias' : 'identify', event.messageId);
    }
    if (current !== event.userId) await identities.link(event.workspaceId, event.userId, [{ kind: 'anonymous_id', value: event.anonymousId }], event.type, at);
  }
}

/** Phone, email and WhatsApp identities follow the profile's traits (null forgets one). */
async function linkAddresses(identities: IdentityStore, workspaceId: string, customerId: string, fields: ProfileIdentities, at: Date): Promise<void> {
  for (const [field, kind] of ADDRESS_KINDS) {
    if (!(field in fields)) continue;
    const value = fields[field];
    await identities.unlinkKind(workspaceId, customerId, kind, value ?? undefined);
    if (value) await identities.link(workspaceId, customerId, [{ kind, value }], 'traits', at);
  }
}
