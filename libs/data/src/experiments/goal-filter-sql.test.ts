import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchesFilter, type EventFilter } from '@continuum/contracts';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { goalFilterSql } from './goal-filter-sql';

const scalar = fc.oneof(
  { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 4 },
  { arbitrary: fc.double({ min: -5, max: 5, noNaN: true }), weight: 1 },
  { arbitrary: fc.constantFrom('x', 'y', ''), weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { arbitrary: scalar, weight: 3 }, { arbitrary: fc.dictionary(fc.constantFrom('a', 'b'), tie('node'), { maxKeys: 2 }), weight: 1 }, { arbitrary: fc.array(scalar, { maxLength: 2 }), weight: 1 }),
})).node;
const small = fc.integer({ min: -2, max: 2 });
const operator = fc.oneof(
  fc.record({ eq: fc.oneof(scalar, fc.constant({ a: 1 })) }),
  fc.record({ ne: fc.oneof(scalar, fc.constant([1])) }),
  fc.record({ in: fc.array(fc.oneof(scalar, fc.constant([1])), { maxLength: 3 }) }),
  fc.record({ exists: fc.boolean() }),
  fc.record({ gt: small }),
  fc.record({ gte: small }),
  fc.record({ lt: small }),
  fc.record({ lte: fc.oneof(small, fc.double({ min: -3, max: 3, noNaN: true })) }),
);
// One operator, or two together (their conjunction).
const condition = fc.oneof(scalar, operator, fc.tuple(operator, operator).map(([a, b]) => ({ ...a, ...b })));
const filter = fc.dictionary(fc.constantFrom('properties.a', 'properties.b', 'properties.a.b', 'properties.a.0'), condition, { minKeys: 1, maxKeys: 2 }) as fc.Arbitrary<EventFilter>;

// A goal's `where` in SQL means what matchesFilter means, checked in the real PostgreSQL.
describe('goalFilterSql', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.teardown();
  });

  it('agrees with matchesFilter on any properties and filter', async () => {
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(fc.record({ a: value, b: value }, { requiredKeys: ['a'] }), filter, async (properties, where) => {
        const params: unknown[] = [JSON.stringify(properties)];
        const sql = goalFilterSql(where, 'e', params);
        const rows: Array<{ ok: boolean }> = await db.dataSource.query(`SELECT (${sql}) AS ok FROM (SELECT $1::jsonb AS properties) e`, params);
        const expected = matchesFilter(where, { properties });
        if (expected) matched += 1;
        expect(rows[0]!.ok).toBe(expected);
      }),
      { numRuns: 500 },
    );
    // The generated cases are not all misses (about 5 % match: filters are conjunctions).
    expect(matched).toBeGreaterThan(5);
    console.log(`goal filters: ${matched} of 500 generated cases match`);
  });

  it('matches the usual goal filters', async () => {
    const cases: Array<[EventFilter, Record<string, unknown>, boolean]> = [
      [{ 'properties.total': { gte: 20 } }, { total: 25 }, true],
      [{ 'properties.total': { gte: 20 } }, { total: 19.99 }, false],
      [{ 'properties.total': { gte: 20 } }, { total: '25' }, false],
      [{ 'properties.currency': 'EUR', 'properties.total': { gt: 0, lte: 100 } }, { currency: 'EUR', total: 100 }, true],
      [{ 'properties.plan': { in: ['pro', 'team'] } }, { plan: 'team' }, true],
      [{ 'properties.coupon': { exists: false } }, { coupon: null }, true],
      [{ 'properties.items.0.sku': 'A-1' }, { items: [{ sku: 'A-1' }] }, true],
      [{ 'properties.channel': { ne: 'web' } }, {}, true],
    ];
    for (const [where, properties, expected] of cases) {
      expect(matchesFilter(where, { properties })).toBe(expected);
      const params: unknown[] = [JSON.stringify(properties)];
      const rows: Array<{ ok: boolean }> = await db.dataSource.query(`SELECT (${goalFilterSql(where, 'e', params)}) AS ok FROM (SELECT $1::jsonb AS properties) e`, params);
      expect(rows[0]!.ok, JSON.stringify(where)).toBe(expected);
    }
  });

  it('refuses a path outside the properties', () => {
    expect(() => goalFilterSql({ 'traits.plan': 'pro' }, 'e', [])).toThrow(/traits\.plan/);
    expect(goalFilterSql(undefined, 'e', [])).toBe('true');
  });
});
