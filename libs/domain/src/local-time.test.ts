import { describe, expect, it } from 'vitest';
import { nextLocalTime } from './local-time';

const at = (iso: string) => Date.parse(iso);

describe('nextLocalTime', () => {
  it('finds 10:00 the same day in São Paulo when it is still morning there', () => {
    // 2026-11-23 is a Monday; 08:00 in São Paulo is 11:00 UTC.
    expect(new Date(nextLocalTime(at('2026-11-23T11:00:00Z'), { time: '10:00', timeZone: 'America/Sao_Paulo' })).toISOString()).toBe(
      '2026-11-23T13:00:00.000Z',
    );
  });

  it('moves past the weekend to Monday when only weekdays are allowed', () => {
    // Friday 2026-11-27 23:30 in Tokyo is already Saturday local time.
    const next = nextLocalTime(at('2026-11-27T15:30:00Z'), { time: '10:00', timeZone: 'Asia/Tokyo', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(new Date(next).toISOString()).toBe('2026-11-30T01:00:00.000Z'); // Monday 10:00 JST
  });

  it('crosses the date line: a Monday in UTC can be Sunday in Honolulu', () => {
    const next = nextLocalTime(at('2026-11-23T05:00:00Z'), { time: '10:00', timeZone: 'Pacific/Honolulu', weekdays: ['mon'] });
    expect(new Date(next).toISOString()).toBe('2026-11-23T20:00:00.000Z'); // Monday 10:00 HST
  });

  it('keeps local time across a daylight-saving change', () => {
    // New York leaves DST on 2026-11-01: 09:00 local is 13:00 UTC before and 14:00 UTC after.
    expect(new Date(nextLocalTime(at('2026-10-31T14:00:00Z'), { time: '09:00', timeZone: 'America/New_York' })).toISOString()).toBe(
      '2026-11-01T14:00:00.000Z',
    );
  });

  it('names bad arguments', () => {
    expect(() => nextLocalTime(0, { time: '25:00', timeZone: 'UTC' })).toThrow(/HH:MM/);
    expect(() => nextLocalTime(0, { time: '10:00', timeZone: 'Mars/Olympus' })).toThrow(/IANA/);
  });
});
