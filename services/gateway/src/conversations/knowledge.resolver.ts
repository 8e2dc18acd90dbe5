import type { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { RequiresScope } from '../auth/requires-scope';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { payloadOf, recoverUserErrors } from '../common/user-error';
import { NodeRegistry } from '../node/node-registry';
import { MessageIntentName } from './conversation.models';
import {
  AddIntentExamplesInput,
  AddIntentExamplesPayload,
  DeleteIntentExampleInput,
  DeleteIntentExamplePayload,
  DeleteKnowledgeBaseEntryInput,
  DeleteKnowledgeBaseEntryPayload,
  IntentExample,
  IntentExampleConnection,
  KnowledgeBaseEntry,
  KnowledgeBaseEntryConnection,
  SaveKnowledgeBaseEntryInput,
  SaveKnowledgeBaseEntryPayload,
} from './knowledge.models';
import { KnowledgeService } from './knowledge.service';

const USED_WITHIN = "the workers' agents use the change within CONVERSATION_KNOWLEDGE_CHECK_MS (5 s by default), with no restart";

/** The workspace's own knowledge base and intent examples, learnt on top of the built-in ones. */
@Resolver(() => KnowledgeBaseEntry)
export class KnowledgeResolver implements OnModuleInit {
  constructor(
    private readonly service: KnowledgeService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({ type: KnowledgeBaseEntry, localId: (entry) => entry.localId, load: (principal, ids) => this.service.entriesByIds(principal, ids) });
    this.nodes.register({ type: IntentExample, localId: (example) => example.localId, load: (principal, ids) => this.service.examplesByIds(principal, ids) });
  }

  @RequiresScope('read')
  @Query(() => KnowledgeBaseEntryConnection, { description: "The workspace's own knowledge-base entries (the built-in ones are not listed), oldest first" })
  knowledgeBaseEntries(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('locale', { type: () => String, nullable: true, description: 'Only the entries of this language (en, pt-BR or es); omitted: every language' }) locale: string | null,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<KnowledgeBaseEntry>> {
    return this.service.entries(principal, locale, page);
  }

  @RequiresScope('read')
  @Query(() => IntentExampleConnection, { description: "The workspace's own intent examples (the built-in ones are not listed), oldest first" })
  intentExamples(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('locale', { type: () => String, nullable: true, description: 'Only the examples of this language (en, pt-BR or es); omitted: every language' }) locale: string | null,
    @Args('intent', { type: () => MessageIntentName, nullable: true, description: 'Only the examples of this intent (not UNKNOWN); omitted: every intent' }) intent: MessageIntentName | null,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<IntentExample>> {
    return this.service.examples(principal, locale, intent, page);
  }

  @RequiresScope('operate')
  @Mutation(() => SaveKnowledgeBaseEntryPayload, {
    description: `Adds a knowledge-base entry, or replaces one (id): questions asked like these get its answer; ${USED_WITHIN}. User errors: INVALID naming the input field (a locale other than en, pt-BR, es; UNKNOWN as intent; an empty or too long question or answer, e.g. ["input", "questions", "2"]), NOT_FOUND on id, FAILED_PRECONDITION (no field) when a new entry would pass the 1,000 a workspace may have`,
  })
  saveKnowledgeBaseEntry(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The entry: its language, questions, answer and optional intent' }) input: SaveKnowledgeBaseEntryInput,
  ): Promise<SaveKnowledgeBaseEntryPayload> {
    return payloadOf('knowledgeBaseEntry', () => this.service.saveEntry(principal, input));
  }

  @RequiresScope('operate')
  @Mutation(() => DeleteKnowledgeBaseEntryPayload, { description: `Deletes a knowledge-base entry; ${USED_WITHIN}. User errors on id: INVALID (not an entry's id), NOT_FOUND` })
  deleteKnowledgeBaseEntry(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The entry to delete' }) input: DeleteKnowledgeBaseEntryInput,
  ): Promise<DeleteKnowledgeBaseEntryPayload> {
    return payloadOf('deletedKnowledgeBaseEntryId', () => this.service.deleteEntry(principal, input.id));
  }

  @RequiresScope('operate')
  @Mutation(() => AddIntentExamplesPayload, {
    description: `Teaches the classifier messages of one intent in one language; ${USED_WITHIN}. User errors: INVALID naming the input field (a locale other than en, pt-BR, es; UNKNOWN as intent; no texts, too many, or an empty or too long one, e.g. ["input", "texts", "0"]), FAILED_PRECONDITION on texts when they would pass the 10,000 examples a workspace may have`,
  })
  addIntentExamples(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The language, the intent and the messages' }) input: AddIntentExamplesInput,
  ): Promise<AddIntentExamplesPayload> {
    return recoverUserErrors<AddIntentExamplesPayload>(
      async () => ({ ...(await this.service.addExamples(principal, input)), userErrors: [] }),
      (userErrors) => ({ intentExamples: null, added: null, userErrors }),
    );
  }

  @RequiresScope('operate')
  @Mutation(() => DeleteIntentExamplePayload, { description: `Deletes an intent example; ${USED_WITHIN}. User errors on id: INVALID (not an example's id), NOT_FOUND` })
  deleteIntentExample(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The example to delete' }) input: DeleteIntentExampleInput,
  ): Promise<DeleteIntentExamplePayload> {
    return payloadOf('deletedIntentExampleId', () => this.service.deleteExample(principal, input.id));
  }
}
