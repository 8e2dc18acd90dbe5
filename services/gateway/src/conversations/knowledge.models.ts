import type { Type } from '@nestjs/common';
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { connectionTypes } from '../common/connection-types';
import { PayloadType, UserError } from '../common/user-error';
import { Node } from '../node/node.model';
import { MessageIntentName } from './conversation.models';
import { MAX_ANSWER_CHARS, MAX_EXAMPLE_CHARS, MAX_EXAMPLES_PER_CALL, MAX_QUESTION_CHARS, MAX_QUESTIONS } from './knowledge-input';

const LOCALE = 'The language: en, pt-BR or es';
const LEARNT_INTENT = 'Any MessageIntent but UNKNOWN';

@ObjectType({
  description:
    "A question customers ask and the answer the automated agents give, in one language: the workspace's own, matched on top of the built-in knowledge base",
  implements: () => [Node],
})
// `id` comes from Node, resolved by NodeResolver from the entry's uuid.
export class KnowledgeBaseEntry {
  /** The entry's uuid: the local part of its global id. */
  localId!: string;

  @Field({ description: LOCALE })
  locale!: string;

  @Field(() => [String], { description: 'Ways customers ask it, what the matcher learns from (a question is answered when it is close enough to one of them)' })
  questions!: string[];

  @Field({ description: 'What the agents answer' })
  answer!: string;

  @Field(() => MessageIntentName, { nullable: true, description: 'The intent its questions also teach the classifier, so that they reach that agent; null: none' })
  intent!: MessageIntentName | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was first saved' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When it was last saved' })
  updatedAt!: Date;
}

@ObjectType({ description: "A customer message labelled with its intent: the workspace's own, learnt on top of the built-in examples", implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the example's uuid.
export class IntentExample {
  /** The example's uuid: the local part of its global id. */
  localId!: string;

  @Field({ description: LOCALE })
  locale!: string;

  @Field(() => MessageIntentName, { description: 'What the message means' })
  intent!: MessageIntentName;

  @Field({ description: 'The message, as customers write it' })
  text!: string;

  @Field(() => GraphQLISODateTime, { description: 'When it was added' })
  createdAt!: Date;
}

const entryConnection = connectionTypes('KnowledgeBaseEntry', () => KnowledgeBaseEntry, {
  item: 'The entry',
  page: "A page of the workspace's knowledge-base entries, oldest first",
  total: 'Entries matching the filters, on every page',
});
export const KnowledgeBaseEntryConnection = entryConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const KnowledgeBaseEntryConnectionTotalCount = entryConnection.TotalCount;

const exampleConnection = connectionTypes('IntentExample', () => IntentExample, {
  item: 'The example',
  page: "A page of the workspace's intent examples, oldest first",
  total: 'Examples matching the filters, on every page',
});
export const IntentExampleConnection = exampleConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const IntentExampleConnectionTotalCount = exampleConnection.TotalCount;

@InputType({ description: 'A knowledge-base entry to add, or to replace when id is given' })
export class SaveKnowledgeBaseEntryInput {
  @Field(() => ID, { nullable: true, description: 'The entry to replace (the global id of a KnowledgeBaseEntry); null: a new entry' })
  id?: string | null;

  @Field({ description: LOCALE })
  locale!: string;

  @Field(() => [String], {
    description: `Ways customers ask it: 1–${MAX_QUESTIONS} questions of 1–${MAX_QUESTION_CHARS} characters (trimmed; repeats are dropped)`,
  })
  questions!: string[];

  @Field({ description: `What the agents answer: 1–${MAX_ANSWER_CHARS.toLocaleString('en')} characters` })
  answer!: string;

  @Field(() => MessageIntentName, { nullable: true, description: `The intent its questions also teach the classifier (${LEARNT_INTENT}); null: none` })
  intent?: MessageIntentName | null;
}

@ObjectType({ description: 'The result of saveKnowledgeBaseEntry' })
export class SaveKnowledgeBaseEntryPayload extends PayloadType(
  'knowledgeBaseEntry',
  () => KnowledgeBaseEntry,
  'The entry as saved (the agents answer from it within CONVERSATION_KNOWLEDGE_CHECK_MS); null when userErrors is not empty',
) {}

@InputType({ description: 'A knowledge-base entry to delete' })
export class DeleteKnowledgeBaseEntryInput {
  @Field(() => ID, { description: 'The global id of the KnowledgeBaseEntry' })
  id!: string;
}

@ObjectType({ description: 'The result of deleteKnowledgeBaseEntry' })
export class DeleteKnowledgeBaseEntryPayload extends PayloadType('deletedKnowledgeBaseEntryId', () => ID as unknown as Type<string>, 'The global id of the deleted entry; null when userErrors is not empty') {}

@InputType({ description: 'Messages to learn as one intent in one language' })
export class AddIntentExamplesInput {
  @Field({ description: LOCALE })
  locale!: string;

  @Field(() => MessageIntentName, { description: `What the messages mean (${LEARNT_INTENT})` })
  intent!: MessageIntentName;

  @Field(() => [String], {
    description: `The messages, as customers write them: 1–${MAX_EXAMPLES_PER_CALL} texts of 1–${MAX_EXAMPLE_CHARS} characters (trimmed; one the workspace already has is not added again)`,
  })
  texts!: string[];
}

@ObjectType({ description: 'The result of addIntentExamples' })
export class AddIntentExamplesPayload {
  @Field(() => [IntentExample], { nullable: true, description: 'The example of each text, in the order given (new or already there); null when userErrors is not empty' })
  intentExamples!: IntentExample[] | null;

  @Field(() => Int, { nullable: true, description: 'How many of them are new; null when userErrors is not empty' })
  added!: number | null;

  @Field(() => [UserError], { description: 'Why the mutation did not happen; empty when it did' })
  userErrors!: UserError[];
}

@InputType({ description: 'An intent example to delete' })
export class DeleteIntentExampleInput {
  @Field(() => ID, { description: 'The global id of the IntentExample' })
  id!: string;
}

@ObjectType({ description: 'The result of deleteIntentExample' })
export class DeleteIntentExamplePayload extends PayloadType('deletedIntentExampleId', () => ID as unknown as Type<string>, 'The global id of the deleted example; null when userErrors is not empty') {}
