import { BadRequestException, UnauthorizedException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { GatewayErrorCode, GatewayException } from './gateway-exception';
import { fieldPath, payloadOf, recoverUserErrors, underField, userErrorOf } from './user-error';

describe('user errors', () => {
  it('turns a dotted, indexed field into a path from the input argument', () => {
    expect(fieldPath('definition.all[1].within')).toEqual(['input', 'definition', 'all', '1', 'within']);
    expect(fieldPath('schedule.calendar.minute')).toEqual(['input', 'schedule', 'calendar', 'minute']);
    expect(fieldPath('name')).toEqual(['input', 'name']);
    expect(fieldPath(undefined)).toBeNull();
  });

  it('maps each domain error code to its user error code, with the field path and message', () => {
    const cases: Array<[GatewayErrorCode, string]> = [
      [GatewayErrorCode.BadUserInput, 'INVALID'],
      [GatewayErrorCode.NotFound, 'NOT_FOUND'],
      [GatewayErrorCode.FailedPrecondition, 'FAILED_PRECONDITION'],
      [GatewayErrorCode.Conflict, 'CONFLICT'],
    ];
    for (const [code, userCode] of cases) {
      expect(userErrorOf(new GatewayException(code, 'why', 'a.b'))).toEqual({ code: userCode, field: ['input', 'a', 'b'], message: 'why' });
    }
    // A pipe's 400 and a PostgreSQL data exception are bad input too, with no one field at fault.
    expect(userErrorOf(new BadRequestException('bad'))).toEqual({ code: 'INVALID', field: null, message: 'bad' });
    expect(userErrorOf(Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' }))).toMatchObject({ code: 'INVALID', field: null });
  });

  it('leaves authentication, limits, outages and internal errors as GraphQL errors', () => {
    for (const code of [
      GatewayErrorCode.Unauthenticated,
      GatewayErrorCode.Forbidden,
      GatewayErrorCode.RateLimited,
      GatewayErrorCode.QueryTooComplex,
      GatewayErrorCode.ResponseTooLarge,
      GatewayErrorCode.Timeout,
      GatewayErrorCode.Unavailable,
    ]) {
      expect(userErrorOf(new GatewayException(code, 'no')), code).toBeUndefined();
    }
    expect(userErrorOf(new UnauthorizedException())).toBeUndefined();
    expect(userErrorOf(new Error('connection refused'))).toBeUndefined();
  });

  it('fills a payload with the result and no user errors, or null and the domain error; rethrows anything else', async () => {
    await expect(payloadOf('audience', async () => ({ name: 'a' }))).resolves.toEqual({ audience: { name: 'a' }, userErrors: [] });
    await expect(
      payloadOf('audience', async () => {
        throw new GatewayException(GatewayErrorCode.NotFound, 'No audience "a"', 'name');
      }),
    ).resolves.toEqual({ audience: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'name'], message: 'No audience "a"' }] });
    const outage = new GatewayException(GatewayErrorCode.Unavailable, 'Temporal is unreachable');
    await expect(
      payloadOf('audience', async () => {
        throw outage;
      }),
    ).rejects.toBe(outage);
    await expect(
      recoverUserErrors(
        async () => {
          throw new TypeError('bug');
        },
        () => 'recovered',
      ),
    ).rejects.toThrow('bug');
  });

  it('puts a nested validator field under its parent input field', () => {
    const nested = () =>
      underField('event', () => {
        throw GatewayException.badInput('messageId', 'must be 1 to 200 characters');
      });
    expect(nested).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'event.messageId', message: 'messageId: must be 1 to 200 characters' }));
    expect(underField('event', () => 42)).toBe(42);
  });
});
