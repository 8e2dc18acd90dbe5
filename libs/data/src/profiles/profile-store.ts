import { In, type DataSource, type EntityManager } from 'typeorm';
import { keysetSql, type KeysetWindow } from '../keyset';
import { ProfileEntity } from './profile.entity';

/** Columns beside the traits; absent: unchanged, `null`: removed (see customerFieldsOf). */
export interface ProfileIdentities {
  phone?: string | null;
  email?: string | null;
  whatsapp?: string | null;
  timezone?: string | null;
  locale?: string | null;
  country?: string | null;
}

const PROFILE_COLUMNS = ['phone', 'email', 'timezone', 'locale', 'country'] as const;
const PROFILE_SELECT = `workspace_id AS "workspaceId", user_id AS "userId", traits, phone, email, timezone, locale, country,
                 created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface ProfileEventRow {
  id: string;
  messageId: string;
  type: string;
  name: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown> | null;
  timestamp: Date;
  receivedAt: Date;
}

export interface ProfileEventPage {
  /** Fetch order (see KeysetWindow): newest first forward, oldest first backward. */
  events: ProfileEventRow[];
}

/**
 * Every criterion given must match (AND); `phone` is E.164 and `email`/`emailPrefix` lower-case
 * already. A prefix is matched literally: `%`, `_` and `\` in it are no wildcards.
 */
export interface ProfileSearchCriteria {
  userId?: string;
  userIdPrefix?: string;
  email?: string;
  emailPrefix?: string;
  phone?: string;
  trait?: { name: string; value: unknown };
  /** A string trait that starts with `prefix` (case-sensitive). */
  traitPrefix?: { name: string; prefix: string };
}

/** What profiles are sorted by: the userId alone, or a time with the userId breaking ties. */
export type ProfileSortField = 'userId' | 'createdAt' | 'updatedAt';

export interface ProfileSort {
  field: ProfileSortField;
  direction: 'ASC' | 'DESC';
}

/** Where a page of profiles starts or ends in its sort: the userId and, sorted by a time, that time as exact UTC text. */
export interface ProfilePosition {
  userId: string;
  at?: string;
}

export interface ProfilePage {
  /** Fetch order (see KeysetWindow): the sort's order forward, its reverse backward; each with its position for a cursor. */
  profiles: Array<ProfileEntity & { position: ProfilePosition }>;
}

/** `text` as a LIKE pattern that matches only itself, for `LIKE … ESCAPE '\'`. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const SORT_COLUMN: Record<Exclude<ProfileSortField, 'userId'>, string> = { createdAt: 'created_at', updatedAt: 'updated_at' };

/** Profiles: traits merge (a null value removes the trait), identities kept beside them. */
export class ProfileStore {
  /** An EntityManager makes the store work inside that transaction (event acceptance). */
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  /** Merges traits (a null removes one; reserved traits such as `consent` are not kept) and sets the columns given. */
  async mergeTraits(
    workspaceId: string,
    userId: string,
    traits: Record<string, unknown>,
    identities: ProfileIdentities,
  ): Promise<ProfileEntity> {
    const { consent: _consent, ...kept } = traits;
    const columns = Object.fromEntries(PROFILE_COLUMNS.filter((column) => column in identities).map((column) => [column, identities[column] ?? null]));
    const set = PROFILE_COLUMNS.map((column) => `${column} = CASE WHEN $4::jsonb ? '${column}' THEN $4::jsonb->>'${column}' ELSE p.${column} END`);
    const rows: ProfileEntity[] = await this.dataSource.query(
      `INSERT INTO profiles AS p (workspace_id, user_id, traits, ${PROFILE_COLUMNS.join(', ')})
       VALUES ($1, $2, jsonb_strip_nulls($3::jsonb), ${PROFILE_COLUMNS.map((column) => `$4::jsonb->>'${column}'`).join(', ')})
       ON CONFLICT (workspace_id, user_id) DO UPDATE SET
         traits = jsonb_strip_nulls(p.traits || $3::jsonb),
         ${set.join(', ')},
         updated_at = now()
       RETURNING ${PROFILE_SELECT}`,
      [workspaceId, userId, JSON.stringify(kept), JSON.stringify(columns)],
    );
    return rows[0]!;
  }

  async findByPhone(workspaceId: string, phone: string): Promise<ProfileEntity | null> {
    return this.dataSource.getRepository(ProfileEntity).findOne({ where: { workspaceId, phone }, order: { updatedAt: 'DESC' } });
  }

  async get(workspaceId: string, userId: string): Promise<ProfileEntity | null> {
    return this.dataSource.getRepository(ProfileEntity).findOneBy({ workspaceId, userId });
  }

  /** The profiles of `userIds` in one query, in the same order; null for any the workspace does not have. */
  async getMany(workspaceId: string, userIds: readonly string[]): Promise<Array<ProfileEntity | null>> {
    if (userIds.length === 0) return [];
    const found = await this.dataSource.getRepository(ProfileEntity).findBy({ workspaceId, userId: In([...new Set(userIds)]) });
    const byUserId = new Map(found.map((profile) => [profile.userId, profile]));
    return userIds.map((userId) => byUserId.get(userId) ?? null);
  }

