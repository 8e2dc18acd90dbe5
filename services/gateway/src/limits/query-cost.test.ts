import fc from 'fast-check';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LimitExceededError } from './limit-exceeded-error';
import { DEFAULT_PAGE_SIZE } from '../common/connection';
import { queryCost, refuseCostAbove, UNSPECIFIED_PAGE_SIZE } from './query-cost';

const schema = buildSchema(`
  type Query { item: Item }
  type Item {
    id: ID
    name: String
    "No paging argument: its children count once"
    child: Item
    "A page size with a schema default"
    children(first: Int = 10, after: String): [Item!]!
    "A Relay connection's sizes: DEFAULT_PAGE_SIZE when neither is given"
    page(first: Int, last: Int): [Item!]!
    limited(limit: Int!): [Item!]!
    "A page size without a default: UNSPECIFIED_PAGE_SIZE when it is not given"
    open(first: Int): [Item!]!
  }
`);

/** A selection as the reference model sees it. */
type Selection =
  | { kind: 'leaf'; field: 'id' | 'name' }
  | { kind: 'child'; selections: Selection[] }
  | { kind: 'children'; first?: number; selections: Selection[] }
  | { kind: 'page'; first?: number; last?: number; selections: Selection[] }
  | { kind: 'open'; first?: number; selections: Selection[] }
  | { kind: 'limited'; limit: number; selections: Selection[] };

const pageSize = fc.integer({ min: 0, max: 200 });
const { selection } = fc.letrec<{ selection: Selection; selections: Selection[] }>((tie) => ({
  selection: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('leaf' as const), field: fc.constantFrom('id' as const, 'name' as const) }),
    fc.record({ kind: fc.constant('child' as const), selections: tie('selections') }),
    fc.record({ kind: fc.constant('children' as const), first: fc.option(pageSize, { nil: undefined }), selections: tie('selections') }),
    fc.record({
      kind: fc.constant('page' as const),
      first: fc.option(pageSize, { nil: undefined }),
      last: fc.option(pageSize, { nil: undefined }),
      selections: tie('selections'),
    }),
    fc.record({ kind: fc.constant('limited' as const), limit: pageSize, selections: tie('selections') }),
    fc.record({ kind: fc.constant('open' as const), first: fc.option(pageSize, { nil: undefined }), selections: tie('selections') }),
  ),
  selections: fc.array(tie('selection'), { minLength: 1, maxLength: 4 }) as fc.Arbitrary<Selection[]>,
}));
const query = fc.array(selection, { minLength: 1, maxLength: 4 });

/** The model written out plainly: 1 + (page size, at least 1) × the children's cost. */
function referenceCost(selection: Selection): number {
  if (selection.kind === 'leaf') return 1;
  const children = selection.selections.reduce((sum, child) => sum + referenceCost(child), 0);
  let multiplier = 1;
  if (selection.kind === 'children') multiplier = selection.first ?? 10;
  if (selection.kind === 'page') {
    const given = [selection.first, selection.last].filter((value) => value !== undefined);
    multiplier = given.length ? Math.max(...given) : DEFAULT_PAGE_SIZE;
  }
  if (selection.kind === 'open') multiplier = selection.first ?? UNSPECIFIED_PAGE_SIZE;
  if (selection.kind === 'limited') multiplier = selection.limit;
  return 1 + Math.max(1, multiplier) * children;
}

function fieldCount(selection: Selection): number {
  return selection.kind === 'leaf' ? 1 : 1 + selection.selections.reduce((sum, child) => sum + fieldCount(child), 0);
}

// Every field gets its own alias, so that the same field with other arguments is a valid query.
function print(selections: Selection[], next = { alias: 0 }): string {
  return selections
    .map((selection) => {
      const alias = `a${next.alias++}: `;
      if (selection.kind === 'leaf') return alias + selection.field;
      const args = Object.entries(selection)
        .filter(([key, value]) => ['first', 'last', 'limit'].includes(key) && value !== undefined)
        .map(([key, value]) => `${key}: ${String(value)}`);
      return `${alias}${selection.kind}${args.length ? `(${args.join(', ')})` : ''} { ${print(selection.selections, next)} }`;
    })
    .join(' ');
}

function costOf(selections: Selection[]): number {
  return queryCost({ schema, document: parse(`{ item { ${print(selections)} } }`) });
}

describe('query cost (fast-check)', () => {
  it('equals the reference model for any nesting of paged and unpaged fields', () => {
    fc.assert(
      fc.property(query, (selections) => {
        const expected = 1 + selections.reduce((sum, s) => sum + referenceCost(s), 0);
        expect(costOf(selections)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('is never below the number of fields asked for', () => {
    fc.assert(
      fc.property(query, (selections) => {
        const fields = 1 + selections.reduce((sum, s) => sum + fieldCount(s), 0);
        expect(costOf(selections)).toBeGreaterThanOrEqual(fields);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts an operation at or below the limit and refuses it above, naming the cost and the limit', () => {
    fc.assert(
      fc.property(query, fc.integer({ min: -5, max: 5 }), (selections, offset) => {
        const document = parse(`{ item { ${print(selections)} } }`);
        const cost = queryCost({ schema, document });
        const limit = Math.max(1, cost + offset);
        const check = () => refuseCostAbove({ schema, document }, limit);
        if (cost <= limit) {
          expect(check).not.toThrow();
        } else {
          const error = (() => {
            try {
              check();
            } catch (thrown) {
              return thrown;
            }
            return undefined;
          })();
          expect(error).toBeInstanceOf(LimitExceededError);
          expect((error as LimitExceededError).extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost, limit });
          expect((error as LimitExceededError).message).toContain(`Query cost is ${cost}, above the limit of ${limit} (GRAPHQL_MAX_COST)`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('query cost', () => {
  it('takes page sizes from variables, falling back to the schema default', () => {
    const document = parse('query($n: Int) { item { children(first: $n) { id name } } }');
    expect(queryCost({ schema, document, variables: { n: 50 } })).toBe(1 + 1 + 50 * 2);
    expect(queryCost({ schema, document, variables: {} })).toBe(1 + 1 + 10 * 2);
  });

  it('counts fragments and skips what @skip leaves out', () => {
    const document = parse(`
      query($skip: Boolean!) { item { ...parts children(first: 3) @skip(if: $skip) { id } } }
      fragment parts on Item { limited(limit: 4) { ... on Item { id name } } }
    `);
    expect(queryCost({ schema, document, variables: { skip: true } })).toBe(1 + (1 + 4 * 2));
    expect(queryCost({ schema, document, variables: { skip: false } })).toBe(1 + (1 + 4 * 2) + (1 + 3 * 1));
  });

  it('refuses nothing when variables do not coerce (execution answers that)', () => {
    const document = parse('query($n: Int!) { item { children(first: $n) { id } } }');
    expect(() => refuseCostAbove({ schema, document, variables: {} }, 1)).not.toThrow();
  });
});
