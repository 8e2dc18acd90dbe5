import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_SCOPES, API_SCOPES, InvalidScopeError, holdsScope, parseApiScopes } from './api-scopes';

const scope = fc.constantFrom(...API_SCOPES);
const known = fc.constantFrom<string>(...API_SCOPES, ALL_SCOPES);
const unknown = fc.string({ minLength: 1 }).filter((s) => !/[\s,]/.test(s) && s !== ALL_SCOPES && !(API_SCOPES as readonly string[]).includes(s));

describe('API key scopes', () => {
  it('parses any list of known names to the canonical set, however written', () => {
    fc.assert(
      fc.property(fc.array(known, { minLength: 1, maxLength: 8 }), fc.constantFrom(',', ' ', ', ', ' ,\t'), (names, separator) => {
        const parsed = parseApiScopes(names);
        expect(parseApiScopes(names.join(separator))).toEqual(parsed);
        expect(parseApiScopes(parsed)).toEqual(parsed);
        if (names.includes(ALL_SCOPES)) expect(parsed).toEqual([ALL_SCOPES]);
        else expect(parsed).toEqual(API_SCOPES.filter((s) => names.includes(s)));
      }),
    );
  });

  it('refuses a list with any unknown name, naming it', () => {
    fc.assert(
      fc.property(fc.array(known, { maxLength: 4 }), unknown, fc.nat(4), (names, bad, at) => {
        const list = [...names.slice(0, at), bad, ...names.slice(at)];
        expect(() => parseApiScopes(list)).toThrow(InvalidScopeError);
        expect(() => parseApiScopes(list)).toThrow(`"${bad}"`);
      }),
    );
  });

  it('refuses no scope at all and names that differ only in case', () => {
    expect(() => parseApiScopes([])).toThrow(InvalidScopeError);
    expect(() => parseApiScopes(' , ')).toThrow(InvalidScopeError);
    fc.assert(fc.property(scope, (s) => void expect(() => parseApiScopes([s.toUpperCase()])).toThrow(InvalidScopeError)));
  });

  it('grants a required scope exactly when it or * is held', () => {
    fc.assert(
      fc.property(fc.array(known, { minLength: 1, maxLength: 6 }), scope, (names, required) => {
        const held = parseApiScopes(names);
        expect(holdsScope(held, required)).toBe(names.includes(ALL_SCOPES) || names.includes(required));
      }),
    );
  });
});
