/** Local-time arithmetic in a customer's IANA time zone, with Intl only (safe in the workflow sandbox). */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

// Formatters are costly to build and hold no state: one per zone, reused (send-time choices read hundreds of instants).
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormats = new Map<string, Intl.DateTimeFormat>();
function formatIn(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) {
    format = make();
    cache.set(timeZone, format);
  }
  return format;
}

function wallClock(instant: number, timeZone: string): WallClock {
  const format = formatIn(wallClockFormats, timeZone, () =>
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' }),
  );
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday: WEEKDAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as Weekday),
  };
}

/** Minutes `timeZone` is ahead of UTC at `instant` (0 for a zone Intl does not know, or none). */
export function utcOffsetMinutes(instant: number, timeZone: string | undefined): number {
  if (!timeZone || !isValidTimeZone(timeZone)) return 0;
  const local = wallClock(instant, timeZone);
  return Math.round((Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** The instant at which the wall clock in `timeZone` shows the given local date and time. */
export function zonedInstant(local: { year: number; month: number; day: number; hour: number; minute: number }, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  let guess = asUtc;
  for (let i = 0; i < 3; i += 1) {
    const seen = wallClock(guess, timeZone);
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    const drift = seenAsUtc - asUtc;
    if (drift === 0) break;
    guess -= drift;
  }
  return guess;
}

/**
 * The next instant after `now` when the local time in `timeZone` is `time` (HH:MM) on one of the
 * allowed weekdays. Throws naming the bad argument.
 */
export function nextLocalTime(now: number, options: { time: string; timeZone: string; weekdays?: readonly Weekday[] }): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(options.time);
  if (!match) throw new Error(`time "${options.time}" must be HH:MM (24-hour)`);
  if (!isValidTimeZone(options.timeZone)) throw new Error(`timeZone "${options.timeZone}" is not an IANA time zone`);
  const allowed = new Set((options.weekdays ?? WEEKDAYS).map((day) => WEEKDAYS.indexOf(day)));
  if (allowed.has(-1) || allowed.size === 0) throw new Error(`weekdays must be some of ${WEEKDAYS.join(', ')}`);
  const today = wallClock(now, options.timeZone);
  for (let offset = 0; offset <= 8; offset += 1) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const weekday = date.getUTCDay();
    if (!allowed.has(weekday)) continue;
    const instant = zonedInstant(
      { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: Number(match[1]), minute: Number(match[2]) },
      options.timeZone,
    );
    if (instant > now) return instant;
  }
  throw new Error('nextLocalTime: no allowed day found within 8 days');
}

/** A daily window of local time, `HH:MM`–`HH:MM`; it may wrap midnight (21:00–08:00). */
export interface LocalWindow {
  start: string;
  end: string;
}

/** `HH:MM` of `now` in `timeZone`. */
export function localClock(now: number, timeZone: string): string {
  return formatIn(clockFormats, timeZone, () => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })).format(now);
}

/**
 * Whether `now` falls inside the window in `timeZone`, and if so when it ends (the next local
 * `end`). Start inclusive, end exclusive; a window whose start equals its end is empty.
 */
export function insideLocalWindow(now: number, window: LocalWindow, timeZone: string): { inside: false } | { inside: true; endsAt: number } {
  const clock = localClock(now, timeZone);
  const wraps = window.start > window.end;
  const inside = wraps ? clock >= window.start || clock < window.end : clock >= window.start && clock < window.end;
  if (!inside) return { inside: false };
  return { inside: true, endsAt: nextLocalTime(now, { time: window.end, timeZone }) };
}

/** The time zone most of a country's customers live in, for customers without their own. */
export const REGION_TIME_ZONES: Readonly<Record<string, string>> = {
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CL: 'America/Santiago',
  CO: 'America/Bogota',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  IN: 'Asia/Kolkata',
  IT: 'Europe/Rome',
  JP: 'Asia/Tokyo',
  MX: 'America/Mexico_City',
  NL: 'Europe/Amsterdam',
  PT: 'Europe/Lisbon',
  US: 'America/New_York',
};

/**
 * `default=21:00-08:00,BR=20:00-09:00` → the default window and one per ISO country (empty text:
 * none). Throws naming the rule that is not one.
 */
export function parseQuietHours(text: string): { default?: LocalWindow; regions: Record<string, LocalWindow> } {
  const result: { default?: LocalWindow; regions: Record<string, LocalWindow> } = { regions: {} };
  for (const rule of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = /^(default|[A-Za-z]{2})\s*=\s*([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)$/.exec(rule);
    if (!match) throw new Error(`Invalid quiet hours "${rule}": expected <default or country>=HH:MM-HH:MM, e.g. "default=21:00-08:00"`);
    const window = { start: `${match[2]}:${match[3]}`, end: `${match[4]}:${match[5]}` };
    if (match[1] === 'default') result.default = window;
    else result.regions[match[1]!.toUpperCase()] = window;
  }
  return result;
}
