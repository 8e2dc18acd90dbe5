import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayException } from '../common/gateway-exception';
import { localIdOf, parseGlobalId, toGlobalId } from './global-id';
import { journeyInstanceGlobalId, journeyInstanceKeyOf } from './journey-instance-id';

const typeName = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,20}$/);
const localId = fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }).filter((s) => Buffer.from(s, 'utf8').toString('utf8') === s);

describe('global ids', () => {
  it('round-trip any type name and local id, colons and non-Latin text included', () => {
    fc.assert(
      fc.property(typeName, localId, (type, local) => {
        const id = toGlobalId(type, local);
        expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(parseGlobalId(id)).toEqual({ typeName: type, localId: local });
      }),
    );
  });

  it('differ between types for the same local id', () => {
    expect(toGlobalId('Profile', 'u1')).not.toBe(toGlobalId('Journey', 'u1'));
  });

  it('refuse any string this API did not make, never throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100, unit: 'binary' }), (text) => {
        const parsed = parseGlobalId(text);
        if (parsed) expect(toGlobalId(parsed.typeName, parsed.localId)).toBe(text);
      }),
    );
    for (const bad of ['', 'Profile:u1', '!!!', Buffer.from(':u1').toString('base64url'), Buffer.from('Profile:').toString('base64url'), Buffer.from('profile:u1').toString('base64url')]) {
      expect(parseGlobalId(bad)).toBeUndefined();
    }
  });

  it('name the input field at fault when one of another type or none at all is given', () => {
    expect(localIdOf(toGlobalId('Broadcast', 'b-1'), 'Broadcast', 'input.broadcastId')).toBe('b-1');
    const wrongType = (() => {
      try {
        localIdOf(toGlobalId('Profile', 'u1'), ['Broadcast'], 'input.broadcastId');
      } catch (error) {
        return error;
      }
    })();
    expect(wrongType).toBeInstanceOf(GatewayException);
    expect(wrongType).toMatchObject({ field: 'input.broadcastId', message: expect.stringContaining('is the id of a Profile, not of a Broadcast') });
    expect(() => localIdOf('nope', 'Broadcast', 'broadcastId')).toThrow(/is not an id this API handed out/);
  });
});

describe('journey instance ids', () => {
  it('carry the run and the instance, colons in the instance id included', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ minLength: 1, maxLength: 80 }), (runId, instanceId) => {
        expect(journeyInstanceKeyOf(journeyInstanceGlobalId({ instanceId, runId }), 'id')).toEqual({ instanceId, runId });
      }),
    );
    expect(() => journeyInstanceKeyOf(toGlobalId('JourneyInstance', 'no-run'), 'input.id')).toThrow(/not an id this API handed out/);
  });
});
