import { describe, expect, it } from 'vitest';
import { createJsonLogger, formatLogLine } from './json-logger';

describe('JSON log lines', () => {
  it('adds customer and journey ids read from a journey workflow id', () => {
    const line = formatLogLine({
      level: 'INFO',
      message: 'Activity completed',
      timestampNanos: 1_700_000_000_123_000_000n,
      meta: { workflowId: 'journey/abandoned-cart/brand-b:ana/c1', activityType: 'sendSms', attempt: 1n },
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({
      time: '2023-11-14T22:13:20.123Z',
      level: 'info',
      msg: 'Activity completed',
      workflowId: 'journey/abandoned-cart/brand-b:ana/c1',
      customerId: 'brand-b:ana',
      journeyId: 'abandoned-cart',
      activityType: 'sendSms',
      attempt: '1',
    });
  });

  it('keeps ids given explicitly and leaves other workflow ids alone', () => {
    const lines: string[] = [];
    const logger = createJsonLogger('info', (line) => lines.push(line));
    logger.info('journey entered', { workflowId: 'journey/onboarding/ana/ana', customerId: 'ana' });
    logger.warn('something else', { workflowId: 'other-workflow', error: new Error('boom') });
    logger.debug('not at info');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: 'info', msg: 'journey entered', customerId: 'ana', journeyId: 'onboarding' }),
      expect.objectContaining({ level: 'warn', msg: 'something else', workflowId: 'other-workflow', error: 'boom' }),
    ]);
    expect(JSON.parse(lines[1]!)).not.toHaveProperty('customerId');
  });
});
