import type { ApolloServerPlugin, GraphQLRequestListener, GraphQLServerContext } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import type { GraphQLError } from 'graphql';
import { GatewayErrorCode } from '../common/gateway-exception';
import { GraphqlLimits, hideFieldSuggestions, isTokenLimitError } from './graphql-limits';
import { limitErrorBehind } from './limit-exceeded-error';
import { limitMessage } from './query-shape-rules';
import { endDeadline, startDeadline } from './request-deadline';

type Context = Record<string, unknown>;

/**
 * The Apollo side of GraphqlLimits: starts each request's deadline (GRAPHQL_TIMEOUT_MS), refuses
 * operations above GRAPHQL_MAX_COST, gives limit errors their own code (Apollo labels every
 * validation and syntax error with one of its own), and replaces a response larger than
 * GRAPHQL_MAX_RESPONSE_BYTES with RESPONSE_TOO_LARGE.
 */
@Plugin()
export class GraphqlLimitsPlugin implements ApolloServerPlugin<Context> {
  constructor(private readonly limits: GraphqlLimits) {}

  async serverWillStart({ schema }: GraphQLServerContext): Promise<void> {
    this.limits.useSchema(schema);
  }

  async requestDidStart({ contextValue }: { contextValue: Context }): Promise<GraphQLRequestListener<Context>> {
    startDeadline(contextValue, this.limits.config.GRAPHQL_TIMEOUT_MS);
    const limits = this.limits;
    return {
      async didResolveOperation({ schema, document, request, operationName }) {
        limits.checkCost({ schema, document, variables: request.variables, operationName });
      },
      async didEncounterErrors({ errors }) {
        for (const error of errors) restoreLimitCode(error, limits);
      },
      async willSendResponse({ response, contextValue }) {
        endDeadline(contextValue);
        if (response.body.kind !== 'single') return;
        const maxBytes = limits.config.GRAPHQL_MAX_RESPONSE_BYTES;
        // Apollo serializes the same way right after this hook; measuring costs one more serialization.
        const bytes = Buffer.byteLength(JSON.stringify(response.body.singleResult));
        if (bytes <= maxBytes) return;
        response.body.singleResult = {
          errors: [
            {
              message: `${limitMessage('Response size', bytes, maxBytes, 'GRAPHQL_MAX_RESPONSE_BYTES')} bytes; ask for fewer fields or smaller pages`,
              extensions: { code: GatewayErrorCode.ResponseTooLarge, bytes, limit: maxBytes, setting: 'GRAPHQL_MAX_RESPONSE_BYTES' },
            },
          ],
        };
        response.http.status = 400;
      },
    };
  }
}

/** Apollo wraps validation and syntax errors in errors of its own code; limit errors keep theirs. */
function restoreLimitCode(error: GraphQLError, limits: GraphqlLimits): void {
  const extensions = error.extensions as Record<string, unknown>;
  const limitError = limitErrorBehind(error);
  if (limitError) {
    extensions['code'] = limitError.code;
    return;
  }
  if (extensions['code'] === 'GRAPHQL_PARSE_FAILED' && isTokenLimitError(error)) {
    const refusal = limits.tokenLimitError();
    error.message = refusal.message;
    Object.assign(extensions, refusal.extensions);
    return;
  }
  if (extensions['code'] === 'GRAPHQL_VALIDATION_FAILED') error.message = hideFieldSuggestions(error.message);
}
