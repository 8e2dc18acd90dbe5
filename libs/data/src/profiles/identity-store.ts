import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '../affected-rows';
import { keysetSql, type KeysetWindow } from '../keyset';

export type IdentityKind = 'user_id' | 'anonymous_id' | 'email' | 'phone' | 'whatsapp';

export interface Identity {
  kind: IdentityKind;
  value: string;
  source: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

export interface ProfileMerge {
  id: string;
  workspaceId: string;
  fromCustomer: string;
  intoCustomer: string;
  reason: 'identify' | 'alias';
  messageId: string | null;
  moved: Record<string, number>;
  mergedAt: Date;
}

/** Where a page of a customer's identities starts or ends. */
export interface IdentityPosition {
  kind: IdentityKind;
  value: string;
}

const MERGE_COLUMNS = `id::text AS id, workspace_id AS "workspaceId", from_customer AS "fromCustomer", into_customer AS "intoCustomer", reason,
  message_id AS "messageId", moved, merged_at AS "mergedAt"`;

/** Prefix of the customer id of someone known only by an anonymousId. */
export const ANONYMOUS_CUSTOMER_PREFIX = 'anon:';

/**
 * Who a customer is on every channel, and the merges that made two customers one. A userId or an
 * anonymousId resolves to exactly one customer; an email, phone or WhatsApp number may be shared.
 */
export class IdentityStore {
  /** An EntityManager makes the store work inside that transaction (event acceptance). */
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  /** The customer each anonymousId belongs to now (only those known). */
  async resolveAnonymous(workspaceId: string, anonymousIds: string[]): Promise<Map<string, string>> {
    if (anonymousIds.length === 0) return new Map();
    const rows: Array<{ value: string; customer_id: string }> = await this.dataSource.query(
      `SELECT value, customer_id FROM identities WHERE workspace_id = $1 AND kind = 'anonymous_id' AND value = ANY($2::text[])`,
      [workspaceId, anonymousIds],
    );
    return new Map(rows.map((row) => [row.value, row.customer_id]));
  }

  /** The customer an identity of a resolving kind (userId, anonymousId) points at. */
  async customerOf(workspaceId: string, kind: 'user_id' | 'anonymous_id', value: string): Promise<string | undefined> {
    const rows: Array<{ customer_id: string }> = await this.dataSource.query(
      `SELECT customer_id FROM identities WHERE workspace_id = $1 AND kind = $2 AND value = $3`,
      [workspaceId, kind, value],
    );
    return rows[0]?.customer_id;
  }

  /** Customers reachable at an address (phone or WhatsApp number, email), most recently seen first. */
  async customersAt(workspaceId: string, kinds: IdentityKind[], value: string): Promise<string[]> {
    const rows: Array<{ customer_id: string }> = await this.dataSource.query(
      `SELECT customer_id FROM identities WHERE workspace_id = $1 AND kind = ANY($2::text[]) AND value = $3
       GROUP BY customer_id ORDER BY max(last_seen_at) DESC`,
      [workspaceId, kinds, value],
    );
    return rows.map((row) => row.customer_id);
  }

  /**
   * The customer's address of the first of `kinds` they have (the most recently seen of that kind),
   * e.g. `['whatsapp', 'phone']` for WhatsApp; the profile's own phone and email count as identities.
   */
  async addressOf(workspaceId: string, customerId: string, kinds: Array<'phone' | 'whatsapp' | 'email'>): Promise<string | undefined> {
    const rows: Array<{ kind: string; value: string }> = await this.dataSource.query(
      `SELECT kind, value, 0 AS source, last_seen_at AS seen FROM identities WHERE workspace_id = $1 AND customer_id = $2 AND kind = ANY($3::text[])
       UNION ALL
       SELECT 'phone', phone, 1, NULL FROM profiles WHERE workspace_id = $1 AND user_id = $2 AND phone IS NOT NULL AND 'phone' = ANY($3::text[])
       UNION ALL
       SELECT 'email', email, 1, NULL FROM profiles WHERE workspace_id = $1 AND user_id = $2 AND email IS NOT NULL AND 'email' = ANY($3::text[])
       ORDER BY source, seen DESC NULLS LAST`,
      [workspaceId, customerId, kinds],
    );
    for (const kind of kinds) {
      const found = rows.find((row) => row.kind === kind);
      if (found) return found.value;
    }
    return undefined;
  }

