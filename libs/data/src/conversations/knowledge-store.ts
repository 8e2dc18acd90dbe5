import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../affected-rows';
import { keysetSql, type KeysetWindow } from '../keyset';

/** A workspace's own question-and-answer entry in one locale. */
export interface KnowledgeBaseEntry {
  id: string;
  workspaceId: string;
  /** `en`, `pt-BR` or `es`. */
  locale: string;
  /** Ways customers ask it: what the matcher learns from. */
  questions: string[];
  answer: string;
  /** The intent its questions also teach the classifier (they reach that agent); null: none. */
  intent: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Its place in the workspace's list (oldest first): what a cursor holds. */
  position: string;
}

/** A workspace's own labelled message: the classifier learns `text` as `intent` in `locale`. */
export interface IntentExample {
  id: string;
  workspaceId: string;
  locale: string;
  intent: string;
  text: string;
  createdAt: Date;
  position: string;
}

export interface KnowledgeBaseEntryWrite {
  locale: string;
  questions: string[];
  answer: string;
  intent: string | null;
}

/** Everything a workspace adds to the built-in examples and knowledge base, at one version. */
export interface WorkspaceTrainingSet {
  version: number;
  entries: Array<Pick<KnowledgeBaseEntry, 'id' | 'locale' | 'questions' | 'answer' | 'intent'>>;
  examples: Array<Pick<IntentExample, 'locale' | 'intent' | 'text'>>;
}

export interface KnowledgeFilter {
  locale?: string;
  intent?: string;
}

const ENTRY_COLUMNS = `id, workspace_id AS "workspaceId", locale, questions, answer, intent, created_at AS "createdAt", updated_at AS "updatedAt", position::text AS position`;
const EXAMPLE_COLUMNS = `id, workspace_id AS "workspaceId", locale, intent, text, created_at AS "createdAt", position::text AS position`;

/**
 * A workspace's knowledge base and intent examples. Every change bumps the workspace's version in
 * the same transaction: the classifier's cache compares it to retrain only when something changed.
 */
