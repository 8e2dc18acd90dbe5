import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { JsonLogger } from './json-logger';

describe('JsonLogger', () => {
  it('writes one JSON object per line with context, fields of object messages and error stacks, from its level up', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', (line) => lines.push(line));
    logger.log({ msg: 'event routed', workflowId: 'journey/abandoned-cart/ana/c1', customerId: 'ana' }, 'EventOutbox');
    logger.error('boom', 'Error: boom\n    at here', 'GatewayExceptionFilter');
    logger.debug('hidden', 'EventRouter');
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { time: expect.any(String), level: 'info', context: 'EventOutbox', msg: 'event routed', workflowId: 'journey/abandoned-cart/ana/c1', customerId: 'ana' },
      { time: expect.any(String), level: 'error', context: 'GatewayExceptionFilter', msg: 'boom', stack: 'Error: boom\n    at here' },
    ]);
  });

  it('serves Nest Logger instances once installed', () => {
    const lines: string[] = [];
    Logger.overrideLogger(new JsonLogger('debug', (line) => lines.push(line)));
    new Logger('EventRouter').warn({ msg: 'no cart_id', customerId: 'ana' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', context: 'EventRouter', msg: 'no cart_id', customerId: 'ana' });
  });
});
