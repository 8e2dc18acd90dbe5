import { localClock } from './local-time';
import { quietHoursAt, type QuietHoursCustomer, type QuietHoursRules } from './quiet-hours';

/** Send-time optimisation: when, within a window, a customer is likeliest to engage with a message. */

const HOUR = 60 * 60 * 1000;
/** The local hour (0–23) and minute of `instant` in `timeZone`. */
export function localHourMinute(instant: number, timeZone: string): { hour: number; minute: number } {
  const [hour, minute] = localClock(instant, timeZone).split(':').map(Number);
  return { hour: hour!, minute: minute! };
}

/** Engagements counted by the local hour of day (0–23) each happened at, each in its own time zone. */
export function engagementHours(engagements: Iterable<{ at: number; timeZone: string }>): number[] {
  const counts = new Array<number>(24).fill(0);
  for (const { at, timeZone } of engagements) counts[localHourMinute(at, timeZone).hour]! += 1;
  return counts;
}

/**
 * Smoothed hourly scores: each hour keeps half its own count and takes a quarter of each neighbour's
 * (midnight wraps), so a few engagements at 18:58 and 19:03 point at the same evening.
 */
export function smoothHours(counts: readonly number[]): number[] {
  return counts.map((count, hour) => count / 2 + (counts[(hour + 23) % 24]! + counts[(hour + 1) % 24]!) / 4);
}

/** The best-scoring hour (the earliest on a tie). */
export function bestHour(scores: readonly number[]): number {
  let best = 0;
  for (let hour = 1; hour < 24; hour++) if (scores[hour]! > scores[best]!) best = hour;
  return best;
}

export interface SendInstant {
  /** Epoch ms: `now` itself or a later instant no further than `now + withinMs`. */
  at: number;
  /** The local hour `at` falls in. */
  hour: number;
  /** `clear`: the best hour was not quiet; `avoided`: a better hour fell in quiet hours; `whole-window`: the window is all quiet hours (`at` is `now`: the send holds itself). */
  quietHours: 'clear' | 'avoided' | 'whole-window';
}

/**
 * The instant to send at, within `[now, now + withinMs]`: among now, every local top of the hour in
 * the window and every end of quiet hours in it, those outside quiet hours, the one whose local hour
 * scores best (the earliest on a tie, so a flat score sends now). Hours are local to `timeZone`, so
 * a daylight-saving change moves the instant with the clock (a skipped hour never comes, a repeated
 * one comes first at its first occurrence).
 */
export function chooseSendInstant(
  now: number,
  options: { scores: readonly number[]; timeZone: string; withinMs: number; quietRules: QuietHoursRules; customer: QuietHoursCustomer | null | undefined },
): SendInstant {
  const end = now + options.withinMs;
  const { minute } = localHourMinute(now, options.timeZone);
  // Zone offsets are whole minutes: the next local top of the hour is whole minutes away.
  const firstTop = now - (now % 60_000) - minute * 60_000 + HOUR;
  const candidates = [now];
  for (let at = firstTop; at <= end; at += HOUR) candidates.push(at);
  const open: number[] = [];
  // Candidates come in order: every one before the end of the quiet hours found last is quiet too.
  let quietUntil = -Infinity;
  for (const at of candidates) {
    if (at < quietUntil) continue;
    const quiet = quietHoursAt(at, options.quietRules, options.customer);
    if (!quiet) {
      open.push(at);
      continue;
    }
    quietUntil = quiet.endsAt;
    if (quiet.endsAt <= end && quietHoursAt(quiet.endsAt, options.quietRules, options.customer) === undefined) open.push(quiet.endsAt);
  }
  const scoreOf = (at: number) => options.scores[localHourMinute(at, options.timeZone).hour]!;
  const hourOf = (at: number) => localHourMinute(at, options.timeZone).hour;
  if (open.length === 0) return { at: now, hour: hourOf(now), quietHours: 'whole-window' };
  open.sort((a, b) => a - b);
  let best = open[0]!;
  for (const at of open) if (scoreOf(at) > scoreOf(best)) best = at;
  let bestOverall = candidates[0]!;
  for (const at of candidates) if (scoreOf(at) > scoreOf(bestOverall)) bestOverall = at;
  return { at: best, hour: hourOf(best), quietHours: scoreOf(bestOverall) > scoreOf(best) ? 'avoided' : 'clear' };
}