  /**
   * Records that `customerId` is known by these identities. A userId or anonymousId that pointed at
   * another customer now points at this one (the caller merges first where it should).
   */
  async link(workspaceId: string, customerId: string, identities: Array<{ kind: IdentityKind; value: string }>, source: string, at: Date): Promise<void> {
    for (const { kind, value } of identities) {
      if (kind === 'user_id' || kind === 'anonymous_id') {
        await this.dataSource.query(
          `INSERT INTO identities (workspace_id, kind, value, customer_id, source, first_seen_at, last_seen_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6)
           ON CONFLICT (workspace_id, kind, value) WHERE kind IN ('user_id', 'anonymous_id') DO UPDATE SET
             customer_id = EXCLUDED.customer_id,
             source = CASE WHEN identities.customer_id = EXCLUDED.customer_id THEN identities.source ELSE EXCLUDED.source END,
             first_seen_at = CASE WHEN identities.customer_id = EXCLUDED.customer_id THEN identities.first_seen_at ELSE EXCLUDED.first_seen_at END,
             last_seen_at = GREATEST(identities.last_seen_at, EXCLUDED.last_seen_at)`,
          [workspaceId, kind, value, customerId, source, at],
        );
      } else {
        await this.dataSource.query(
          `INSERT INTO identities (workspace_id, kind, value, customer_id, source, first_seen_at, last_seen_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6)
           ON CONFLICT (workspace_id, kind, value, customer_id) DO UPDATE SET last_seen_at = GREATEST(identities.last_seen_at, EXCLUDED.last_seen_at)`,
          [workspaceId, kind, value, customerId, source, at],
        );
      }
    }
  }

  /** Forgets identities of a kind a customer no longer has (a trait set to null or changed). */
  async unlinkKind(workspaceId: string, customerId: string, kind: IdentityKind, keep?: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM identities WHERE workspace_id = $1 AND customer_id = $2 AND kind = $3 AND ($4::text IS NULL OR value <> $4)`,
      [workspaceId, customerId, kind, keep ?? null],
    );
  }

  /** A customer's identities by (kind, value): up to `limit + 1` in fetch order (see KeysetWindow). */
  async pageIdentities(workspaceId: string, customerId: string, window: KeysetWindow<IdentityPosition>): Promise<Identity[]> {
    const params: unknown[] = [workspaceId, customerId];
    const conditions = ['workspace_id = $1', 'customer_id = $2'];
    const order = keysetSql('ASC', window.backward);
    const beyond = (position: IdentityPosition, op: '<' | '>') => {
      params.push(position.kind, position.value);
      conditions.push(`(kind, value) ${op} ($${params.length - 1}::text, $${params.length}::text)`);
    };
    if (window.after) beyond(window.after, order.after);
    if (window.before) beyond(window.before, order.before);
    params.push(window.limit + 1);
    return this.dataSource.query(
      `SELECT kind, value, source, first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"
       FROM identities WHERE ${conditions.join(' AND ')} ORDER BY kind ${order.direction}, value ${order.direction} LIMIT $${params.length}`,
      params,
    );
  }

  /** One identity of a customer; undefined when the customer is not known by it. */
  async findIdentity(workspaceId: string, customerId: string, kind: string, value: string): Promise<Identity | undefined> {
    const rows: Identity[] = await this.dataSource.query(
      `SELECT kind, value, source, first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"
       FROM identities WHERE workspace_id = $1 AND customer_id = $2 AND kind = $3 AND value = $4`,
      [workspaceId, customerId, kind, value],
    );
    return rows[0];
  }

  /** The identities {@link pageIdentities} pages through. */
  async countIdentities(workspaceId: string, customerId: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM identities WHERE workspace_id = $1 AND customer_id = $2`, [
      workspaceId,
      customerId,
    ]);
    return rows[0]?.count ?? 0;
  }

