import { GatewayException } from '../common/gateway-exception';
import { MessageIntentName } from './conversation.models';

/** The locales the classifier and the knowledge base are trained for. */
export const KNOWLEDGE_LOCALES = ['en', 'pt-BR', 'es'] as const;
export type KnowledgeLocale = (typeof KNOWLEDGE_LOCALES)[number];

export const MAX_QUESTIONS = 20;
export const MAX_QUESTION_CHARS = 300;
export const MAX_ANSWER_CHARS = 2_000;
export const MAX_EXAMPLES_PER_CALL = 100;
export const MAX_EXAMPLE_CHARS = 300;
/** A workspace's own entries and examples at most: what a worker retrains from on every change stays bounded. */
export const MAX_WORKSPACE_ENTRIES = 1_000;
export const MAX_WORKSPACE_EXAMPLES = 10_000;

/** One of the supported locales (any letter case: `pt-br` is `pt-BR`); anything else is BAD_USER_INPUT naming `field`. */
export function knowledgeLocale(value: string, field: string): KnowledgeLocale {
  const found = KNOWLEDGE_LOCALES.find((locale) => locale.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw GatewayException.badInput(field, `must be one of ${KNOWLEDGE_LOCALES.join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`);
  return found;
}

/** An intent the classifier can learn: every MessageIntent but UNKNOWN (what is left when none fits). */
export function learnableIntent(value: MessageIntentName, field: string): Exclude<MessageIntentName, MessageIntentName.UNKNOWN> {
  if (value === MessageIntentName.UNKNOWN) throw GatewayException.badInput(field, 'UNKNOWN cannot be learnt: it is what a message is when no intent fits');
  return value;
}

/** Trimmed, with runs of white space made one space; empty or longer than `max` is BAD_USER_INPUT naming `field`. */
export function boundedText(value: string, max: number, field: string): string {
  const text = value.trim().replace(/\s+/gu, ' ');
  if (text === '') throw GatewayException.badInput(field, 'must not be empty');
  if (text.length > max) throw GatewayException.badInput(field, `must be at most ${max.toLocaleString('en')} characters, got ${text.length.toLocaleString('en')}`);
  return text;
}

/**
 * 1 to `max` texts, each bounded (see boundedText), without repeats (after trimming; the first is
 * kept). A bad text is BAD_USER_INPUT naming its index, e.g. `questions.3`.
 */
export function boundedTexts(values: readonly string[], max: number, maxChars: number, field: string): string[] {
  if (values.length === 0) throw GatewayException.badInput(field, 'must hold at least one text');
  if (values.length > max) throw GatewayException.badInput(field, `must hold at most ${max} texts, got ${values.length}`);
  const texts = values.map((value, index) => boundedText(value, maxChars, `${field}.${index}`));
  return [...new Set(texts)];
}

export interface KnowledgeEntryFields {
  locale: KnowledgeLocale;
  questions: string[];
  answer: string;
  intent: Exclude<MessageIntentName, MessageIntentName.UNKNOWN> | null;
}

/** A knowledge-base entry's input, checked field by field in the order they are declared. */
export function knowledgeEntryFields(input: { locale: string; questions: readonly string[]; answer: string; intent?: MessageIntentName | null }): KnowledgeEntryFields {
  return {
    locale: knowledgeLocale(input.locale, 'locale'),
    questions: boundedTexts(input.questions, MAX_QUESTIONS, MAX_QUESTION_CHARS, 'questions'),
    answer: boundedText(input.answer, MAX_ANSWER_CHARS, 'answer'),
    intent: input.intent == null ? null : learnableIntent(input.intent, 'intent'),
  };
}

export interface IntentExampleFields {
  locale: KnowledgeLocale;
  intent: Exclude<MessageIntentName, MessageIntentName.UNKNOWN>;
  texts: string[];
}

/** The input of addIntentExamples, checked field by field. */
export function intentExampleFields(input: { locale: string; intent: MessageIntentName; texts: readonly string[] }): IntentExampleFields {
  return {
    locale: knowledgeLocale(input.locale, 'locale'),
    intent: learnableIntent(input.intent, 'intent'),
    texts: boundedTexts(input.texts, MAX_EXAMPLES_PER_CALL, MAX_EXAMPLE_CHARS, 'texts'),
  };
}
