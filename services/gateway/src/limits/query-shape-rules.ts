import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { GatewayConfig } from '@continuum/config';
import { GatewayErrorCode } from '../common/gateway-exception';
import { LimitExceededError } from './limit-exceeded-error';

export type QueryShapeLimits = Pick<GatewayConfig, 'GRAPHQL_MAX_DEPTH' | 'GRAPHQL_MAX_ALIASES' | 'GRAPHQL_MAX_DIRECTIVES'>;

/** `Query depth is 12, above the limit of 10 (GRAPHQL_MAX_DEPTH)`, with the figures in extensions too. */
export function limitMessage(label: string, actual: number | undefined, limit: number, setting: string): string {
  return actual === undefined ? `${label} is above the limit of ${limit} (${setting})` : `${label} is ${actual}, above the limit of ${limit} (${setting})`;
}

function refuse(label: string, limit: number, setting: string) {
  return (context: ValidationContext | null, armorError: GraphQLError): void => {
    // GraphQL Armor says "… exceeded, found 12."; the figure is all we take from it.
    const found = /found (\d+)/.exec(armorError.message)?.[1];
    const actual = found === undefined ? undefined : Number(found);
    context?.reportError(
      new LimitExceededError(GatewayErrorCode.QueryTooComplex, limitMessage(label, actual, limit, setting), { limit, actual, setting }),
    );
  };
}

/**
 * Validation rules (GraphQL Armor) refusing operations too deep, with too many aliases or too many
 * directives, with QUERY_TOO_COMPLEX naming the setting. Introspection is exempt from the depth
 * limit; fragments add no depth of their own. Tokens are counted by graphql's parser itself
 * (`maxTokens`, which stops reading early) and cost by query-cost.ts, so Armor's are off.
 */
export function queryShapeRules(limits: QueryShapeLimits): ValidationRule[] {
  const { GRAPHQL_MAX_DEPTH: depth, GRAPHQL_MAX_ALIASES: aliases, GRAPHQL_MAX_DIRECTIVES: directives } = limits;
  const { validationRules } = new ApolloArmor({
    maxDepth: { n: depth, flattenFragments: true, propagateOnRejection: false, onReject: [refuse('Query depth', depth, 'GRAPHQL_MAX_DEPTH')] },
    maxAliases: { n: aliases, propagateOnRejection: false, onReject: [refuse('Alias count', aliases, 'GRAPHQL_MAX_ALIASES')] },
    maxDirectives: { n: directives, propagateOnRejection: false, onReject: [refuse('Directive count', directives, 'GRAPHQL_MAX_DIRECTIVES')] },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return validationRules as ValidationRule[];
}
