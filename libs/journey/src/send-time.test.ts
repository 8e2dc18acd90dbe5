import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_CHANNELS } from '@continuum/contracts';
import { bestTimeProblem, MAX_BEST_TIME_WINDOW_MS } from './send-time';

describe('delayUntilBestTime options', () => {
  it('takes a window of more than 0 and at most 7 days on a known channel', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_BEST_TIME_WINDOW_MS }), fc.constantFrom(...MESSAGE_CHANNELS), (within, channel) => {
        expect(bestTimeProblem('best', { within, channel })).toBeUndefined();
      }),
    );
    for (const within of ['1 day', '90 minutes', '7 days', '1h']) expect(bestTimeProblem('best', { within, channel: 'sms' })).toBeUndefined();
  });

  it('names the step and the option for any window out of range', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_BEST_TIME_WINDOW_MS + 1 })), (within) => {
        expect(bestTimeProblem('best', { within, channel: 'email' })).toMatch(/^delayUntilBestTime best: within must be (more than 0|at most 7 days), got -?\d+$/);
      }),
    );
    expect(bestTimeProblem('best', { within: '8 days', channel: 'sms' })).toBe('delayUntilBestTime best: within must be at most 7 days, got "8 days"');
    expect(bestTimeProblem('best', { within: Number.NaN, channel: 'sms' })).toMatch(/within must be more than 0/);
  });

  it('names any channel that is not one, and any window that is not a duration', () => {
    fc.assert(
      fc.property(fc.anything().filter((channel) => !(MESSAGE_CHANNELS as readonly unknown[]).includes(channel)), (channel) => {
        expect(bestTimeProblem('best', { within: '1 day', channel })).toMatch(/^delayUntilBestTime best: channel .* is not one of sms, mms, whatsapp, rcs, email, in_app$/);
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.constant(undefined), fc.boolean(), fc.object(), fc.string().filter((text) => !/\d/.test(text))), (within) => {
        expect(bestTimeProblem('best', { within, channel: 'sms' })).toMatch(/^delayUntilBestTime best: within .* is not a duration/);
      }),
    );
    expect(bestTimeProblem('best', undefined)).toBe('delayUntilBestTime best: options { within, channel } are required');
  });
});
