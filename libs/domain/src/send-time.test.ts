import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quietHoursAt, type QuietHoursRules } from './quiet-hours';
import { bestHour, chooseSendInstant, engagementHours, localHourMinute, smoothHours } from './send-time';

const HOUR = 60 * 60 * 1000;
const noQuiet: QuietHoursRules = { quietHours: { regions: {} }, regionTimeZones: {}, workspaceTimeZone: 'UTC' };
const quiet: QuietHoursRules = { quietHours: { default: { start: '21:00', end: '08:00' }, regions: {} }, regionTimeZones: {}, workspaceTimeZone: 'UTC' };
const peakAt = (hour: number): number[] => Array.from({ length: 24 }, (_, h) => (h === hour ? 10 : 0));
const local = (at: number, timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(at);

describe('engagement hours', () => {
  it('counts each engagement at its local hour, across a daylight-saving change', () => {
    // 19:00 in Lisbon is 18:00 UTC in summer and 19:00 UTC in winter: one local hour.
    const summer = Date.parse('2026-10-20T18:05:00Z');
    const winter = Date.parse('2026-10-27T19:05:00Z');
    const counts = engagementHours([summer, winter].map((at) => ({ at, timeZone: 'Europe/Lisbon' })));
    expect(counts[19]).toBe(2);
    expect(counts.reduce((a, b) => a + b)).toBe(2);
  });

  it('smooths across neighbouring hours and midnight, keeping the mass', () => {
    const counts = new Array<number>(24).fill(0);
    counts[23] = 4;
    expect(smoothHours(counts)).toEqual(expect.arrayContaining([2, 1, 1]));
    expect(smoothHours(counts)[0]).toBe(1);
    expect(smoothHours(counts)[22]).toBe(1);
    expect(smoothHours(counts).reduce((a, b) => a + b)).toBe(4);
    // Two engagements at 18 and 19 and one at 7: the evening wins.
    counts.fill(0);
    counts[7] = 2;
    counts[18] = 2;
    counts[19] = 1;
    expect(bestHour(smoothHours(counts))).toBe(18);
  });
});

describe('chooseSendInstant', () => {
  it('waits for the best hour the same day, or the next day once it has passed', () => {
    const now = Date.parse('2026-06-10T09:20:00Z');
    const today = chooseSendInstant(now, { scores: peakAt(19), timeZone: 'Europe/Lisbon', withinMs: 24 * HOUR, quietRules: noQuiet, customer: null });
    expect(local(today.at, 'Europe/Lisbon')).toBe('10/06/2026, 19:00');
    const late = Date.parse('2026-06-10T19:30:00Z');
    const tomorrow = chooseSendInstant(late, { scores: peakAt(19), timeZone: 'Europe/Lisbon', withinMs: 24 * HOUR, quietRules: noQuiet, customer: null });
    expect(local(tomorrow.at, 'Europe/Lisbon')).toBe('11/06/2026, 19:00');
  });

  it('sends now when now is in the best hour, and takes the best hour inside a short window', () => {
    const now = Date.parse('2026-06-10T18:10:00Z'); // 19:10 in Lisbon
    expect(chooseSendInstant(now, { scores: peakAt(19), timeZone: 'Europe/Lisbon', withinMs: 24 * HOUR, quietRules: noQuiet, customer: null }).at).toBe(now);
    const scores = peakAt(19);
    scores[13] = 5;
    const morning = Date.parse('2026-06-10T10:00:00Z'); // 11:00 in Lisbon; 19:00 is out of a 4-hour window
    const chosen = chooseSendInstant(morning, { scores, timeZone: 'Europe/Lisbon', withinMs: 4 * HOUR, quietRules: noQuiet, customer: null });
    expect(local(chosen.at, 'Europe/Lisbon')).toBe('10/06/2026, 13:00');
  });

  it('never picks a local hour the spring-forward skips; a repeated hour comes at its first occurrence', () => {
    // New York, 8 March 2026: 02:00 does not exist; the next 02:00 is on 9 March.
    const before = Date.parse('2026-03-08T05:30:00Z'); // 00:30 EST
    const spring = chooseSendInstant(before, { scores: peakAt(2), timeZone: 'America/New_York', withinMs: 2 * 24 * HOUR, quietRules: noQuiet, customer: null });
    expect(local(spring.at, 'America/New_York')).toBe('09/03/2026, 02:00');
    // 1 November 2026: 01:00–02:00 happens twice; the first is at 05:00 UTC.
    const fall = chooseSendInstant(Date.parse('2026-11-01T03:30:00Z'), { scores: peakAt(1), timeZone: 'America/New_York', withinMs: 24 * HOUR, quietRules: noQuiet, customer: null });
    expect(new Date(fall.at).toISOString()).toBe('2026-11-01T05:00:00.000Z');
  });

  it('moves out of quiet hours: a best hour of 23:00 becomes the best open hour, or the end of quiet hours', () => {
    const now = Date.parse('2026-06-10T12:00:00Z');
    const scores = peakAt(23);
    scores[20] = 3;
    const chosen = chooseSendInstant(now, { scores, timeZone: 'UTC', withinMs: 24 * HOUR, quietRules: quiet, customer: null });
    expect(new Date(chosen.at).toISOString()).toBe('2026-06-10T20:00:00.000Z');
    expect(chosen.quietHours).toBe('avoided');
    // A window that is quiet at first and open only at its end: the end of quiet hours.
    const night = Date.parse('2026-06-10T23:00:00Z');
    const atEnd = chooseSendInstant(night, { scores: peakAt(3), timeZone: 'UTC', withinMs: 10 * HOUR, quietRules: quiet, customer: null });
    expect(new Date(atEnd.at).toISOString()).toBe('2026-06-11T08:00:00.000Z');
    const all = chooseSendInstant(night, { scores: peakAt(3), timeZone: 'UTC', withinMs: 2 * HOUR, quietRules: quiet, customer: null });
    expect(all).toMatchObject({ at: night, quietHours: 'whole-window' });
  });

  const zones = fc.constantFrom('UTC', 'Europe/Lisbon', 'America/New_York', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Chatham');
  const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

  it('always lands within the window, and outside quiet hours whenever the window has a moment outside them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
        fc.integer({ min: 1, max: 7 * 24 * 60 }).map((minutes) => minutes * 60_000),
        zones,
        fc.option(fc.record({ start: clock, end: clock }), { nil: undefined }),
        fc.array(fc.nat({ max: 20 }), { minLength: 24, maxLength: 24 }),
        (now, withinMs, timeZone, window, scores) => {
          const rules: QuietHoursRules = { quietHours: { ...(window ? { default: window } : {}), regions: {} }, regionTimeZones: {}, workspaceTimeZone: 'UTC' };
          const customer = { timezone: timeZone };
          const chosen = chooseSendInstant(now, { scores, timeZone, withinMs, quietRules: rules, customer });
          expect(chosen.at).toBeGreaterThanOrEqual(now);
          expect(chosen.at).toBeLessThanOrEqual(now + withinMs);
          expect(chosen.hour).toBe(localHourMinute(chosen.at, timeZone).hour);
          if (chosen.quietHours === 'whole-window') {
            // Truly all quiet: quiet now, and quiet hours end after the window.
            const nowQuiet = quietHoursAt(now, rules, customer);
            expect(nowQuiet).toBeDefined();
            expect(nowQuiet!.endsAt).toBeGreaterThan(now + withinMs);
          } else {
            expect(quietHoursAt(chosen.at, rules, customer)).toBeUndefined();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
