import type { DataSource, EntityManager } from 'typeorm';
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
  /** Newest first (by id, the order of acceptance). */
  events: ProfileEventRow[];
  hasNextPage: boolean;
  totalCount: number;
}

/** Every criterion given must match (AND); `phone` is E.164 and `email` lower-case already. */
export interface ProfileSearchCriteria {
  userId?: string;
  email?: string;
  phone?: string;
  trait?: { name: string; value: unknown };
}

export interface ProfilePage {
  /** Ordered by userId. */
  profiles: ProfileEntity[];
  hasNextPage: boolean;
  totalCount: number;
}

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

  /** One page of a customer's events, newest first, after the event id `afterId` (exclusive). */
  async listEvents(
    workspaceId: string,
    userId: string,
    options: { first: number; afterId?: string; type?: string; name?: string },
  ): Promise<ProfileEventPage> {
    const filters = [workspaceId, userId, options.type ?? null, options.name ?? null] as const;
    const where = `workspace_id = $1 AND user_id = $2 AND ($3::text IS NULL OR type = $3) AND ($4::text IS NULL OR name = $4)`;
    const [rows, counted]: [ProfileEventRow[], Array<{ count: number }>] = await Promise.all([
      this.dataSource.query(
        `SELECT id::text AS id, message_id AS "messageId", type, name, properties, traits, timestamp, received_at AS "receivedAt"
         FROM events WHERE ${where} AND ($5::bigint IS NULL OR id < $5::bigint)
         ORDER BY id DESC LIMIT $6`,
        [...filters, options.afterId ?? null, options.first + 1],
      ),
      this.dataSource.query(`SELECT count(*)::int AS count FROM events WHERE ${where}`, [...filters]),
    ]);
    return { events: rows.slice(0, options.first), hasNextPage: rows.length > options.first, totalCount: counted[0]?.count ?? 0 };
  }

  /** Profiles of one workspace matching every given criterion, by userId, after `afterUserId`. */
  async search(workspaceId: string, criteria: ProfileSearchCriteria, options: { first: number; afterUserId?: string }): Promise<ProfilePage> {
    const params: unknown[] = [workspaceId];
    const conditions = ['workspace_id = $1'];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (criteria.userId !== undefined) add((p) => `user_id = ${p}`, criteria.userId);
    if (criteria.email !== undefined) add((p) => `email = ${p}`, criteria.email);
    if (criteria.phone !== undefined) add((p) => `phone = ${p}`, criteria.phone);
    // Containment uses the GIN (jsonb_path_ops) index on traits.
    if (criteria.trait !== undefined) add((p) => `traits @> ${p}::jsonb`, JSON.stringify({ [criteria.trait.name]: criteria.trait.value }));
    const where = conditions.join(' AND ');
    const countParams = [...params];
    const pageConditions = options.afterUserId === undefined ? where : `${where} AND user_id > $${params.push(options.afterUserId)}`;
    params.push(options.first + 1);
    const [rows, counted]: [ProfileEntity[], Array<{ count: number }>] = await Promise.all([
      this.dataSource.query(
        `SELECT ${PROFILE_SELECT}
         FROM profiles WHERE ${pageConditions} ORDER BY user_id LIMIT $${params.length}`,
        params,
      ),
      this.dataSource.query(`SELECT count(*)::int AS count FROM profiles WHERE ${where}`, countParams),
    ]);
    return { profiles: rows.slice(0, options.first), hasNextPage: rows.length > options.first, totalCount: counted[0]?.count ?? 0 };
  }
}
