import { describe, expect, it } from 'vitest';
import { quietHoursAt, type QuietHoursRules } from './quiet-hours';

const rules: QuietHoursRules = {
  quietHours: { default: { start: '21:00', end: '08:00' }, regions: { BR: { start: '20:00', end: '09:00' } } },
  regionTimeZones: { BR: 'America/Sao_Paulo', JP: 'Asia/Tokyo' },
  workspaceTimeZone: 'UTC',
};
// 2026-11-23 23:30 UTC: 20:30 in São Paulo, 08:30 (next day) in Tokyo, 23:30 in UTC.
const now = Date.parse('2026-11-23T23:30:00Z');

describe('quietHoursAt', () => {
  it("uses the customer's own zone, their country's window, and says when it ends", () => {
    expect(quietHoursAt(now, rules, { country: 'BR', timezone: 'America/Sao_Paulo' })).toEqual({
      window: { start: '20:00', end: '09:00' },
      timeZone: 'America/Sao_Paulo',
      zoneFrom: 'profile',
      endsAt: Date.parse('2026-11-24T12:00:00Z'),
    });
    // Tokyo at 08:30 is past the default window's end.
    expect(quietHoursAt(now, rules, { timezone: 'Asia/Tokyo' })).toBeUndefined();
  });

  it('falls back to a timezone trait that is an IANA zone when the column is empty or not a zone', () => {
    expect(quietHoursAt(now, rules, { timezone: null, traits: { timezone: 'Asia/Tokyo' } })).toBeUndefined();
    expect(quietHoursAt(now, rules, { timezone: 'Mars/Olympus', traits: { timezone: 'Asia/Tokyo' } })).toBeUndefined();
    // Without any zone of their own: the country's zone, then the workspace's.
    expect(quietHoursAt(now, rules, { traits: { timezone: 'not a zone', country: 'jp' } })).toBeUndefined();
    expect(quietHoursAt(now, rules, { traits: { country: 'br' } })).toMatchObject({ timeZone: 'America/Sao_Paulo', zoneFrom: 'country' });
    expect(quietHoursAt(now, rules, {})).toMatchObject({ timeZone: 'UTC', zoneFrom: 'workspace', endsAt: Date.parse('2026-11-24T08:00:00Z') });
  });

  it('is never quiet without a window', () => {
    expect(quietHoursAt(now, { ...rules, quietHours: { regions: {} } }, { country: 'BR' })).toBeUndefined();
    expect(quietHoursAt(now, rules, null)).toMatchObject({ zoneFrom: 'workspace' });
  });
});
