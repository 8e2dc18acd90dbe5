import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_SCOPES, API_SCOPES } from './api-scopes';
import { AdminError, MAX_NAME_LENGTH, MAX_SLUG_LENGTH, validateId, validateName, validateScopes, validateSlug } from './tenant-admin';

const slugChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split(''));
const slugHead = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const validSlug = fc.tuple(slugHead, fc.array(slugChar, { maxLength: MAX_SLUG_LENGTH - 1 })).map(([head, rest]) => head + rest.join(''));

function refused(work: () => unknown, field: string): void {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AdminError);
    expect((error as AdminError).code).toBe('INVALID');
    expect((error as AdminError).field).toBe(field);
    return;
  }
  throw new Error('expected an AdminError');
}

describe('tenant administration input', () => {
  it('accepts every slug of a-z, 0-9 and "-" not starting with "-", up to 63 characters, unchanged', () => {
    fc.assert(fc.property(validSlug, (slug) => void expect(validateSlug(slug)).toBe(slug)));
  });

  it('refuses any other slug as INVALID naming the field', () => {
    const bad = fc.oneof(
      fc.string().filter((s) => !/^[a-z0-9][a-z0-9-]*$/.test(s)),
      validSlug.map((s) => `-${s}`),
      validSlug.map((s) => s.toUpperCase()).filter((s) => /[A-Z]/.test(s)),
      fc.tuple(validSlug, fc.constantFrom(' ', '_', '.', '/', 'é')).map(([s, c]) => s + c),
      fc.array(slugHead, { minLength: MAX_SLUG_LENGTH + 1, maxLength: MAX_SLUG_LENGTH + 20 }).map((cs) => cs.join('')),
    );
    fc.assert(fc.property(bad, fc.constantFrom('slug', 'workspace'), (slug, field) => refused(() => validateSlug(slug, field), field)));
  });

  it('trims names and accepts 1 to 100 characters without control characters', () => {
    // eslint-disable-next-line no-control-regex
    const printable = fc.string({ unit: 'grapheme', minLength: 1, maxLength: MAX_NAME_LENGTH }).filter((s) => s.trim().length > 0 && [...s.trim()].length <= MAX_NAME_LENGTH && !/[\u0000-\u001f\u007f]/.test(s));
    fc.assert(
      fc.property(printable, fc.constantFrom('', ' ', '  \t'), (name, pad) => {
        expect(validateName(pad + name + pad)).toBe(name.trim());
      }),
    );
  });

  it('refuses blank, too long or control-character names as INVALID naming the field', () => {
    const bad = fc.oneof(
      fc.constantFrom('', ' ', '\t\n '),
      fc.string({ minLength: MAX_NAME_LENGTH + 1, maxLength: MAX_NAME_LENGTH + 50 }).filter((s) => [...s.trim()].length > MAX_NAME_LENGTH),
      fc.tuple(fc.string(), fc.integer({ min: 0, max: 31 }), fc.string()).map(([a, c, b]) => `x${a}${String.fromCharCode(c)}${b}x`),
    );
    fc.assert(fc.property(bad, (name) => refused(() => validateName(name), 'name')));
  });

  it('scopes: known names in any form give the canonical set; an unknown or empty list is INVALID on scopes', () => {
    const known = fc.constantFrom<string>(...API_SCOPES, ALL_SCOPES);
    fc.assert(
      fc.property(fc.array(known, { minLength: 1, maxLength: 8 }), (names) => {
        const scopes = validateScopes(names);
        expect(validateScopes(names.join(','))).toEqual(scopes);
        expect(scopes).toEqual(names.includes(ALL_SCOPES) ? [ALL_SCOPES] : API_SCOPES.filter((s) => names.includes(s)));
      }),
    );
    const unknown = fc.string({ minLength: 1 }).filter((s) => !/[\s,]/.test(s) && s !== ALL_SCOPES && !(API_SCOPES as readonly string[]).includes(s));
    fc.assert(fc.property(fc.array(known, { maxLength: 3 }), unknown, (names, bad) => refused(() => validateScopes([...names, bad]), 'scopes')));
    refused(() => validateScopes([]), 'scopes');
    refused(() => validateScopes(' , '), 'scopes');
  });

  it('ids: a UUID in any case, lower-cased; anything else INVALID on id', () => {
    fc.assert(fc.property(fc.uuid(), (id) => void expect(validateId(id.toUpperCase())).toBe(id.toLowerCase())));
    fc.assert(fc.property(fc.string().filter((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)), (id) => refused(() => validateId(id), 'id')));
  });
});
