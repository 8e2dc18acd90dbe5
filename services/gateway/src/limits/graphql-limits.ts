import { Inject, Injectable } from '@nestjs/common';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import type { GatewayConfig } from '@continuum/config';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { API_KEY_CONNECTION_PARAM } from '../auth/graphql-ws-auth';
import { GatewayErrorCode } from '../common/gateway-exception';
import { GATEWAY_CONFIG } from '../core/tokens';
import { unstorableTextError } from '../validation/storable-text.plugin';
import { LimitExceededError } from './limit-exceeded-error';
import { refuseCostAbove, type Operation } from './query-cost';
import { limitMessage, queryShapeRules } from './query-shape-rules';
import { ApiKeyRateLimiter } from './rate-limit';
import { withRequestDeadlines } from './request-deadline';
import { SubscriptionSlots } from './subscription-slots';

// graphql 16 says "more that N tokens"; later versions may fix the typo.
const TOKEN_LIMIT_MESSAGE = /Document contains more th(?:at|an) \d+ tokens/;

/** Whether a parse error is graphql's refusal of a document above `maxTokens`. */
export function isTokenLimitError(error: Error): boolean {
  return TOKEN_LIMIT_MESSAGE.test(error.message);
}

/** Hides "Did you mean …?" from validation messages, so that errors do not reveal the schema (cheap). */
export function hideFieldSuggestions(message: string): string {
  return message.replace(/ Did you mean .+\?$/, '');
}

type WsContext = Context<Record<string, unknown> | undefined, unknown>;

/**
 * The gateway's GraphQL request limits, for Apollo (HTTP) and graphql-ws alike: shape (depth,
 * aliases, directives, tokens), cost, per-key rate, concurrent subscriptions per key, and the
 * request deadline. The response size cap and the deadline's start live in GraphqlLimitsPlugin.
 */
@Injectable()
export class GraphqlLimits {
  readonly rateLimiter: ApiKeyRateLimiter;
  readonly subscriptionSlots: SubscriptionSlots;
  /** Apollo `validationRules` (and graphql-ws, through onSubscribe). */
  readonly validationRules: ValidationRule[];
  /** Apollo `parseOptions`: graphql's parser stops at GRAPHQL_MAX_TOKENS. */
  readonly parseOptions: ParseOptions;
  private schema: GraphQLSchema | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) readonly config: GatewayConfig,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {
    this.rateLimiter = new ApiKeyRateLimiter(config);
    this.subscriptionSlots = new SubscriptionSlots(config.GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY);
    this.validationRules = queryShapeRules(config);
    this.parseOptions = { maxTokens: config.GRAPHQL_MAX_TOKENS };
  }

  /** Apollo `transformSchema`: resolvers bounded by the request's deadline. */
  readonly transformSchema = (schema: GraphQLSchema): GraphQLSchema => withRequestDeadlines(schema);

  /** The schema the server runs (from GraphqlLimitsPlugin's serverWillStart), which graphql-ws operations are checked against. */
  useSchema(schema: GraphQLSchema): void {
    this.schema = schema;
  }

  /**
   * Wraps the GraphQL context factory: an HTTP request over its API key's rate is answered 429
   * RATE_LIMITED with Retry-After before its document is even parsed (Apollo answers errors thrown
   * while building the context with their `extensions.http`). graphql-ws operations are counted in onSubscribe.
   */
  rateLimitedContext<C extends object, R>(context: (ctx: C) => R | Promise<R>): (ctx: C) => Promise<R> {
    return async (ctx) => {
      const req = (ctx as { req?: { headers?: Record<string, string | string[] | undefined> } }).req;
      if (!('extra' in ctx) && req?.headers) {
        const header = req.headers['x-api-key'];
        const keyId = await this.keyIdOf(Array.isArray(header) ? header[0] : header);
        if (keyId) await this.rateLimiter.consume(keyId);
      }
      return await context(ctx);
    };
  }

  /** Throws QUERY_TOO_COMPLEX when the operation costs more than GRAPHQL_MAX_COST. */
  checkCost(operation: Operation): void {
    refuseCostAbove(operation, this.config.GRAPHQL_MAX_COST);
  }

  /** QUERY_TOO_COMPLEX for a document above GRAPHQL_MAX_TOKENS. */
  tokenLimitError(): LimitExceededError {
    const limit = this.config.GRAPHQL_MAX_TOKENS;
    return new LimitExceededError(GatewayErrorCode.QueryTooComplex, limitMessage('Token count', undefined, limit, 'GRAPHQL_MAX_TOKENS'), {
      limit,
      setting: 'GRAPHQL_MAX_TOKENS',
    });
  }

  /**
   * graphql-ws hooks: every operation is rate-limited, parsed, validated and costed as over HTTP; a
   * subscription takes one of its key's GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY slots, freed when it
   * completes, fails or its socket closes. Refusals are GraphQL errors (RATE_LIMITED, QUERY_TOO_COMPLEX).
   */
  readonly graphqlWsHooks = {
    onSubscribe: async (ctx: WsContext, id: string, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
      try {
        return await this.admitOperation(ctx, id, payload);
      } catch (error) {
        if (error instanceof GraphQLError) return [error];
        throw error;
      }
    },
    onComplete: (ctx: WsContext, id: string): void => this.subscriptionSlots.release(ctx, id),
    onError: (ctx: WsContext, id: string): void => this.subscriptionSlots.release(ctx, id),
    onClose: (ctx: WsContext): void => this.subscriptionSlots.releaseAll(ctx),
  };

  private async admitOperation(ctx: WsContext, id: string, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const schema = this.schema;
    if (!schema) throw new Error('GraphqlLimitsPlugin has not seen the server start');
    const keyId = await this.keyIdOf(ctx.connectionParams?.[API_KEY_CONNECTION_PARAM]);
    if (keyId) await this.rateLimiter.consume(keyId);
    let document: DocumentNode;
    try {
      document = parse(payload.query, this.parseOptions);
    } catch (error) {
      if (error instanceof GraphQLError && isTokenLimitError(error)) throw this.tokenLimitError();
      throw error;
    }
    const invalid = validate(schema, document, [...specifiedRules, ...this.validationRules]);
    if (invalid.length > 0) return invalid.map((error) => (error instanceof LimitExceededError ? error : new GraphQLError(hideFieldSuggestions(error.message), { nodes: error.nodes, extensions: error.extensions })));
    const unstorable = unstorableTextError(payload.variables, document);
    if (unstorable) throw unstorable;
    this.checkCost({ schema, document, variables: payload.variables, operationName: payload.operationName });
    const isSubscription = document.definitions.some(
      (definition) =>
        definition.kind === 'OperationDefinition' &&
        definition.operation === 'subscription' &&
        (!payload.operationName || definition.name?.value === payload.operationName),
    );
    // A connection is authenticated when it opens (graphql-ws-auth.ts), so its key is known here.
    if (isSubscription && keyId) this.subscriptionSlots.acquire(ctx, id, keyId);
    return { schema, document, variableValues: payload.variables ?? undefined, operationName: payload.operationName ?? undefined };
  }

  /** The id of the API key, or undefined when it is missing or unknown (the guard then answers UNAUTHENTICATED). */
  private async keyIdOf(key: unknown): Promise<string | undefined> {
    if (typeof key !== 'string' || key === '') return undefined;
    try {
      return (await this.authenticator.authenticate(key)).keyId;
    } catch {
      return undefined;
    }
  }
}
