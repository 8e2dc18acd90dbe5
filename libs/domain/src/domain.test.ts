import { describe, expect, it } from 'vitest';
import { parseDuration, toE164 } from './index';

describe('toE164', () => {
  it.each([
    ['+1 (415) 555-0100', '+14155550100'],
    ['+55 11 91234-5678', '+5511912345678'],
    ['0044 20 7946 0958', '+442079460958'],
  ])('normalises %s', (raw, expected) => expect(toE164(raw)).toBe(expected));

  it.each(['555-0100', '+0123456789', '+12', 'call me', '+1234567890123456'])('rejects %s', (raw) =>
    expect(toE164(raw)).toBeUndefined(),
  );
});

describe('parseDuration', () => {
  it('reads common forms', () => {
    expect(parseDuration('1 hour')).toBe(3_600_000);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
  });
  it('names the bad input', () => expect(() => parseDuration('soon')).toThrow(/Invalid duration "soon"/));
});
