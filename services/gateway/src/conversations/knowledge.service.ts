import { Injectable } from '@nestjs/common';
import { KnowledgeStore, type ApiKeyPrincipal, type IntentExample as StoredExample, type KnowledgeBaseEntry as StoredEntry, type KnowledgeFilter } from '@continuum/data';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { decodePosition, encodePosition } from '../common/relay-pagination';
import { localIdOf, toGlobalId } from '../node/global-id';
import type { MessageIntentName } from './conversation.models';
import { intentExampleFields, knowledgeEntryFields, knowledgeLocale, learnableIntent, MAX_WORKSPACE_ENTRIES, MAX_WORKSPACE_EXAMPLES } from './knowledge-input';
import type { AddIntentExamplesInput, IntentExample, KnowledgeBaseEntry, SaveKnowledgeBaseEntryInput } from './knowledge.models';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toEntry(row: StoredEntry): KnowledgeBaseEntry {
  return {
    localId: row.id,
    locale: row.locale,
    questions: row.questions,
    answer: row.answer,
    intent: row.intent as MessageIntentName | null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toExample(row: StoredExample): IntentExample {
  return { localId: row.id, locale: row.locale, intent: row.intent as MessageIntentName, text: row.text, createdAt: row.createdAt };
}

/** A cursor holds the row's position in the workspace's list. */
function decodeKnowledgeCursor(cursor: string, argument: 'after' | 'before'): string {
  return decodePosition(cursor, ['position'] as const, (position) => /^[1-9][0-9]{0,18}$/.test(position.position), argument).position;
}

function edgeOf<R extends { position: string }, N>(map: (row: R) => N): (row: R) => { cursor: string; node: N } {
  return (row) => ({ cursor: encodePosition({ position: row.position }), node: map(row) });
}

/** The workspace's knowledge base and intent examples: what the classifier learns on top of the built-in ones. */
@Injectable()
export class KnowledgeService {
  constructor(private readonly knowledge: KnowledgeStore) {}

  async entries(principal: ApiKeyPrincipal, locale: string | null | undefined, page: PageArgs): Promise<ConnectionPage<KnowledgeBaseEntry>> {
    const filter: KnowledgeFilter = locale != null ? { locale: knowledgeLocale(locale, 'locale') } : {};
    const request = pageRequest(page, decodeKnowledgeCursor);
    const rows = await this.knowledge.entriesPage(principal.workspaceId, filter, request);
    return pageOf(rows, request, edgeOf(toEntry), () => this.knowledge.countEntries(principal.workspaceId, filter));
  }

  async examples(principal: ApiKeyPrincipal, locale: string | null | undefined, intent: MessageIntentName | null | undefined, page: PageArgs): Promise<ConnectionPage<IntentExample>> {
    const filter: KnowledgeFilter = {
      ...(locale != null ? { locale: knowledgeLocale(locale, 'locale') } : {}),
      ...(intent != null ? { intent: learnableIntent(intent, 'intent') } : {}),
    };
    const request = pageRequest(page, decodeKnowledgeCursor);
    const rows = await this.knowledge.examplesPage(principal.workspaceId, filter, request);
    return pageOf(rows, request, edgeOf(toExample), () => this.knowledge.countExamples(principal.workspaceId, filter));
  }

  async entriesByIds(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<KnowledgeBaseEntry | null>> {
    const rows = await this.knowledge.entriesByIds(principal.workspaceId, ids.filter((id) => UUID.test(id)));
    return ids.map((id) => {
      const row = rows.find((found) => found?.id === id);
      return row ? toEntry(row) : null;
    });
  }

  async examplesByIds(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<IntentExample | null>> {
    const rows = await this.knowledge.examplesByIds(principal.workspaceId, ids.filter((id) => UUID.test(id)));
    return ids.map((id) => {
      const row = rows.find((found) => found?.id === id);
      return row ? toExample(row) : null;
    });
  }

  /** A new entry, or (with `id`) the entry replaced; a bad field is BAD_USER_INPUT naming it, an id not in the workspace NOT_FOUND. */
  async saveEntry(principal: ApiKeyPrincipal, input: SaveKnowledgeBaseEntryInput): Promise<KnowledgeBaseEntry> {
    const id = input.id != null ? this.localId(input.id, 'KnowledgeBaseEntry') : undefined;
    const fields = knowledgeEntryFields(input);
    if (id === undefined) {
      if ((await this.knowledge.countEntries(principal.workspaceId, {})) >= MAX_WORKSPACE_ENTRIES) {
        throw new GatewayException(GatewayErrorCode.FailedPrecondition, `The workspace has ${MAX_WORKSPACE_ENTRIES.toLocaleString('en')} knowledge-base entries, the most it may have: replace or delete one first`);
      }
      return toEntry(await this.knowledge.createEntry(principal.workspaceId, fields));
    }
    const updated = id === null ? null : await this.knowledge.updateEntry(principal.workspaceId, id, fields);
    if (!updated) throw notFound('knowledge-base entry', input.id!);
    return toEntry(updated);
  }

  async deleteEntry(principal: ApiKeyPrincipal, globalId: string): Promise<string> {
    const id = this.localId(globalId, 'KnowledgeBaseEntry');
    if (id === null || !(await this.knowledge.deleteEntry(principal.workspaceId, id))) throw notFound('knowledge-base entry', globalId);
    return toGlobalId('KnowledgeBaseEntry', id);
  }

  async addExamples(principal: ApiKeyPrincipal, input: AddIntentExamplesInput): Promise<{ intentExamples: IntentExample[]; added: number }> {
    const fields = intentExampleFields(input);
    const room = MAX_WORKSPACE_EXAMPLES - (await this.knowledge.countExamples(principal.workspaceId, {}));
    if (fields.texts.length > room) {
      throw new GatewayException(
        GatewayErrorCode.FailedPrecondition,
        `texts: the workspace may have ${MAX_WORKSPACE_EXAMPLES.toLocaleString('en')} intent examples and has room for ${Math.max(room, 0).toLocaleString('en')} more: delete some first`,
        'texts',
      );
    }
    const { examples, added } = await this.knowledge.addExamples(principal.workspaceId, fields.locale, fields.intent, fields.texts);
    return { intentExamples: examples.map(toExample), added };
  }

  async deleteExample(principal: ApiKeyPrincipal, globalId: string): Promise<string> {
    const id = this.localId(globalId, 'IntentExample');
    if (id === null || !(await this.knowledge.deleteExample(principal.workspaceId, id))) throw notFound('intent example', globalId);
    return toGlobalId('IntentExample', id);
  }

  /** The uuid inside a global id of `typeName` (BAD_USER_INPUT on `id` when it is none); null for a local id no row can have. */
  private localId(globalId: string, typeName: string): string | null {
    const local = localIdOf(globalId, typeName, 'id');
    return UUID.test(local) ? local : null;
  }
}

function notFound(what: string, id: string): GatewayException {
  return new GatewayException(GatewayErrorCode.NotFound, `No ${what} ${id} in this workspace`, 'id');
}
