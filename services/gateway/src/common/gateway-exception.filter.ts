import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import { graphQLErrorOf, knownGatewayError, type KnownGatewayError } from './gateway-error-mapping';
import { GatewayErrorCode, GatewayException } from './gateway-exception';

/** One place that turns errors into GraphQL errors with a code, or HTTP 4xx/5xx JSON. */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    // Already a GraphQL error with its code (e.g. from a field resolver's own mapping): keep it.
    if (exception instanceof GraphQLError && host.getType<GqlContextType>() === 'graphql') return exception;
    const error = this.normalise(exception);
    if (host.getType<GqlContextType>() === 'graphql') {
      const { refused, retryAfterSeconds, requiredScope } = exception as { refused?: unknown; retryAfterSeconds?: unknown; requiredScope?: unknown };
      return graphQLErrorOf(error, {
        ...(Array.isArray(refused) ? { refused } : {}),
        ...(typeof requiredScope === 'string' ? { requiredScope } : {}),
        ...(typeof retryAfterSeconds === 'number' ? { retryAfter: retryAfterSeconds } : {}),
      });
    }
    const response = host.switchToHttp().getResponse<Response>();
    const { requiredScope } = exception as { requiredScope?: unknown };
    response.status(error.httpStatus).json({
      error: {
        code: error.code,
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
        ...(typeof requiredScope === 'string' ? { requiredScope } : {}),
      },
    });
    return undefined;
  }

  private normalise(exception: unknown): KnownGatewayError {
    const known = knownGatewayError(exception);
    if (known) return known;
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return Object.defineProperty(new GatewayException(GatewayErrorCode.Unavailable, 'Internal error; the request was not completed'), 'httpStatus', { value: 500 });
  }
}
