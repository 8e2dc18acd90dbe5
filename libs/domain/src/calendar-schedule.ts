/**
 * Recurring times as calendar rules (what Temporal Schedules take as calendar specs), read from a
 * five-field cron expression or from calendar fields, with errors that name the field.
 */

/** Inclusive range of values, every `step`. */
export interface CalendarRange {
  start: number;
  end: number;
  step: number;
}

/** A second matches when every field matches. Months are 1–12, days of the week 0–6 (Sunday 0). */
export interface CalendarRule {
  second: CalendarRange[];
  minute: CalendarRange[];
  hour: CalendarRange[];
  dayOfMonth: CalendarRange[];
  month: CalendarRange[];
  dayOfWeek: CalendarRange[];
}

/** Calendar fields, each in cron field syntax (`*`, `9`, `1-5`, `*\/15`, `MON-FRI`, `1,15`). */
export interface CalendarFields {
  second?: string | null;
  minute?: string | null;
  hour?: string | null;
  dayOfMonth?: string | null;
  month?: string | null;
  dayOfWeek?: string | null;
}

/** A schedule that is not one; `field` names where (`cron`, `calendar.hour`, …). */
export class ScheduleSpecError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleSpecError';
  }
}

type FieldName = keyof CalendarRule;

const LIMITS: Record<FieldName, { min: number; max: number; label: string; names?: readonly string[] }> = {
  second: { min: 0, max: 59, label: 'second' },
  minute: { min: 0, max: 59, label: 'minute' },
  hour: { min: 0, max: 23, label: 'hour' },
  dayOfMonth: { min: 1, max: 31, label: 'day of month' },
  month: { min: 1, max: 12, label: 'month', names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 7 is Sunday too, as in cron.
  dayOfWeek: { min: 0, max: 7, label: 'day of week', names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
};

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function value(text: string, name: FieldName, fail: (message: string) => never): number {
  const limits = LIMITS[name];
  const named = limits.names?.indexOf(text.toUpperCase()) ?? -1;
  const number = named >= 0 ? named + (name === 'month' ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : undefined;
  if (number === undefined) fail(`"${text}" is not a ${limits.label}${limits.names ? ` (${limits.min}–${limits.max} or ${limits.names[0]}–${limits.names.at(-1)})` : ''}`);
  if (number < limits.min || number > limits.max) fail(`${limits.label} ${number} is out of range ${limits.min}–${limits.max}`);
  return number;
}

/** One field in cron syntax → ranges; throws naming the part that is wrong. */
function parseField(text: string, name: FieldName, fail: (message: string) => never): CalendarRange[] {
  const limits = LIMITS[name];
  const trimmed = text.trim();
  if (trimmed === '') fail(`${limits.label} is empty`);
  const ranges: CalendarRange[] = [];
  for (const item of trimmed.split(',')) {
    const [span, stepText, extra] = item.split('/');
    if (extra !== undefined || span === undefined || span === '') fail(`"${item}" is not a ${limits.label} (use N, A-B, */S or A-B/S)`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) fail(`step "${stepText}" in "${item}" must be a whole number of at least 1`);
      step = Number(stepText);
    }
    let start: number;
    let end: number;
    if (span === '*' || span === '?') {
      if (span === '?' && name !== 'dayOfMonth' && name !== 'dayOfWeek') fail(`"?" is only for day of month or day of week`);
      start = limits.min;
      end = name === 'dayOfWeek' ? 6 : limits.max;
    } else {
      const bounds = span.split('-');
      if (bounds.length > 2) fail(`"${span}" is not a ${limits.label} range`);
      start = value(bounds[0]!, name, fail);
      end = bounds.length === 2 ? value(bounds[1]!, name, fail) : stepText !== undefined ? limits.max : start;
      if (end < start) fail(`range "${span}" goes backwards (write it as two ranges, e.g. "${bounds[0]}-${name === 'dayOfWeek' ? 'SAT' : limits.max},${limits.min}-${bounds[1]}")`);
    }
    if (name === 'dayOfWeek') {
      // Sunday is 0; 7 folds onto it.
      if (start === 7) start = end = 0;
      else if (end === 7) {
        end = 6;
        if (step === 1 || (7 - start) % step === 0) ranges.push({ start: 0, end: 0, step: 1 });
      }
    }
    ranges.push({ start, end, step });
  }
  return ranges;
}

const restricted = (text: string) => text.trim() !== '*' && text.trim() !== '?';

/** Cron's rule: when both days are restricted, either one matching is enough (two calendar rules). */
function withCronDays(rule: CalendarRule, dayOfMonthText: string, dayOfWeekText: string): CalendarRule[] {
  if (!(restricted(dayOfMonthText) && restricted(dayOfWeekText))) return [rule];
  const every = (name: FieldName) => [{ start: LIMITS[name].min, end: name === 'dayOfWeek' ? 6 : LIMITS[name].max, step: 1 }];
  return [
    { ...rule, dayOfWeek: every('dayOfWeek') },
    { ...rule, dayOfMonth: every('dayOfMonth') },
  ];
}

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week; names such as MON and
 * JAN; `@daily`, `@weekly`, …) as calendar rules at second 0. Throws a ScheduleSpecError on `cron`.
 */
export function parseCron(expression: string): CalendarRule[] {
  const fail = (message: string): never => {
    throw new ScheduleSpecError('cron', `"${expression}": ${message}`);
  };
  const text = expression.trim();
  if (/^(TZ|CRON_TZ)=/i.test(text)) fail('give the time zone in timeZone, not in the expression');
  const expanded = MACROS[text.toLowerCase()] ?? (text.startsWith('@') ? fail(`unknown macro (use ${Object.keys(MACROS).join(', ')})`) : text);
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) fail(`has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 5: minute hour day-of-month month day-of-week`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const rule: CalendarRule = {
    second: [{ start: 0, end: 0, step: 1 }],
    minute: parseField(minute, 'minute', fail),
    hour: parseField(hour, 'hour', fail),
    dayOfMonth: parseField(dayOfMonth, 'dayOfMonth', fail),
    month: parseField(month, 'month', fail),
    dayOfWeek: parseField(dayOfWeek, 'dayOfWeek', fail),
  };
  return withCronDays(rule, dayOfMonth, dayOfWeek);
}

/** Defaults of absent calendar fields (as Temporal's): second, minute and hour 0; the rest every value. */
const CALENDAR_DEFAULTS: Required<Record<FieldName, string>> = { second: '0', minute: '0', hour: '0', dayOfMonth: '*', month: '*', dayOfWeek: '*' };

/**
 * Calendar fields as one calendar rule: every field must match (so `dayOfMonth: "1-7"` with
 * `dayOfWeek: "MON"` is the first Monday of the month). Throws a ScheduleSpecError on `calendar.<field>`.
 */
export function parseCalendar(fields: CalendarFields): CalendarRule[] {
  const text = (name: FieldName) => fields[name] ?? CALENDAR_DEFAULTS[name];
  const parse = (name: FieldName) =>
    parseField(text(name), name, (message: string): never => {
      throw new ScheduleSpecError(`calendar.${name}`, `"${text(name)}": ${message}`);
    });
  const rule: CalendarRule = {
    second: parse('second'),
    minute: parse('minute'),
    hour: parse('hour'),
    dayOfMonth: parse('dayOfMonth'),
    month: parse('month'),
    dayOfWeek: parse('dayOfWeek'),
  };
  return [rule];
}
