import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { MessageIntentName } from './conversation.models';
import { intentExampleFields, KNOWLEDGE_LOCALES, knowledgeEntryFields, MAX_ANSWER_CHARS, MAX_EXAMPLE_CHARS, MAX_EXAMPLES_PER_CALL, MAX_QUESTION_CHARS, MAX_QUESTIONS } from './knowledge-input';

/** The field a refusal names, or 'accepted'. */
function outcome(check: () => unknown): string {
  try {
    check();
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayException);
    expect((error as GatewayException).code).toBe(GatewayErrorCode.BadUserInput);
    expect((error as GatewayException).message.startsWith(`${(error as GatewayException).field}: `)).toBe(true);
    return (error as GatewayException).field!;
  }
}

const text = (max: number) => fc.string({ maxLength: max + 20 });
const locale = fc.oneof(fc.constantFrom(...KNOWLEDGE_LOCALES, 'pt-br', 'ES', 'pt', 'fr', 'en-US', ''), fc.string({ maxLength: 8 }));
const intent = fc.constantFrom(...Object.values(MessageIntentName));
const normalised = (value: string) => value.trim().replace(/\s+/gu, ' ');

/** What the validation must decide, written from the documented rules, field by field in order. */
function expectedEntry(input: { locale: string; questions: string[]; answer: string; intent: MessageIntentName | null }): string {
  if (!KNOWLEDGE_LOCALES.some((known) => known.toLowerCase() === input.locale.trim().toLowerCase())) return 'locale';
  if (input.questions.length === 0 || input.questions.length > MAX_QUESTIONS) return 'questions';
  const bad = input.questions.findIndex((question) => normalised(question) === '' || normalised(question).length > MAX_QUESTION_CHARS);
  if (bad >= 0) return `questions.${bad}`;
  if (normalised(input.answer) === '' || normalised(input.answer).length > MAX_ANSWER_CHARS) return 'answer';
  if (input.intent === MessageIntentName.UNKNOWN) return 'intent';
  return 'accepted';
}

describe('knowledge-base and intent-example input (property-based)', () => {
  it('accepts an entry exactly when every field is within its rules, and otherwise names the first field at fault', () => {
    fc.assert(
      fc.property(
        fc.record({
          locale,
          questions: fc.array(fc.oneof(text(MAX_QUESTION_CHARS), fc.string({ minLength: MAX_QUESTION_CHARS - 2, maxLength: MAX_QUESTION_CHARS + 2 })), { maxLength: MAX_QUESTIONS + 2 }),
          answer: fc.oneof(text(40), fc.string({ minLength: MAX_ANSWER_CHARS - 1, maxLength: MAX_ANSWER_CHARS + 1 })),
          intent: fc.option(intent, { nil: null }),
        }),
        (input) => {
          expect(outcome(() => knowledgeEntryFields(input))).toBe(expectedEntry(input));
        },
      ),
    );
  });

  it('keeps what it accepts bounded, trimmed, without repeats, in a supported locale and a learnable intent', () => {
    fc.assert(
      fc.property(
        fc.record({
          locale: fc.constantFrom(...KNOWLEDGE_LOCALES, 'PT-br', ' es '),
          questions: fc.array(fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim() !== ''), { minLength: 1, maxLength: MAX_QUESTIONS }),
          answer: fc.string({ minLength: 1, maxLength: 80 }).filter((value) => value.trim() !== ''),
          intent: fc.option(intent.filter((value) => value !== MessageIntentName.UNKNOWN), { nil: null }),
        }),
        (input) => {
          const fields = knowledgeEntryFields(input);
          expect(KNOWLEDGE_LOCALES).toContain(fields.locale);
          expect(fields.questions).toEqual([...new Set(input.questions.map(normalised))]);
          expect(fields.answer).toBe(normalised(input.answer));
          expect(fields.intent).toBe(input.intent);
        },
      ),
    );
  });

  it('refuses examples with a bad locale, UNKNOWN, no texts, too many, or a bad one (named by its index)', () => {
    fc.assert(
      fc.property(
        fc.record({ locale, intent, texts: fc.array(text(MAX_EXAMPLE_CHARS), { maxLength: MAX_EXAMPLES_PER_CALL + 2 }) }),
        (input) => {
          const field = outcome(() => intentExampleFields(input));
          const localeOk = KNOWLEDGE_LOCALES.some((known) => known.toLowerCase() === input.locale.trim().toLowerCase());
          const badText = input.texts.findIndex((value) => normalised(value) === '' || normalised(value).length > MAX_EXAMPLE_CHARS);
          const expected = !localeOk
            ? 'locale'
            : input.intent === MessageIntentName.UNKNOWN
              ? 'intent'
              : input.texts.length === 0 || input.texts.length > MAX_EXAMPLES_PER_CALL
                ? 'texts'
                : badText >= 0
                  ? `texts.${badText}`
                  : 'accepted';
          expect(field).toBe(expected);
        },
      ),
    );
  });
});
