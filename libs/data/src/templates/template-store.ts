import type { DataSource, EntityManager } from 'typeorm';

export interface MessageTemplateVersion {
  workspaceId: string;
  name: string;
  /** `default` or a BCP 47 locale (`pt-BR`, `pt`). */
  locale: string;
  version: number;
  channel: string;
  body: string;
  createdAt: Date;
  createdBy: string;
}

export interface TemplatePublication {
  name: string;
  locale: string;
  channel: string;
  body: string;
  /** Who published it (an API key name, `system`, …). */
  createdBy: string;
}

const COLUMNS = `workspace_id AS "workspaceId", name, locale, version, channel, body, created_at AS "createdAt", created_by AS "createdBy"`;
const UNIQUE_VIOLATION = '23505';

/**
 * Message templates, versioned per (workspace, name, locale): versions are never changed, a new
 * body is the next version, and the latest version is the one sent.
 */
export class TemplateStore {
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  /**
   * Adds the next version of (name, locale), or returns the latest one unchanged when it already
   * has this body and channel (publishing twice is harmless).
   */
  async publish(workspaceId: string, publication: TemplatePublication): Promise<{ template: MessageTemplateVersion; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const [latest] = await this.history(workspaceId, publication.name, publication.locale, 1);
      if (latest && latest.body === publication.body && latest.channel === publication.channel) return { template: latest, created: false };
      try {
        const rows: MessageTemplateVersion[] = await this.dataSource.query(
          `INSERT INTO message_templates (workspace_id, name, locale, version, channel, body, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           RETURNING ${COLUMNS}`,
          [workspaceId, publication.name, publication.locale, (latest?.version ?? 0) + 1, publication.channel, publication.body, publication.createdBy],
        );
        return { template: rows[0]!, created: true };
      } catch (error) {
        // Two publishers took the same next version: read the latest again.
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 3) throw error;
      }
    }
  }

  /** The latest version for the first of `locales` (in that order) that has one. */
  async latestFor(workspaceId: string, name: string, locales: string[]): Promise<MessageTemplateVersion | null> {
    const rows: MessageTemplateVersion[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM message_templates
       WHERE workspace_id = $1 AND name = $2 AND locale = ANY($3::text[])
       ORDER BY array_position($3::text[], locale), version DESC
       LIMIT 1`,
      [workspaceId, name, locales],
    );
    return rows[0] ?? null;
  }

  /** The latest version of every (name, locale), or of one name's locales, by name then locale. */
  async latest(workspaceId: string, name?: string): Promise<MessageTemplateVersion[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (name, locale) ${COLUMNS} FROM message_templates
       WHERE workspace_id = $1 AND ($2::text IS NULL OR name = $2)
       ORDER BY name, locale, version DESC`,
      [workspaceId, name ?? null],
    );
  }

  /** The versions of (name, locale), newest first. */
  async history(workspaceId: string, name: string, locale: string, limit = 100): Promise<MessageTemplateVersion[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM message_templates
       WHERE workspace_id = $1 AND name = $2 AND locale = $3
       ORDER BY version DESC
       LIMIT $4`,
      [workspaceId, name, locale, limit],
    );
  }
}
