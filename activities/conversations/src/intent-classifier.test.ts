import { describe, expect, it } from 'vitest';
import { CLASSIFIER_LOCALES, DEFAULT_INTENT_EXAMPLES, IntentClassifier, isQuestion, trainedClassifier, type ClassifierLocale } from './intent-classifier';

/** Share of a locale's held-out examples (never trained on) routed to their labelled intent. */
async function heldOutAccuracy(classifier: IntentClassifier, locale: ClassifierLocale): Promise<{ right: number; total: number; misses: string[] }> {
  let right = 0;
  let total = 0;
  const misses: string[] = [];
  for (const [intent, { heldOut }] of Object.entries(DEFAULT_INTENT_EXAMPLES[locale])) {
    for (const text of heldOut) {
      total += 1;
      const guess = await classifier.classify(text, locale);
      if (guess.intent === intent) right += 1;
      else misses.push(`${text} → ${guess.intent} (expected ${intent})`);
    }
  }
  return { right, total, misses };
}

describe('the trained intent classifier (NLP.js)', () => {
  it('keeps held-out examples out of training', () => {
    for (const locale of CLASSIFIER_LOCALES) {
      const trained = new Set(Object.values(DEFAULT_INTENT_EXAMPLES[locale]).flatMap(({ train }) => train.map((text) => text.toLowerCase())));
      const heldOut = Object.values(DEFAULT_INTENT_EXAMPLES[locale]).flatMap(({ heldOut }) => heldOut);
      expect(heldOut.length).toBeGreaterThanOrEqual(40);
      expect(heldOut.filter((text) => trained.has(text.toLowerCase()))).toEqual([]);
    }
  });

  it.each(CLASSIFIER_LOCALES)('routes at least 85 %% of the held-out %s messages to the right intent', async (locale) => {
    const { right, total, misses } = await heldOutAccuracy(await trainedClassifier(), locale);
    const accuracy = right / total;
    console.log(`[intent accuracy] ${locale}: ${right}/${total} = ${(accuracy * 100).toFixed(1)} %${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it('is deterministic: a second training classifies every held-out message the same', async () => {
    const first = await trainedClassifier();
    const second = await IntentClassifier.train(DEFAULT_INTENT_EXAMPLES, { en: [], 'pt-BR': [], es: [] });
    for (const locale of CLASSIFIER_LOCALES) {
      for (const { heldOut } of Object.values(DEFAULT_INTENT_EXAMPLES[locale])) {
        for (const text of heldOut) expect(await second.classify(text, locale)).toEqual(await first.classify(text, locale));
      }
    }
  });

  it.each([
    ['I want to return my order #4417', 'en', 'returns'],
    ['Can I get a refund?', 'en', 'returns'],
    ['The shoes are too small', 'en', 'returns'],
    ['Can I talk to a person please?', 'en', 'human'],
    ['I want a refund, let me speak to a human', 'en', 'human'],
    ['How much is the premium plan?', 'en', 'sales'],
    ['Do you have a discount code?', 'en', 'sales'],
    ['My password is not working', 'en', 'support'],
    ['Where is my order?', 'en', 'support'],
    ['hello!', 'en', 'greeting'],
    ['Thanks!', 'en', 'thanks'],
    ['Thanks, but I still need my refund', 'en', 'returns'],
    ['blorp', 'en', 'unknown'],
    ['', 'en', 'unknown'],
    ['Quero devolver o pedido 4417', 'pt-BR', 'returns'],
    ['Quero falar com um atendente', 'pt-BR', 'human'],
    ['Qual o preço do plano?', 'pt', 'sales'],
    ['obrigada', 'pt-BR', 'thanks'],
    ['Necesito una devolución', 'es', 'returns'],
    ['quiero hablar con una persona', 'es', 'human'],
    // Every locale's model is tried: a Brazilian customer writing English is understood.
    ['I want to return my order', 'pt-BR', 'returns'],
  ])('%s (%s) → %s, as the word rules it replaces did', async (text, locale, intent) => {
    expect((await (await trainedClassifier()).classify(text, locale)).intent).toBe(intent);
  });


  it('trains once per process', async () => {
    expect(await trainedClassifier()).toBe(await trainedClassifier());
  });

  it('understands a customer who writes in another language than their profile says, and leaves gibberish unknown', async () => {
    const classifier = await trainedClassifier();
    expect(await classifier.classify('quero falar com uma pessoa', 'en')).toMatchObject({ intent: 'human', locale: 'pt-BR' });
    expect(await classifier.classify('asdf qwer zxcv', 'en')).toMatchObject({ intent: 'unknown', confidence: 0 });
    expect(await classifier.classify('   ', 'es')).toMatchObject({ intent: 'unknown', confidence: 0 });
  });

  it.each([
    ['Any update on my return?', 'en', true],
    ['where do I drop off the parcel', 'en', true],
    ['The shoes are too small.', 'en', false],
    ['cadê meu reembolso', 'pt-BR', true],
    ['ficou pequeno', 'pt-BR', false],
    ['¿dónde dejo el paquete?', 'es', true],
    ['me quedan pequeñas', 'es', false],
  ] as const)('tells a question from a statement: %s', (text, locale, question) => {
    expect(isQuestion(text, locale)).toBe(question);
  });
});
