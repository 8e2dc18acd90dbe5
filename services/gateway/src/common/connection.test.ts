import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, pageOf, pageRequest, type PageArgs, type PageRequest } from './connection';
import { GatewayErrorCode, GatewayException } from './gateway-exception';
import { decodePosition, encodePosition } from './relay-pagination';

/**
 * A store over sorted distinct numbers that fetches as the real stores do: `limit + 1` rows past
 * `after` in order, or `limit + 1` rows before `before` nearest first (reverse order).
 */
function fetch(rows: readonly number[], request: PageRequest<number>): number[] {
  const inside = rows.filter((row) => (request.after === undefined || row > request.after) && (request.before === undefined || row < request.before));
  return (request.backward ? [...inside].reverse() : inside).slice(0, request.limit + 1);
}

const decode = (cursor: string, argument: 'after' | 'before') => Number(decodePosition(cursor, ['n'] as const, (p) => /^-?\d+$/.test(p.n), argument).n);
const cursorOf = (row: number) => encodePosition({ n: String(row) });

function page(rows: readonly number[], args: PageArgs) {
  const request = pageRequest(args, decode);
  let counted = 0;
  const result = pageOf(fetch(rows, request), request, (row) => ({ cursor: cursorOf(row), node: row }), () => Promise.resolve(++counted && rows.length));
  return { ...result, counted: () => counted };
}

/** Every page from the start with `first`, checking the page flags on the way. */
function walkForward(rows: readonly number[], size: number): number[][] {
  const pages: number[][] = [];
  let after: string | null = null;
  for (;;) {
    const p = page(rows, { first: size, after });
    expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(p.nodes).toEqual(p.edges.map((edge) => edge.node));
    expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor ?? null);
    expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)?.cursor ?? null);
    pages.push(p.nodes);
    if (!p.pageInfo.hasNextPage) return pages;
    expect(p.nodes).toHaveLength(size);
    after = p.pageInfo.endCursor;
  }
}

/** Every page from the end with `last`, checking the page flags on the way; pages in the order met. */
function walkBackward(rows: readonly number[], size: number): number[][] {
  const pages: number[][] = [];
  let before: string | null = null;
  for (;;) {
    const p = page(rows, { last: size, before });
    expect(p.pageInfo.hasNextPage).toBe(before !== null);
    expect(p.nodes).toEqual(p.edges.map((edge) => edge.node));
    pages.push(p.nodes);
    if (!p.pageInfo.hasPreviousPage) return pages;
    expect(p.nodes).toHaveLength(size);
    before = p.pageInfo.startCursor;
  }
}

function badInput(run: () => unknown): GatewayException {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayException);
    expect((error as GatewayException).code).toBe(GatewayErrorCode.BadUserInput);
    return error as GatewayException;
  }
  throw new Error('expected BAD_USER_INPUT');
}

const sortedRows = fc.uniqueArray(fc.integer({ min: -10_000, max: 10_000 }), { maxLength: 250 }).map((rows) => rows.sort((a, b) => a - b));

describe('Relay connection pages (fast-check)', () => {
  it('walks every row once in order forward, and backward gives the same pages reversed, at any size 1..100', () => {
    fc.assert(
      fc.property(sortedRows, fc.integer({ min: 1, max: 100 }), (rows, size) => {
        const forward = walkForward(rows, size);
        const backward = walkBackward(rows, size);
        expect(forward.flat()).toEqual(rows);
        expect([...backward].reverse().flat()).toEqual(rows);
        // Each backward page is in forward order and the last one holds the last `size` rows.
        expect(backward[0]).toEqual(rows.slice(-size));
      }),
    );
  });

  it('pages the other way from any edge of a page back to the rows around it', () => {
    fc.assert(
      fc.property(sortedRows.filter((rows) => rows.length > 0), fc.nat(), fc.integer({ min: 1, max: 100 }), (rows, at, size) => {
        const index = at % rows.length;
        const cursor = cursorOf(rows[index]!);
        expect(page(rows, { first: size, after: cursor }).nodes).toEqual(rows.slice(index + 1, index + 1 + size));
        expect(page(rows, { last: size, before: cursor }).nodes).toEqual(rows.slice(Math.max(0, index - size), index));
      }),
    );
  });

  it('counts only when totalCount is resolved', async () => {
    const p = page([1, 2, 3], { first: 2 });
    expect(p.counted()).toBe(0);
    expect(await p.countTotal()).toBe(3);
    expect(p.counted()).toBe(1);
  });

  it(`takes ${DEFAULT_PAGE_SIZE} forward when neither first nor last is given`, () => {
    const rows = Array.from({ length: 30 }, (_, i) => i);
    expect(page(rows, {}).nodes).toEqual(rows.slice(0, DEFAULT_PAGE_SIZE));
    expect(page(rows, { first: null, last: null, after: null, before: null }).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('refuses sizes outside 1..100 naming first or last', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 101 }), fc.double({ min: 1.01, max: 99.99, noInteger: true })), (size) => {
        expect(badInput(() => pageRequest({ first: size }, decode)).field).toBe('first');
        expect(badInput(() => pageRequest({ last: size }, decode)).field).toBe('last');
      }),
    );
  });

  it('refuses first with last, after with before, and a cursor of the other direction, naming the argument', () => {
    const cursor = cursorOf(1);
    expect(badInput(() => pageRequest({ first: 2, last: 2 }, decode)).field).toBe('last');
    expect(badInput(() => pageRequest({ first: 2, after: cursor, before: cursor }, decode)).field).toBe('before');
    expect(badInput(() => pageRequest({ last: 2, after: cursor }, decode)).field).toBe('after');
    expect(badInput(() => pageRequest({ first: 2, before: cursor }, decode)).field).toBe('before');
    expect(badInput(() => pageRequest({ before: cursor }, decode)).message).toMatch(/^before: .*use last with before/);
  });

  it('refuses any string that is no cursor it handed out, naming the argument it came in', () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !/^-?\d+$/.test(Buffer.from(s, 'base64').toString('utf8'))), (junk) => {
        const notOurs = (error: GatewayException) => expect(error.message).toContain('is not a cursor from a previous page');
        const afterError = badInput(() => pageRequest({ first: 1, after: junk }, decode));
        expect(afterError.field).toBe('after');
        notOurs(afterError);
        const beforeError = badInput(() => pageRequest({ last: 1, before: junk }, decode));
        expect(beforeError.field).toBe('before');
        notOurs(beforeError);
      }),
    );
  });
});
