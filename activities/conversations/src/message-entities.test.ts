import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASSIFIER_LOCALES } from './intent-classifier';
import { utcOffsetMinutes } from '@continuum/domain';
import { extractDate } from './message-dates';
import { messageSentiment } from './message-sentiment';

// Wednesday 13 May 2026, 23:30 in São Paulo (UTC-3): already Thursday 14 May in UTC.
const LATE_WEDNESDAY = '2026-05-14T02:30:00Z';

describe('dates a customer names (chrono), on their own calendar', () => {
  it.each([
    ['en', 'I bought them last Tuesday', { date: '2026-05-12', purchase: true }],
    ['en', 'they arrived yesterday, broken', { date: '2026-05-12', purchase: false }],
    ['en', 'ordered on 2026-04-30, order #4417', { date: '2026-04-30', purchase: true }],
    ['pt-BR', 'comprei dia 3', { date: '2026-05-03', purchase: true }],
    ['pt-BR', 'comprei no dia 20', { date: '2026-04-20', purchase: true }],
    ['pt-BR', 'chegou ontem', { date: '2026-05-12', purchase: false }],
    ['es', 'los compré el 5 de mayo', { date: '2026-05-05', purchase: true }],
    ['es', 'el día 7 pedí unas zapatillas', { date: '2026-05-07', purchase: true }],
    ['es', 'llegó el martes pasado', { date: '2026-05-12', purchase: false }],
  ] as const)('%s "%s"', (locale, text, expected) => {
    expect(extractDate(text, { at: LATE_WEDNESDAY, timeZone: 'America/Sao_Paulo', locale })).toEqual(expected);
  });

  it("resolves against the message's time in the customer's zone, not the machine's", () => {
    // The same instant is still Wednesday in São Paulo and already Thursday in Madrid: "yesterday" differs.
    expect(extractDate('I bought them yesterday', { at: LATE_WEDNESDAY, timeZone: 'America/Sao_Paulo', locale: 'en' })?.date).toBe('2026-05-12');
    expect(extractDate('I bought them yesterday', { at: LATE_WEDNESDAY, timeZone: 'Europe/Madrid', locale: 'en' })?.date).toBe('2026-05-13');
    // No zone (or one Intl does not know): UTC.
    expect(extractDate('I bought them yesterday', { at: LATE_WEDNESDAY, locale: 'en' })?.date).toBe('2026-05-13');
    expect(extractDate('I bought them yesterday', { at: LATE_WEDNESDAY, timeZone: 'Mars/Olympus', locale: 'en' })?.date).toBe('2026-05-13');
    expect(utcOffsetMinutes(Date.parse(LATE_WEDNESDAY), 'America/Sao_Paulo')).toBe(-180);
  });

  it('finds no day in sizes, order numbers, times alone or a day a month lacks', () => {
    for (const text of ['size 42 please', 'order #4417', 'call me at 5pm', 'tamanho 40', 'talla M', '']) {
      expect(extractDate(text, { at: LATE_WEDNESDAY, locale: 'en' })).toBeUndefined();
    }
    // 31 April does not exist: "dia 31" in early May means no date rather than a wrong one.
    expect(extractDate('comprei dia 31', { at: '2026-05-02T12:00:00Z', locale: 'pt-BR' })).toBeUndefined();
    expect(extractDate('I bought them yesterday', { at: 'not a time', locale: 'en' })).toBeUndefined();
  });

  it('never throws, and gives a real calendar day, on any text, time and zone', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(...CLASSIFIER_LOCALES),
        fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2100-01-01') }),
        fc.constantFrom(undefined, 'UTC', 'America/Sao_Paulo', 'Europe/Madrid', 'Pacific/Kiritimati', 'nonsense/zone'),
        (text, locale, at, timeZone) => {
          const found = extractDate(text, { at, locale, ...(timeZone ? { timeZone } : {}) });
          if (found) expect(Number.isNaN(Date.parse(`${found.date}T00:00:00Z`))).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...CLASSIFIER_LOCALES), fc.array(fc.constantFrom('dia ', 'día ', '3', '31', ' de ', 'mayo', 'last ', 'tuesday', 'ontem', '2026-02-30', '/', ' '), { maxLength: 12 }), (locale, parts) => {
        const found = extractDate(parts.join(''), { at: LATE_WEDNESDAY, locale });
        if (found) expect(found.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sentiment per locale (NLP.js lexicons)', () => {
  it.each([
    ['en', 'This is terrible, the worst service ever. Awful.', 'negative', true],
    ['en', 'Thanks, great help, I love them', 'positive', false],
    ['en', 'Where is my order?', 'neutral', false],
    ['pt-BR', 'Péssimo atendimento, estou muito irritado, horrível', 'negative', true],
    ['pt-BR', 'Obrigada, adorei, ótimo', 'positive', false],
    ['pt-BR', 'Onde está meu pedido?', 'neutral', false],
    ['es', 'Pésimo servicio, es horrible, un desastre', 'negative', true],
    ['es', 'Gracias, me encanta, excelente', 'positive', false],
  ] as const)('%s "%s" is %s', async (locale, text, vote, strong) => {
    const sentiment = await messageSentiment(text, locale);
    expect(sentiment.vote).toBe(vote);
    expect(sentiment.strong === true).toBe(strong);
  });

  it('a mildly negative message is negative, not strongly so', async () => {
    const sentiment = await messageSentiment('The box was a bit damaged', 'en');
    expect(sentiment.vote).toBe('negative');
    expect(sentiment.strong).toBeUndefined();
  });

  it('never throws on any text: neutral, negative or positive with a finite score', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.constantFrom(...CLASSIFIER_LOCALES), async (text, locale) => {
        const sentiment = await messageSentiment(text, locale);
        expect(['negative', 'neutral', 'positive']).toContain(sentiment.vote);
        expect(Number.isFinite(sentiment.score)).toBe(true);
        if (sentiment.strong) expect(sentiment.vote).toBe('negative');
      }),
      { numRuns: 200 },
    );
  });
});