export class KnowledgeStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The workspace's version: 0 when it never added anything; greater after every change. */
  async version(workspaceId: string): Promise<number> {
    const rows: Array<{ version: string }> = await this.dataSource.query(`SELECT version::text AS version FROM workspace_knowledge_versions WHERE workspace_id = $1`, [workspaceId]);
    return rows[0] ? Number(rows[0].version) : 0;
  }

  /** Everything the workspace added, read in one snapshot with its version (what a classifier is trained from). */
  async trainingSet(workspaceId: string): Promise<WorkspaceTrainingSet> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const versions: Array<{ version: string }> = await manager.query(`SELECT version::text AS version FROM workspace_knowledge_versions WHERE workspace_id = $1`, [workspaceId]);
      const entries: WorkspaceTrainingSet['entries'] = await manager.query(
        `SELECT id, locale, questions, answer, intent FROM knowledge_base_entries WHERE workspace_id = $1 ORDER BY position`,
        [workspaceId],
      );
      const examples: WorkspaceTrainingSet['examples'] = await manager.query(`SELECT locale, intent, text FROM intent_examples WHERE workspace_id = $1 ORDER BY position`, [workspaceId]);
      return { version: versions[0] ? Number(versions[0].version) : 0, entries, examples };
    });
  }

  /** A new entry. */
  async createEntry(workspaceId: string, entry: KnowledgeBaseEntryWrite): Promise<KnowledgeBaseEntry> {
    return this.changing(workspaceId, async (manager) => {
      const rows: KnowledgeBaseEntry[] = await manager.query(
        `INSERT INTO knowledge_base_entries (id, workspace_id, locale, questions, answer, intent) VALUES ($1, $2, $3, $4::text[], $5, $6) RETURNING ${ENTRY_COLUMNS}`,
        [randomUUID(), workspaceId, entry.locale, entry.questions, entry.answer, entry.intent],
      );
      return rows[0]!;
    });
  }

  /** Replaces an entry's locale, questions, answer and intent; null when the workspace has no entry `id`. */
  async updateEntry(workspaceId: string, id: string, entry: KnowledgeBaseEntryWrite): Promise<KnowledgeBaseEntry | null> {
    return this.changing(workspaceId, async (manager) => {
      const rows = returnedRows<KnowledgeBaseEntry>(
        await manager.query(
          `UPDATE knowledge_base_entries SET locale = $3, questions = $4::text[], answer = $5, intent = $6, updated_at = now()
           WHERE workspace_id = $1 AND id = $2 RETURNING ${ENTRY_COLUMNS}`,
          [workspaceId, id, entry.locale, entry.questions, entry.answer, entry.intent],
        ),
      );
      return rows[0] ?? null;
    }, (updated) => updated !== null);
  }

  /** Deletes an entry; false when the workspace has no entry `id`. */
  async deleteEntry(workspaceId: string, id: string): Promise<boolean> {
    return this.changing(workspaceId, async (manager) => {
      const rows = returnedRows(await manager.query(`DELETE FROM knowledge_base_entries WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]));
      return rows.length > 0;
    }, (deleted) => deleted);
  }

  /** The entries of these ids, in the same order; null where the workspace has none. */
  async entriesByIds(workspaceId: string, ids: readonly string[]): Promise<Array<KnowledgeBaseEntry | null>> {
    const rows: KnowledgeBaseEntry[] = ids.length === 0 ? [] : await this.dataSource.query(`SELECT ${ENTRY_COLUMNS} FROM knowledge_base_entries WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, ids]);
    return ids.map((id) => rows.find((row) => row.id === id) ?? null);
  }

  /** Up to `limit + 1` entries in fetch order (see KeysetWindow), oldest first; a position is a `position`. */
  async entriesPage(workspaceId: string, filter: KnowledgeFilter, window: KeysetWindow<string>): Promise<KnowledgeBaseEntry[]> {
    return this.page('knowledge_base_entries', ENTRY_COLUMNS, workspaceId, filter, window);
  }

  async countEntries(workspaceId: string, filter: KnowledgeFilter): Promise<number> {
    return this.count('knowledge_base_entries', workspaceId, filter);
  }

  /**
   * Adds examples of one intent in one locale; a text the workspace already has for them is not
   * added again. Answers every example of `texts`, in that order, and how many were new.
   */
  async addExamples(workspaceId: string, locale: string, intent: string, texts: readonly string[]): Promise<{ examples: IntentExample[]; added: number }> {
    return this.changing(workspaceId, async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO intent_examples (id, workspace_id, locale, intent, text)
         SELECT gen.id, $1, $2, $3, gen.text FROM unnest($4::uuid[], $5::text[]) AS gen(id, text)
         ON CONFLICT (workspace_id, locale, intent, text) DO NOTHING RETURNING id`,
        [workspaceId, locale, intent, texts.map(() => randomUUID()), texts],
      );
      const rows: IntentExample[] = await manager.query(
        `SELECT ${EXAMPLE_COLUMNS} FROM intent_examples WHERE workspace_id = $1 AND locale = $2 AND intent = $3 AND text = ANY($4::text[])`,
        [workspaceId, locale, intent, texts],
      );
      return { examples: texts.map((text) => rows.find((row) => row.text === text)!), added: inserted.length };
    }, (result) => result.added > 0);
  }

  /** Deletes an example; false when the workspace has no example `id`. */
  async deleteExample(workspaceId: string, id: string): Promise<boolean> {
    return this.changing(workspaceId, async (manager) => {
      const rows = returnedRows(await manager.query(`DELETE FROM intent_examples WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]));
      return rows.length > 0;
    }, (deleted) => deleted);
  }

  /** The examples of these ids, in the same order; null where the workspace has none. */
  async examplesByIds(workspaceId: string, ids: readonly string[]): Promise<Array<IntentExample | null>> {
    const rows: IntentExample[] = ids.length === 0 ? [] : await this.dataSource.query(`SELECT ${EXAMPLE_COLUMNS} FROM intent_examples WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, ids]);
    return ids.map((id) => rows.find((row) => row.id === id) ?? null);
  }

  /** Up to `limit + 1` examples in fetch order (see KeysetWindow), oldest first; a position is a `position`. */
  async examplesPage(workspaceId: string, filter: KnowledgeFilter, window: KeysetWindow<string>): Promise<IntentExample[]> {
    return this.page('intent_examples', EXAMPLE_COLUMNS, workspaceId, filter, window);
  }

  async countExamples(workspaceId: string, filter: KnowledgeFilter): Promise<number> {
    return this.count('intent_examples', workspaceId, filter);
  }

  /** Runs a change and, when `changed` says it changed something, bumps the workspace's version in the same transaction. */
  private changing<T>(workspaceId: string, change: (manager: EntityManager) => Promise<T>, changed: (result: T) => boolean = () => true): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const result = await change(manager);
      if (!changed(result)) return result;
      await manager.query(
        `INSERT INTO workspace_knowledge_versions (workspace_id, version) VALUES ($1, 1)
         ON CONFLICT (workspace_id) DO UPDATE SET version = workspace_knowledge_versions.version + 1, changed_at = now()`,
        [workspaceId],
      );
      return result;
    });
  }

  private where(workspaceId: string, filter: KnowledgeFilter): { conditions: string[]; params: unknown[] } {
    const params: unknown[] = [workspaceId];
    const conditions = ['workspace_id = $1'];
    if (filter.locale !== undefined) conditions.push(`locale = $${params.push(filter.locale)}`);
    if (filter.intent !== undefined) conditions.push(`intent = $${params.push(filter.intent)}`);
    return { conditions, params };
  }

  private page<R>(table: string, columns: string, workspaceId: string, filter: KnowledgeFilter, window: KeysetWindow<string>): Promise<R[]> {
    const { conditions, params } = this.where(workspaceId, filter);
    const order = keysetSql('ASC', window.backward);
    if (window.after !== undefined) conditions.push(`position ${order.after} $${params.push(window.after)}::bigint`);
    if (window.before !== undefined) conditions.push(`position ${order.before} $${params.push(window.before)}::bigint`);
    params.push(window.limit + 1);
    return this.dataSource.query(`SELECT ${columns} FROM ${table} WHERE ${conditions.join(' AND ')} ORDER BY position ${order.direction} LIMIT $${params.length}`, params);
  }

  private async count(table: string, workspaceId: string, filter: KnowledgeFilter): Promise<number> {
    const { conditions, params } = this.where(workspaceId, filter);
    const rows: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM ${table} WHERE ${conditions.join(' AND ')}`, params);
    return rows[0]?.count ?? 0;
  }
}
