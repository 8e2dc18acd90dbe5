import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProfileSort } from '@continuum/data';
import { GatewayException } from '../common/gateway-exception';
import { decodeProfileCursor, encodeProfileCursor } from './profiles.service';

const sort = fc.record({ field: fc.constantFrom('userId', 'createdAt', 'updatedAt'), direction: fc.constantFrom('ASC', 'DESC') }) as fc.Arbitrary<ProfileSort>;
const at = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString().replace('Z', '000Z'));

describe('profile search cursors', () => {
  it('decode to their position under the order they came from, and are BAD_USER_INPUT under any other', () => {
    fc.assert(
      fc.property(sort, sort, fc.string({ minLength: 1, maxLength: 40 }), at, fc.constantFrom('after', 'before') as fc.Arbitrary<'after' | 'before'>, (from, to, userId, time, argument) => {
        const position = from.field === 'userId' ? { userId } : { userId, at: time };
        const cursor = encodeProfileCursor(from, position);
        if (from.field === to.field && from.direction === to.direction) {
          expect(decodeProfileCursor(cursor, to, argument)).toEqual(position);
        } else {
          let error: unknown;
          try {
            decodeProfileCursor(cursor, to, argument);
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(GatewayException);
          expect(error).toMatchObject({ field: argument, message: expect.stringContaining('another order') });
        }
      }),
    );
  });

  it('refuse anything this gateway did not hand out, naming the argument', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), sort, (cursor, order) => {
        try {
          decodeProfileCursor(cursor, order, 'before');
        } catch (error) {
          expect(error).toMatchObject({ field: 'before' });
          return;
        }
        // Only a well-formed cursor of this order decodes: re-encoding it gives the same text.
        const position = decodeProfileCursor(cursor, order, 'before');
        expect(encodeProfileCursor(order, position)).toBe(cursor);
      }),
    );
  });
});
