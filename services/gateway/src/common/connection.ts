import { Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import { GatewayException } from './gateway-exception';
import type { PageInfo } from './models/page-info.model';
import { MAX_PAGE_SIZE } from './relay-pagination';

/** The page size when a query gives neither `first` nor `last`. */
export const DEFAULT_PAGE_SIZE = 20;

/** The Relay arguments of a connection field as GraphQL passes them. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * What to fetch: `limit + 1` rows past `after` in the connection's order (forward), or `limit + 1`
 * rows before `before` in the reverse order (backward). The extra row says whether there is more.
 */
export interface PageRequest<P> {
  limit: number;
  backward: boolean;
  after?: P;
  before?: P;
}

/** A page of a connection: edges in the connection's order, their nodes, and a count asked for only when queried. */
export interface ConnectionPage<N> {
  edges: Array<{ cursor: string; node: N }>;
  nodes: N[];
  pageInfo: PageInfo;
  /** Counts every item the connection's filters match, on every page; see {@link totalCountResolver}. */
  countTotal: () => Promise<number>;
}

function pageSize(name: 'first' | 'last', value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw GatewayException.badInput(name, `must be between 1 and ${MAX_PAGE_SIZE}, got ${value}`);
  }
  return value;
}

/**
 * Validates Relay arguments and decodes their cursors: `first`/`after` pages forward, `last`/`before`
 * backward; giving both sizes, both cursors, or a cursor of the other direction is BAD_USER_INPUT
 * naming the argument at fault. `decode` gets the name of the argument the cursor came in.
 */
export function pageRequest<P>(args: PageArgs, decode: (cursor: string, argument: 'after' | 'before') => P): PageRequest<P> {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw GatewayException.badInput('last', 'give either first or last, not both');
  if (after != null && before != null) throw GatewayException.badInput('before', 'give either after or before, not both');
  if (last != null) {
    if (after != null) throw GatewayException.badInput('after', 'pages backward with last take before, not after');
    return { limit: pageSize('last', last), backward: true, ...(before != null ? { before: decode(before, 'before') } : {}) };
  }
  if (before != null) throw GatewayException.badInput('before', 'pages forward with first take after, not before; use last with before');
  return { limit: pageSize('first', first ?? DEFAULT_PAGE_SIZE), backward: false, ...(after != null ? { after: decode(after, 'after') } : {}) };
}

/**
 * The page made of the rows a store fetched for `request` (at most `limit + 1`, in fetch order: the
 * connection's order forward, its reverse backward). Edges always come in the connection's order.
 * Forward, a previous page exists when the page starts after a cursor; backward, a next page exists
 * when it ends before one (the row of the cursor itself), as Relay allows.
 */
export function pageOf<R, N>(
  fetched: readonly R[],
  request: PageRequest<unknown>,
  edge: (row: R) => { cursor: string; node: N },
  countTotal: () => Promise<number>,
): ConnectionPage<N> {
  const more = fetched.length > request.limit;
  const rows = fetched.slice(0, request.limit);
  if (request.backward) rows.reverse();
  const edges = rows.map(edge);
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: request.backward ? request.before !== undefined : more,
      hasPreviousPage: request.backward ? more : request.after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    countTotal,
  };
}

/**
 * The resolver of `totalCount` on a connection type: the count runs only when a query selects the
 * field, so that a page costs no COUNT. Register the returned class as a provider of the module.
 */
export function totalCountResolver(connection: Type<unknown>, description: string): Type<unknown> {
  @Resolver(() => connection)
  class TotalCountResolver {
    @ResolveField(() => Int, { description })
    totalCount(@Parent() page: Pick<ConnectionPage<unknown>, 'countTotal'>): Promise<number> {
      return page.countTotal();
    }
  }
  Object.defineProperty(TotalCountResolver, 'name', { value: `${connection.name}TotalCountResolver` });
  return TotalCountResolver;
}
