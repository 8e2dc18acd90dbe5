import { describe, expect, it } from 'vitest';
import { parseCalendar, parseCron, ScheduleSpecError } from './calendar-schedule';

const one = (start: number, end = start, step = 1) => ({ start, end, step });

describe('parseCron', () => {
  it('reads five fields with names, ranges, lists and steps', () => {
    expect(parseCron('0 9 * * MON')).toEqual([
      { second: [one(0)], minute: [one(0)], hour: [one(9)], dayOfMonth: [one(1, 31)], month: [one(1, 12)], dayOfWeek: [one(1)] },
    ]);
    expect(parseCron('*/15 8-18 * jan,Jul mon-fri')[0]).toMatchObject({ minute: [one(0, 59, 15)], hour: [one(8, 18)], month: [one(1), one(7)], dayOfWeek: [one(1, 5)] });
    expect(parseCron('@daily')).toEqual(parseCron('0 0 * * *'));
    // 7 is Sunday too.
    expect(parseCron('0 0 * * 5-7')[0]!.dayOfWeek).toEqual([one(0), one(5, 6)]);
  });

  it("matches either day when both are restricted, as cron does", () => {
    const rules = parseCron('0 12 1 * FRI');
    expect(rules).toHaveLength(2);
    expect(rules.map((rule) => [rule.dayOfMonth, rule.dayOfWeek])).toEqual([
      [[one(1)], [one(0, 6)]],
      [[one(1, 31)], [one(5)]],
    ]);
  });

  it.each([
    ['0 9 * *', '"0 9 * *": has 4 fields; expected 5: minute hour day-of-month month day-of-week'],
    ['0 25 * * *', '"0 25 * * *": hour 25 is out of range 0–23'],
    ['0 9 * * FUNDAY', '"0 9 * * FUNDAY": "FUNDAY" is not a day of week (0–7 or SUN–SAT)'],
    ['*/0 * * * *', '"*/0 * * * *": step "0" in "*/0" must be a whole number of at least 1'],
    ['0 9 * * FRI-MON', '"0 9 * * FRI-MON": range "FRI-MON" goes backwards (write it as two ranges, e.g. "FRI-SAT,0-MON")'],
    ['TZ=Europe/Paris 0 9 * * *', '"TZ=Europe/Paris 0 9 * * *": give the time zone in timeZone, not in the expression'],
    ['@sometimes', '"@sometimes": unknown macro (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)'],
  ])('refuses %s naming the problem', (cron, message) => {
    expect(() => parseCron(cron)).toThrow(new ScheduleSpecError('cron', message));
    try {
      parseCron(cron);
    } catch (error) {
      expect((error as ScheduleSpecError).field).toBe('cron');
    }
  });
});

describe('parseCalendar', () => {
  it('defaults second, minute and hour to 0 and the rest to every value; every field must match', () => {
    expect(parseCalendar({ hour: '9', dayOfWeek: 'MON-FRI' })).toEqual([
      { second: [one(0)], minute: [one(0)], hour: [one(9)], dayOfMonth: [one(1, 31)], month: [one(1, 12)], dayOfWeek: [one(1, 5)] },
    ]);
    // The first Monday of the month: both days restricted, both must match.
    expect(parseCalendar({ dayOfMonth: '1-7', dayOfWeek: 'MON' })).toHaveLength(1);
    expect(parseCalendar({ second: '*/5', minute: '*', hour: '*' })[0]).toMatchObject({ second: [one(0, 59, 5)], minute: [one(0, 59)], hour: [one(0, 23)] });
  });

  it('names the field that is wrong', () => {
    expect(() => parseCalendar({ minute: '60' })).toThrow(new ScheduleSpecError('calendar.minute', '"60": minute 60 is out of range 0–59'));
    expect(() => parseCalendar({ month: 'Smarch' })).toThrow(/calendar|month/);
    try {
      parseCalendar({ month: 'Smarch' });
    } catch (error) {
      expect(error).toMatchObject({ field: 'calendar.month' });
    }
  });
});
