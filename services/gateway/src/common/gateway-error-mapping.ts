import { HttpException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { databaseInputError } from './database-input-error';
import { GatewayErrorCode, GatewayException } from './gateway-exception';

/** A GatewayException with the HTTP status it answers with (Nest's own exceptions keep theirs). */
export type KnownGatewayError = GatewayException & { httpStatus: number };

/** The code of a status Nest answered with itself (no route, a guard's 401, a pipe's 400). */
export function codeOfHttpStatus(status: number): GatewayErrorCode {
  return status === 404 ? GatewayErrorCode.NotFound : status === 401 ? GatewayErrorCode.Unauthenticated : GatewayErrorCode.BadUserInput;
}

/**
 * What an error means to a client, for every filter: a GatewayException as it is, Nest's
 * HttpException (when `acceptsHttpStatus` takes its status) by its status, a PostgreSQL data
 * exception as BAD_USER_INPUT; undefined for an internal error, which the caller logs.
 */
export function knownGatewayError(exception: unknown, acceptsHttpStatus: (status: number) => boolean = () => true): KnownGatewayError | undefined {
  if (exception instanceof GatewayException) return exception;
  if (exception instanceof HttpException && acceptsHttpStatus(exception.getStatus())) {
    const status = exception.getStatus();
    // httpStatus is a getter on GatewayException: shadow it with the HTTP exception's own status.
    return Object.defineProperty(new GatewayException(codeOfHttpStatus(status), exception.message), 'httpStatus', { value: status });
  }
  return databaseInputError(exception);
}

/** The GraphQL error of a GatewayException: its code and offending field in `extensions`, then `extra`. */
export function graphQLErrorOf(error: GatewayException, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code, ...(error.field ? { field: error.field } : {}), ...extra } });
}
