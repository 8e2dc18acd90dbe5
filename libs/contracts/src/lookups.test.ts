import { describe, expect, it } from 'vitest';
import { checkLookupParams, defineLookup, LookupDefinitionError } from './lookups';

describe('defineLookup', () => {
  it('turns named parameters into positional ones, one $n per distinct name', () => {
    const lookup = defineLookup({
      name: 'orders-since',
      sql: 'SELECT id, total::numeric FROM orders WHERE user_id = :user_id AND placed_at >= :since::timestamptz OR referrer = :user_id',
      params: ['user_id', 'since'],
    });
    expect(lookup.text).toBe('SELECT id, total::numeric FROM orders WHERE user_id = $1 AND placed_at >= $2::timestamptz OR referrer = $1');
    expect(lookup.order).toEqual(['user_id', 'since']);
  });

  it('leaves casts, quoted text, quoted identifiers, dollar quotes and comments alone', () => {
    const lookup = defineLookup({
      name: 'quoted',
      sql: `SELECT ':not_a_param' AS "a:b", $$:nor_this$$ AS c -- :nor_in_comment
            /* :nor_here */ FROM t WHERE x = :x AND y = 'it''s :quoted'::text`,
      params: ['x'],
    });
    expect(lookup.text).toContain("':not_a_param'");
    expect(lookup.text).toContain('"a:b"');
    expect(lookup.text).toContain('$$:nor_this$$');
    expect(lookup.text).toContain('x = $1');
    expect(lookup.text).toContain("'it''s :quoted'::text");
    expect(lookup.order).toEqual(['x']);
  });

  it('drops a trailing semicolon', () => {
    expect(defineLookup({ name: 'one', sql: 'SELECT 1;  ', params: [] }).text).toBe('SELECT 1');
  });

  it('rejects a parameter the SQL uses but the definition does not declare', () => {
    expect(() => defineLookup({ name: 'loyalty', sql: 'SELECT * FROM t WHERE user_id = :user_id AND tier = :tier', params: ['user_id'] })).toThrow(
      'Lookup "loyalty": the SQL uses undeclared parameter(s) :tier (declared: user_id)',
    );
  });

  it('rejects a declared parameter the SQL never uses', () => {
    expect(() => defineLookup({ name: 'loyalty', sql: 'SELECT * FROM t WHERE user_id = :user_id', params: ['user_id', 'tier'] })).toThrow(
      'declared parameter(s) tier are not used in the SQL',
    );
  });

  it('rejects bad names, several statements and non-positive limits', () => {
    expect(() => defineLookup({ name: 'Loyalty Points', sql: 'SELECT 1', params: [] })).toThrow(LookupDefinitionError);
    expect(() => defineLookup({ name: 'two', sql: 'SELECT 1; DELETE FROM t', params: [] })).toThrow('single statement');
    expect(() => defineLookup({ name: 'limits', sql: 'SELECT 1', params: [], maxRows: 0 })).toThrow('maxRows must be a positive integer');
    expect(() => defineLookup({ name: 'dup', sql: 'SELECT :a', params: ['a', 'a'] })).toThrow('declared twice');
  });
});

describe('checkLookupParams', () => {
  const lookup = defineLookup({ name: 'loyalty-points', sql: 'SELECT * FROM t WHERE user_id = :user_id', params: ['user_id'] });

  it('accepts exactly the declared parameters with plain values', () => {
    expect(checkLookupParams(lookup, { user_id: 'ana' })).toBeUndefined();
    expect(checkLookupParams(lookup, { user_id: null })).toBeUndefined();
  });

  it('names missing, unknown and non-plain parameters', () => {
    expect(checkLookupParams(lookup, {})).toBe('Lookup "loyalty-points" needs parameter(s) user_id');
    expect(checkLookupParams(lookup, { user_id: 'ana', tier: 'gold' })).toBe('Lookup "loyalty-points" has no parameter(s) tier (it takes user_id)');
    expect(checkLookupParams(lookup, { user_id: { id: 1 } })).toContain('must be a string, number, boolean or null');
  });
});
