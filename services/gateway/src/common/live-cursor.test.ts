import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayErrorCode, GatewayException } from './gateway-exception';
import { decodeLiveCursor, encodeLiveCursor, type LiveSubscriptionName } from './live-cursor';

const SUBSCRIPTIONS: LiveSubscriptionName[] = ['journeyInstanceUpdates', 'customerActivity', 'inboxUpdates', 'conversationUpdates', 'broadcastUpdates'];
const subscription = fc.constantFrom(...SUBSCRIPTIONS);
const bigintText = fc.bigInt({ min: 0n, max: 9_223_372_036_854_775_807n }).map(String);
const position = fc.record({ xid: bigintText, id: bigintText });

/** The error `work` throws, or undefined. */
function errorOf(work: () => unknown): unknown {
  try {
    work();
    return undefined;
  } catch (error) {
    return error;
  }
}

function expectRefusal(error: unknown): void {
  expect(error).toBeInstanceOf(GatewayException);
  expect((error as GatewayException).code).toBe(GatewayErrorCode.BadUserInput);
  expect((error as GatewayException).field).toBe('after');
  expect((error as GatewayException).message).toMatch(/^after: /);
}

describe('live cursors', () => {
  it('round-trip any position of any subscription, as URL-safe opaque text', () => {
    fc.assert(
      fc.property(subscription, position, (name, at) => {
        const cursor = encodeLiveCursor(name, at);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeLiveCursor(cursor, name)).toEqual(at);
      }),
    );
  });

  it("refuse another subscription's cursor with BAD_USER_INPUT naming after and both subscriptions", () => {
    fc.assert(
      fc.property(subscription, subscription, position, (made, used, at) => {
        fc.pre(made !== used);
        const error = errorOf(() => decodeLiveCursor(encodeLiveCursor(made, at), used));
        expectRefusal(error);
        expect((error as Error).message).toContain(`is a cursor of ${made}, not of ${used}`);
      }),
    );
  });

  it('either decode a string to the position it was made from or refuse it with BAD_USER_INPUT naming after, never anything else', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 120, unit: 'binary' }),
      fc.string({ maxLength: 60 }).map((s) => Buffer.from(s, 'utf8').toString('base64url')),
      fc.tuple(fc.constantFrom('live', 'Live', 'x'), fc.constantFrom(...SUBSCRIPTIONS, 'other'), fc.string({ maxLength: 25 }), fc.string({ maxLength: 25 })).map((parts) =>
        Buffer.from(parts.join(':'), 'utf8').toString('base64url'),
      ),
    );
    fc.assert(
      fc.property(text, subscription, (cursor, name) => {
        const error = errorOf(() => decodeLiveCursor(cursor, name));
        if (error === undefined) {
          const decoded = decodeLiveCursor(cursor, name);
          expect(encodeLiveCursor(name, decoded)).toBe(cursor);
        } else expectRefusal(error);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuse tampered or out-of-range positions: leading zeros, signs, beyond bigint, padding', () => {
    const forged = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    for (const cursor of [
      forged('live:inboxUpdates:01:2'),
      forged('live:inboxUpdates:1:-2'),
      forged('live:inboxUpdates:1:9223372036854775808'),
      forged('live:inboxUpdates:1:2:3'),
      forged('live:inboxUpdates:1'),
      `${encodeLiveCursor('inboxUpdates', { xid: '1', id: '2' })}=`,
      '',
    ]) {
      expectRefusal(errorOf(() => decodeLiveCursor(cursor, 'inboxUpdates')));
    }
  });
});
