import type { DataSource, EntityManager } from 'typeorm';
import { keysetSql, type KeysetWindow } from '../keyset';

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

/** A template's place in the list of templates, ordered by name then locale. */
export interface TemplatePosition {
  name: string;
  locale: string;
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

  /** The latest version of each (name, locale) asked for, in the same order; null for any not published. */
  async latestOf(workspaceId: string, keys: readonly TemplatePosition[]): Promise<Array<MessageTemplateVersion | null>> {
    if (keys.length === 0) return [];
    const rows: MessageTemplateVersion[] = await this.dataSource.query(
      `SELECT DISTINCT ON (name, locale) ${COLUMNS} FROM message_templates
       WHERE workspace_id = $1 AND (name, locale) IN (SELECT * FROM unnest($2::text[], $3::text[]))
       ORDER BY name, locale, version DESC`,
      [workspaceId, keys.map((key) => key.name), keys.map((key) => key.locale)],
    );
    return keys.map((key) => rows.find((row) => row.name === key.name && row.locale === key.locale) ?? null);
  }

  /** One version of (name, locale), or null. */
  async version(workspaceId: string, name: string, locale: string, version: number): Promise<MessageTemplateVersion | null> {
    const rows: MessageTemplateVersion[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM message_templates WHERE workspace_id = $1 AND name = $2 AND locale = $3 AND version = $4`,
      [workspaceId, name, locale, version],
    );
    return rows[0] ?? null;
  }

  /**
   * Up to `limit + 1` templates (the latest version of each (name, locale)) in fetch order (see
   * KeysetWindow), ordered by name then locale; of one name only when `name` is given.
   */
  async latestPage(workspaceId: string, name: string | undefined, window: KeysetWindow<TemplatePosition>): Promise<MessageTemplateVersion[]> {
    const params: unknown[] = [workspaceId, name ?? null];
    const conditions = ['workspace_id = $1', '($2::text IS NULL OR name = $2)'];
    const order = keysetSql('ASC', window.backward);
    const beyond = (position: TemplatePosition, op: '<' | '>') => {
      params.push(position.name, position.locale);
      conditions.push(`(name, locale) ${op} ($${params.length - 1}::text, $${params.length}::text)`);
    };
    if (window.after) beyond(window.after, order.after);
    if (window.before) beyond(window.before, order.before);
    params.push(window.limit + 1);
    const d = order.direction;
    // DISTINCT ON keeps the first row of each (name, locale): the highest version in either direction.
    return this.dataSource.query(
      `SELECT DISTINCT ON (name, locale) ${COLUMNS} FROM message_templates
       WHERE ${conditions.join(' AND ')}
       ORDER BY name ${d}, locale ${d}, version DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** How many (name, locale) templates there are, or of one name. */
  async countTemplates(workspaceId: string, name?: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(DISTINCT (name, locale))::int AS count FROM message_templates WHERE workspace_id = $1 AND ($2::text IS NULL OR name = $2)`,
      [workspaceId, name ?? null],
    );
    return rows[0]?.count ?? 0;
  }

  /** Up to `limit + 1` versions of (name, locale) in fetch order (see KeysetWindow), newest first; a position is a version number. */
  async versionsPage(workspaceId: string, name: string, locale: string, window: KeysetWindow<number>): Promise<MessageTemplateVersion[]> {
    const params: unknown[] = [workspaceId, name, locale];
    const conditions = ['workspace_id = $1', 'name = $2', 'locale = $3'];
    const order = keysetSql('DESC', window.backward);
    if (window.after !== undefined) conditions.push(`version ${order.after} $${params.push(window.after)}`);
    if (window.before !== undefined) conditions.push(`version ${order.before} $${params.push(window.before)}`);
    params.push(window.limit + 1);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM message_templates WHERE ${conditions.join(' AND ')} ORDER BY version ${order.direction} LIMIT $${params.length}`,
      params,
    );
  }

  /** How many versions (name, locale) has. */
  async countVersions(workspaceId: string, name: string, locale: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM message_templates WHERE workspace_id = $1 AND name = $2 AND locale = $3`,
      [workspaceId, name, locale],
    );
    return rows[0]?.count ?? 0;
  }
}
