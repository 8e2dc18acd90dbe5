import * as chrono from 'chrono-node';
import { utcOffsetMinutes } from '@continuum/domain';
import type { ClassifierLocale } from './intent-classifier';

/** Only the start of a message is read for dates: what a customer says about a purchase comes early. */
const DATE_TEXT_KEPT = 500;

/** Verbs that make a message's date the purchase date, per locale ("I bought them last Tuesday", "comprei dia 3", "los compré el 5 de mayo"). */
const PURCHASE: Record<ClassifierLocale, RegExp> = {
  en: /\b(bought|buy|purchased?|ordered|paid)\b/i,
  'pt-BR': /(?<!\p{L})(comprei|compramos|comprou|compra|pedi|pedimos|paguei)(?!\p{L})/iu,
  es: /(?<!\p{L})(compr[ée]|compramos|compr[óo]|compra|ped[ií]|pedimos|pagu[ée])(?!\p{L})/iu,
};

/** A day of the month alone, said the Brazilian and Spanish way: "dia 3", "no dia 12", "el día 5". */
const DAY_ALONE = /(?<!\p{L})d[ií]a\s+(\d{1,2})(?!\s*(?:de\s+\p{L}|\/|-|\d))(?![\p{L}\p{N}])/iu;

/** The day-of-month parser added to chrono's Portuguese and Spanish ones: the latest such day on or before the message. */
const dayAlone: chrono.Parser = {
  pattern: () => DAY_ALONE,
  extract: (context, match) => {
    const day = Number(match[1]);
    if (day < 1 || day > 31) return null;
    const reference = context.reference.getDateWithAdjustedTimezone();
    let year = reference.getFullYear();
    let month = reference.getMonth() + 1;
    // A day after today's is last month's (a customer tells when they bought, not when they will).
    if (day > reference.getDate()) {
      month -= 1;
      if (month === 0) {
        month = 12;
        year -= 1;
      }
    }
    // A day the month does not have (31 in April) is not a date.
    if (new Date(Date.UTC(year, month, 0)).getUTCDate() < day) return null;
    return { day, month, year };
  },
};

function withDayAlone(parser: chrono.Chrono): chrono.Chrono {
  const extended = parser.clone();
  extended.parsers.push(dayAlone);
  return extended;
}

const PARSERS: Record<ClassifierLocale, chrono.Chrono> = {
  en: chrono.en.casual,
  'pt-BR': withDayAlone(chrono.pt.casual),
  es: withDayAlone(chrono.es.casual),
};

export interface MessageDate {
  /** The calendar day meant, in the customer's time zone: `YYYY-MM-DD`. */
  date: string;
  /** The message says it is when they bought (a purchase verb). */
  purchase: boolean;
}

/**
 * The first calendar day a message names ("last Tuesday", "yesterday", "comprei dia 3", "el 5 de
 * mayo", "2026-04-30"), resolved against when the message was sent (`at`) on the customer's wall
 * clock (`timeZone`, IANA; UTC when unknown), never against the machine's clock or zone: the same
 * message at the same instant always gives the same day. A time alone ("at 5pm") names no day. Relative
 * days read as past ones (a customer tells when something happened). Never throws: undefined when none.
 */
export function extractDate(text: string, options: { at: string | number; timeZone?: string; locale: ClassifierLocale }): MessageDate | undefined {
  const instant = typeof options.at === 'number' ? options.at : Date.parse(options.at);
  if (!Number.isFinite(instant) || typeof text !== 'string' || text.trim() === '') return undefined;
  const read = text.slice(0, DATE_TEXT_KEPT);
  try {
    const reference = { instant: new Date(instant), timezone: utcOffsetMinutes(instant, options.timeZone) };
    for (const result of PARSERS[options.locale].parse(read, reference, { forwardDate: false })) {
      const start = result.start;
      if (!start.isCertain('day') && !start.isCertain('weekday')) continue;
      const year = start.get('year');
      const month = start.get('month');
      const day = start.get('day');
      if (year === null || month === null || day === null || year < 1900 || year > 2999) continue;
      const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      return { date, purchase: PURCHASE[options.locale].test(read) };
    }
  } catch {
    // A parser's failure on odd input means no date, never a failed message.
  }
  return undefined;
}