  /**
   * Makes `from` part of `into`, inside the caller's transaction: traits (the known customer's win),
   * identities, consent (the known customer's choices win), events, journey instances, journal,
   * messages and in-app inbox follow; the `from` profile is removed and the merge recorded. Running
   * journey instances of `from` still have to be told (see `unpropagatedMerges`).
   */
  async merge(workspaceId: string, from: string, into: string, reason: 'identify' | 'alias', messageId: string | undefined): Promise<ProfileMerge | undefined> {
    if (from === into) return undefined;
    const source: Array<{ user_id: string }> = await this.dataSource.query(
      `SELECT user_id FROM profiles WHERE workspace_id = $1 AND user_id = $2 FOR UPDATE`,
      [workspaceId, from],
    );
    if (source.length === 0) return undefined;
    await this.dataSource.query(`INSERT INTO profiles (workspace_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [workspaceId, into]);
    await this.dataSource.query(
      `UPDATE profiles AS i SET
         traits = f.traits || i.traits,
         phone = COALESCE(i.phone, f.phone), email = COALESCE(i.email, f.email),
         timezone = COALESCE(i.timezone, f.timezone), locale = COALESCE(i.locale, f.locale), country = COALESCE(i.country, f.country),
         created_at = LEAST(i.created_at, f.created_at), updated_at = now()
       FROM profiles AS f
       WHERE i.workspace_id = $1 AND i.user_id = $3 AND f.workspace_id = $1 AND f.user_id = $2`,
      [workspaceId, from, into],
    );
    const count = async (sql: string, params: unknown[]): Promise<number> => affectedRows(await this.dataSource.query(sql, params));
    const args = [workspaceId, from, into];
    const moved: Record<string, number> = {
      events: await count(`UPDATE events SET user_id = $3, routing_partition = continuum_routing_partition(workspace_id, $3) WHERE workspace_id = $1 AND user_id = $2`, args),
      journeyInstances: await count(`UPDATE journey_instances SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2`, args),
      journalEntries: await count(`UPDATE journal_entries SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2`, args),
      // The inbox before the messages: the order the retention locks them in (see lockMessageReferences).
      inboxMessages: await count(`UPDATE inbox_messages SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2`, args),
      messages: await count(`UPDATE messages SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2`, args),
      identities: await count(
        `UPDATE identities AS f SET customer_id = $3 WHERE f.workspace_id = $1 AND f.customer_id = $2
           AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.workspace_id = $1 AND i.customer_id = $3 AND i.kind = f.kind AND i.value = f.value)`,
        args,
      ),
      consents: await count(
        `UPDATE consents AS f SET customer_id = $3 WHERE f.workspace_id = $1 AND f.customer_id = $2
           AND NOT EXISTS (SELECT 1 FROM consents i WHERE i.workspace_id = $1 AND i.customer_id = $3 AND i.channel = f.channel AND i.purpose = f.purpose)`,
        args,
      ),
    };
    await this.dataSource.query(`UPDATE consent_changes SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2`, args);
    await this.dataSource.query(
      `INSERT INTO journey_entries (workspace_id, journey_id, customer_id, first_entered_at)
       SELECT workspace_id, journey_id, $3, first_entered_at FROM journey_entries WHERE workspace_id = $1 AND customer_id = $2
       ON CONFLICT (workspace_id, journey_id, customer_id) DO UPDATE SET first_entered_at = LEAST(journey_entries.first_entered_at, EXCLUDED.first_entered_at)`,
      args,
    );
    for (const table of ['journey_entries', 'consents', 'identities']) {
      await this.dataSource.query(`DELETE FROM ${table} WHERE workspace_id = $1 AND customer_id = $2`, [workspaceId, from]);
    }
    await this.dataSource.query(`DELETE FROM profiles WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, from]);
    const rows: Array<{ id: string; merged_at: Date }> = await this.dataSource.query(
      `INSERT INTO profile_merges (workspace_id, from_customer, into_customer, reason, message_id, moved)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING id::text, merged_at`,
      [workspaceId, from, into, reason, messageId ?? null, JSON.stringify(moved)],
    );
    return { id: rows[0]!.id, workspaceId, fromCustomer: from, intoCustomer: into, reason, messageId: messageId ?? null, moved, mergedAt: rows[0]!.merged_at };
  }

  /** Every customer id merged into `customerId`, directly or through earlier merges. */
  async mergedInto(workspaceId: string, customerId: string): Promise<string[]> {
    const rows: Array<{ from_customer: string }> = await this.dataSource.query(
      `WITH RECURSIVE merged(customer) AS (
         SELECT from_customer FROM profile_merges WHERE workspace_id = $1 AND into_customer = $2
         UNION
         SELECT m.from_customer FROM profile_merges m JOIN merged ON m.into_customer = merged.customer WHERE m.workspace_id = $1
       ) SELECT customer AS from_customer FROM merged`,
      [workspaceId, customerId],
    );
    return rows.map((row) => row.from_customer);
  }

  /**
   * A running instance of `journeyId` that came to this customer by a merge (the merge moved its
   * journal row to them; its workflow id still names the customer it started for): with `key`, the
   * one with that instance key. Read from the journal, which the instance writes in its first task —
   * Temporal's visibility, which the router asks first, is updated asynchronously and may not list it
   * yet right after the merge.
   */
  async mergedRunningInstance(workspaceId: string, customerId: string, journeyId: string, key: string | undefined, ownWorkflowId: string): Promise<string | undefined> {
    const rows: Array<{ instance_id: string }> = await this.dataSource.query(
      `SELECT instance_id FROM journey_instances
        WHERE workspace_id = $1 AND customer_id = $2 AND journey_id = $3 AND status = 'active' AND instance_id <> $4 AND ($5::text IS NULL OR instance_key = $5)
        ORDER BY started_at DESC LIMIT 1`,
      [workspaceId, customerId, journeyId, ownWorkflowId, key ?? null],
    );
    return rows[0]?.instance_id;
  }

  /** The merge history of a customer (merges into it), oldest first: up to `limit + 1` in fetch order (see KeysetWindow); a position is a merge id. */
  async pageMerges(workspaceId: string, customerId: string, window: KeysetWindow<string>): Promise<ProfileMerge[]> {
    const order = keysetSql('ASC', window.backward);
    return this.dataSource.query(
      `SELECT ${MERGE_COLUMNS} FROM profile_merges WHERE workspace_id = $1 AND into_customer = $2
         AND ($3::bigint IS NULL OR id ${order.after} $3::bigint) AND ($4::bigint IS NULL OR id ${order.before} $4::bigint)
       ORDER BY profile_merges.id ${order.direction} LIMIT $5`,
      [workspaceId, customerId, window.after ?? null, window.before ?? null, window.limit + 1],
    );
  }

  /** The merges {@link pageMerges} pages through. */
  async countMerges(workspaceId: string, customerId: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM profile_merges WHERE workspace_id = $1 AND into_customer = $2`, [
      workspaceId,
      customerId,
    ]);
    return rows[0]?.count ?? 0;
  }

  /** Merges of a workspace by id, in no order; ids that are not merge ids of this workspace are left out. */
  async mergesById(workspaceId: string, ids: readonly string[]): Promise<ProfileMerge[]> {
    const valid = ids.filter((id) => /^[1-9]\d{0,17}$/.test(id));
    if (valid.length === 0) return [];
    return this.dataSource.query(`SELECT ${MERGE_COLUMNS} FROM profile_merges WHERE workspace_id = $1 AND id = ANY($2::bigint[])`, [workspaceId, valid]);
  }

  /** Merges whose running journey instances have not been told yet, oldest first. */
  async unpropagatedMerges(limit: number): Promise<ProfileMerge[]> {
    return this.dataSource.query(
      `SELECT id::text, workspace_id AS "workspaceId", from_customer AS "fromCustomer", into_customer AS "intoCustomer", reason,
              message_id AS "messageId", moved, merged_at AS "mergedAt"
       FROM profile_merges WHERE propagated_at IS NULL ORDER BY id LIMIT $1`,
      [limit],
    );
  }

  async markPropagated(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE profile_merges SET propagated_at = now() WHERE id = $1`, [id]);
  }
}