  /**
   * A customer's events, newest first (by id, the order of acceptance): up to `limit + 1` rows in
   * fetch order (see KeysetWindow); a position is an event id.
   */
  async listEvents(workspaceId: string, userId: string, options: { type?: string; name?: string } & KeysetWindow<string>): Promise<ProfileEventPage> {
    const order = keysetSql('DESC', options.backward);
    // ORDER BY the bigint column: a bare `id` would sort the text alias ("10" before "9").
    const events: ProfileEventRow[] = await this.dataSource.query(
      `SELECT id::text AS id, message_id AS "messageId", type, name, properties, traits, timestamp, received_at AS "receivedAt"
       FROM events WHERE ${EVENTS_WHERE}
         AND ($5::bigint IS NULL OR id ${order.after} $5::bigint) AND ($6::bigint IS NULL OR id ${order.before} $6::bigint)
       ORDER BY events.id ${order.direction} LIMIT $7`,
      [workspaceId, userId, options.type ?? null, options.name ?? null, options.after ?? null, options.before ?? null, options.limit + 1],
    );
    return { events };
  }

  /** The customer's events {@link listEvents} pages through, on every page. */
  async countEvents(workspaceId: string, userId: string, options: { type?: string; name?: string }): Promise<number> {
    const counted: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM events WHERE ${EVENTS_WHERE}`, [
      workspaceId,
      userId,
      options.type ?? null,
      options.name ?? null,
    ]);
    return counted[0]?.count ?? 0;
  }

  /**
   * Profiles of one workspace matching every given criterion, in `sort` order (by userId ascending
   * unless told): up to `limit + 1` in fetch order (see KeysetWindow), each with its position.
   */
  async search(
    workspaceId: string,
    criteria: ProfileSearchCriteria,
    options: KeysetWindow<ProfilePosition>,
    sort: ProfileSort = { field: 'userId', direction: 'ASC' },
  ): Promise<ProfilePage> {
    const { params, conditions } = searchSql(workspaceId, criteria);
    const order = keysetSql(sort.direction, options.backward);
    const column = sort.field === 'userId' ? undefined : SORT_COLUMN[sort.field];
    const beyond = (position: ProfilePosition, op: '<' | '>') => {
      if (column === undefined) {
        conditions.push(`user_id ${op} $${params.push(position.userId)}`);
      } else {
        const at = params.push(position.at);
        params.push(position.userId);
        conditions.push(`(${column}, user_id) ${op} ($${at}::timestamptz, $${at + 1}::text)`);
      }
    };
    if (options.after !== undefined) beyond(options.after, order.after);
    if (options.before !== undefined) beyond(options.before, order.before);
    params.push(options.limit + 1);
    const time = column === undefined ? 'NULL' : `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    const orderBy = column === undefined ? `user_id ${order.direction}` : `${column} ${order.direction}, user_id ${order.direction}`;
    const rows: Array<ProfileEntity & { position_at: string | null }> = await this.dataSource.query(
      `SELECT ${PROFILE_SELECT}, ${time} AS position_at
       FROM profiles WHERE ${conditions.join(' AND ')} ORDER BY ${orderBy} LIMIT $${params.length}`,
      params,
    );
    return {
      profiles: rows.map(({ position_at, ...profile }) => ({ ...profile, position: { userId: profile.userId, ...(position_at !== null ? { at: position_at } : {}) } })),
    };
  }

  /** Events of a workspace by id (the events row's key), in no order, each with its customer; other ids are left out. */
  async eventsById(workspaceId: string, ids: readonly string[]): Promise<Array<ProfileEventRow & { userId: string }>> {
    const valid = ids.filter((id) => /^[1-9]\d{0,17}$/.test(id));
    if (valid.length === 0) return [];
    return this.dataSource.query(
      `SELECT id::text AS id, user_id AS "userId", message_id AS "messageId", type, name, properties, traits, timestamp, received_at AS "receivedAt"
       FROM events WHERE workspace_id = $1 AND id = ANY($2::bigint[])`,
      [workspaceId, valid],
    );
  }

  /** The profiles {@link search} pages through, on every page. */
  async countSearch(workspaceId: string, criteria: ProfileSearchCriteria): Promise<number> {
    const { params, conditions } = searchSql(workspaceId, criteria);
    const counted: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM profiles WHERE ${conditions.join(' AND ')}`, params);
    return counted[0]?.count ?? 0;
  }
}

const EVENTS_WHERE = `workspace_id = $1 AND user_id = $2 AND ($3::text IS NULL OR type = $3) AND ($4::text IS NULL OR name = $4)`;

function searchSql(workspaceId: string, criteria: ProfileSearchCriteria): { params: unknown[]; conditions: string[] } {
  const params: unknown[] = [workspaceId];
  const conditions = ['workspace_id = $1'];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (criteria.userId !== undefined) add((p) => `user_id = ${p}`, criteria.userId);
  // text_pattern_ops indexes serve these prefixes (migration ProfileSort).
  if (criteria.userIdPrefix !== undefined) add((p) => `user_id LIKE ${p} ESCAPE '\\'`, `${likeLiteral(criteria.userIdPrefix)}%`);
  if (criteria.email !== undefined) add((p) => `email = ${p}`, criteria.email);
  if (criteria.emailPrefix !== undefined) add((p) => `email LIKE ${p} ESCAPE '\\'`, `${likeLiteral(criteria.emailPrefix)}%`);
  if (criteria.phone !== undefined) add((p) => `phone = ${p}`, criteria.phone);
  // Containment uses the GIN (jsonb_path_ops) index on traits.
  if (criteria.trait !== undefined) add((p) => `traits @> ${p}::jsonb`, JSON.stringify({ [criteria.trait.name]: criteria.trait.value }));
  if (criteria.traitPrefix !== undefined) {
    const { name, prefix } = criteria.traitPrefix;
    const key = `$${params.push(name)}::text`;
    add((p) => `jsonb_typeof(traits -> ${key}) = 'string' AND traits ->> ${key} LIKE ${p} ESCAPE '\\'`, `${likeLiteral(prefix)}%`);
  }
  return { params, conditions };
}

