import fc from 'fast-check';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { findUnstorableText, MAX_JSON_DEPTH, unstorableReason } from '../common/storable-text';
import { findInDocument } from './storable-text.plugin';

/** Strings that PostgreSQL stores and returns exactly: well-formed UTF-16 without NUL. */
const storableString = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((text) => !text.includes('\u0000'));
const badCharacter = fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff');

describe('storable text', () => {
  it('names NUL and lone surrogates, with their offset', () => {
    expect(unstorableReason('ab\u0000')).toBe('contains a NUL character (U+0000) at offset 2, which cannot be stored');
    expect(unstorableReason('x\ud800y')).toBe('contains a lone UTF-16 surrogate (U+D800) at offset 1: the text is not valid Unicode');
    expect(unstorableReason('\udc00')).toMatch(/U\+DC00/);
    expect(unstorableReason('emoji 😀 and ção')).toBeUndefined();
    expect(unstorableReason('tab\tnewline\n\u0001\u007f\ufffe')).toBeUndefined();
  });

  it('finds the first bad string or key at any depth and names its JSON path', () => {
    expect(findUnstorableText({ a: [1, { b: 'ok' }, { c: 'x\u0000' }] }, '')).toEqual({ path: 'a[2].c', reason: expect.stringMatching(/NUL/) });
    expect(findUnstorableText({ properties: { 'odd key': '\ud800' } }, 'batch[3]')).toEqual({
      path: 'batch[3].properties["odd key"]',
      reason: expect.stringMatching(/surrogate/),
    });
    expect(findUnstorableText({ ['k\u0000']: 1 }, 'traits')?.reason).toMatch(/^\(a key\) contains a NUL/);
    expect(findUnstorableText('\u0000', '')?.path).toBe('body');
    expect(findUnstorableText({ first: '\u0000', second: '\u0000' }, '')?.path).toBe('first');
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(findUnstorableText(deep, 'properties')?.reason).toBe(`is nested more than ${MAX_JSON_DEPTH} levels deep`);
    let allowed: unknown = 'leaf';
    for (let level = 0; level < MAX_JSON_DEPTH; level += 1) allowed = { a: allowed };
    expect(findUnstorableText(allowed, '')).toBeUndefined();
  });

  it('accepts any JSON made of storable strings (property)', () => {
    const storableJson = fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.parse(JSON.stringify(value).replace(/\\u0000/g, '')) as unknown);
    fc.assert(fc.property(storableJson, (value) => findUnstorableText(value, '') === undefined), { numRuns: 500 });
  });

  it('finds a bad character wherever it is put in a JSON value, and the path leads to it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), storableString.filter((k) => k !== '')), { minLength: 1, maxLength: 6 }), storableString, badCharacter, storableString, (keys, before, bad, after) => {
        // Build the value from the innermost key outwards: arrays for numbers, objects for names.
        let value: unknown = `${before}${bad}${after}`;
        for (const key of [...keys].reverse()) {
          value = typeof key === 'number' ? [...Array.from({ length: key }, () => 'fine'), value] : { other: 'fine', [key]: value };
        }
        const problem = findUnstorableText(value, '');
        if (!problem) return false;
        const offset = /offset (\d+)/.exec(problem.reason);
        return offset !== null && Number(offset[1]) === before.length;
      }),
      { numRuns: 500 },
    );
  });

  it('finds unstorable literals in a GraphQL document by field, argument and key', () => {
    const document = parse(`mutation { first: track(input: { userId: "u", properties: { list: ["ok", "\\u0000"] } }) { duplicate } }`);
    expect(findInDocument(document)).toEqual({ path: 'first.input.properties.list[1]', reason: expect.stringMatching(/NUL/) });
    expect(findInDocument(parse(`query($id: String = "\\u0000") { profile(userId: $id) { userId } }`))?.path).toBe('$id');
    expect(findInDocument(parse(`{ profile(userId: "ana") { events(first: 5) { totalCount } } }`))).toBeUndefined();
    expect(findInDocument(parse(`{ ...F } fragment F on Query { profile(userId: "\\u0000") { userId } }`))?.path).toBe('...F.profile.userId');
  });
});
