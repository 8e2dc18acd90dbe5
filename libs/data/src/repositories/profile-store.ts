import type { DataSource, EntityManager } from 'typeorm';
import { ProfileEntity } from '../entities';

export interface ProfileIdentities {
  phone?: string | null;
  email?: string | null;
}

/** Profiles: traits merge (a null value removes the trait), identities kept beside them. */
export class ProfileStore {
  /** An EntityManager makes the store work inside that transaction (event acceptance). */
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  async mergeTraits(
    workspaceId: string,
    userId: string,
    traits: Record<string, unknown>,
    identities: ProfileIdentities,
  ): Promise<ProfileEntity> {
    const rows: ProfileEntity[] = await this.dataSource.query(
      `INSERT INTO profiles AS p (workspace_id, user_id, traits, phone, email)
       VALUES ($1, $2, jsonb_strip_nulls($3::jsonb), $4, $5)
       ON CONFLICT (workspace_id, user_id) DO UPDATE SET
         traits = jsonb_strip_nulls(p.traits || $3::jsonb),
         phone = CASE WHEN $3::jsonb ? 'phone' THEN $4 ELSE p.phone END,
         email = CASE WHEN $3::jsonb ? 'email' THEN $5 ELSE p.email END,
         updated_at = now()
       RETURNING workspace_id AS "workspaceId", user_id AS "userId", traits, phone, email,
                 created_at AS "createdAt", updated_at AS "updatedAt"`,
      [workspaceId, userId, JSON.stringify(traits), identities.phone ?? null, identities.email ?? null],
    );
    return rows[0]!;
  }

  /** Makes sure a profile row exists (an event can arrive before identify). */
  async ensureProfile(workspaceId: string, userId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO profiles (workspace_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [workspaceId, userId],
    );
  }

  async findByPhone(workspaceId: string, phone: string): Promise<ProfileEntity | null> {
    return this.dataSource.getRepository(ProfileEntity).findOne({ where: { workspaceId, phone }, order: { updatedAt: 'DESC' } });
  }

  async get(workspaceId: string, userId: string): Promise<ProfileEntity | null> {
    return this.dataSource.getRepository(ProfileEntity).findOneBy({ workspaceId, userId });
  }
}
