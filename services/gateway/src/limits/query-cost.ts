import { type DocumentNode, type GraphQLField, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../common/connection';
import { GatewayErrorCode } from '../common/gateway-exception';
import { LimitExceededError } from './limit-exceeded-error';
import { limitMessage } from './query-shape-rules';

/** Arguments that say how many items a field returns; their value multiplies the cost of what it pages. */
export const PAGE_SIZE_ARGUMENTS: readonly string[] = ['first', 'last', 'limit'];

/** The page size assumed for a paging argument that is neither given nor defaulted by the schema. */
export const UNSPECIFIED_PAGE_SIZE = 100;

/**
 * How many times a field's children are resolved: the largest paging argument given (or its schema
 * default), at least 1; a Relay connection (`first` and `last`) given neither pages DEFAULT_PAGE_SIZE,
 * as it does; UNSPECIFIED_PAGE_SIZE for another paging argument left empty; 1 without one.
 */
export function pageSizeOf(field: Pick<GraphQLField<unknown, unknown>, 'args'>, args: Record<string, unknown>): number {
  const paging = field.args.filter((arg) => PAGE_SIZE_ARGUMENTS.includes(arg.name));
  if (paging.length === 0) return 1;
  const given = paging.map((arg) => args[arg.name]).filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const relay = paging.some((arg) => arg.name === 'first') && paging.some((arg) => arg.name === 'last');
  if (given.length === 0) return relay ? DEFAULT_PAGE_SIZE : UNSPECIFIED_PAGE_SIZE;
  return Math.max(1, Math.floor(Math.max(...given)));
}

/** Cost of a field = 1 + (its children's cost × its page size); a leaf costs 1. */
export const pagedCostEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => 1 + pageSizeOf(field, args) * childComplexity;

/**
 * The cost of the operation named (or the only one) in a validated document, with its variables.
 * Of a union or interface selection, the costliest type counts. Throws on variables that do not coerce.
 */
export interface Operation {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export function queryCost(options: Operation): number {
  return getComplexity({
    schema: options.schema,
    query: options.document,
    variables: options.variables ?? {},
    operationName: options.operationName ?? undefined,
    estimators: [pagedCostEstimator],
    // The default (10,000) would refuse large valid documents with a message of its own; the token limit bounds size.
    maxQueryNodes: Number.MAX_SAFE_INTEGER,
  });
}


/** Throws QUERY_TOO_COMPLEX naming the cost and the limit when the operation costs more than `maxCost`. */
export function refuseCostAbove(operation: Operation, maxCost: number): void {
  let cost: number;
  try {
    cost = queryCost(operation);
  } catch {
    // Variables that do not coerce: execution refuses them with its own message before anything runs.
    return;
  }
  if (cost <= maxCost) return;
  throw new LimitExceededError(
    GatewayErrorCode.QueryTooComplex,
    `${limitMessage('Query cost', cost, maxCost, 'GRAPHQL_MAX_COST')}: each field costs 1 plus its children, and first/last/limit multiplies what it pages; ask for smaller pages or fewer fields`,
    { cost, limit: maxCost, setting: 'GRAPHQL_MAX_COST' },
  );
}
