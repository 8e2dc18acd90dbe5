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

function wallClock(instant: number, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  }).formatToParts(new Date(instant));
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
