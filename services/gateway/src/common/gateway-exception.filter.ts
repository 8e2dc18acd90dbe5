import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import { databaseInputError } from './database-input-error';
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
      const { refused, retryAfterSeconds } = exception as { refused?: unknown; retryAfterSeconds?: unknown };
      return new GraphQLError(error.message, {
        extensions: {
          code: error.code,
          ...(error.field ? { field: error.field } : {}),
          ...(Array.isArray(refused) ? { refused } : {}),
          ...(typeof retryAfterSeconds === 'number' ? { retryAfter: retryAfterSeconds } : {}),
        },
      });
    }
    const response = host.switchToHttp().getResponse<Response>();
    response.status(error.httpStatus).json({ error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } });
    return undefined;
  }

  private normalise(exception: unknown): GatewayException & { httpStatus: number } {
    if (exception instanceof GatewayException) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = status === 404 ? GatewayErrorCode.NotFound : status === 401 ? GatewayErrorCode.Unauthenticated : GatewayErrorCode.BadUserInput;
      const wrapped = new GatewayException(code, exception.message);
      // httpStatus is a getter on GatewayException: shadow it with the HTTP exception's own status.
      return Object.defineProperty(wrapped, 'httpStatus', { value: status });
    }
    const badValue = databaseInputError(exception);
    if (badValue) return badValue;
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return Object.defineProperty(new GatewayException(GatewayErrorCode.Unavailable, 'Internal error; the request was not completed'), 'httpStatus', { value: 500 });
  }
}
