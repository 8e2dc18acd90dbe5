import { GraphQLError } from 'graphql';
import { GatewayException, type GatewayErrorCode } from '../common/gateway-exception';

/**
 * A GraphQL request refused or cut short by one of the gateway's limits. `extensions.http` sets the
 * HTTP status (and headers such as Retry-After) of the answer; Apollo removes it from the body.
 */
export class LimitExceededError extends GraphQLError {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    const status = new GatewayException(code, message).httpStatus;
    super(message, { extensions: { code, ...details, http: { status, headers: new Map(Object.entries(headers)) } } });
    this.name = 'LimitExceededError';
  }

  /** As sent over graphql-ws, where `extensions.http` means nothing. */
  override toJSON(): ReturnType<GraphQLError['toJSON']> {
    const json = super.toJSON();
    const { http: _http, ...extensions } = json.extensions ?? {};
    return { ...json, extensions };
  }
}

/** The limit error behind an error Apollo wrapped (its validation and syntax errors set their own code). */
export function limitErrorBehind(error: GraphQLError): LimitExceededError | undefined {
  if (error instanceof LimitExceededError) return error;
  return error.originalError instanceof LimitExceededError ? error.originalError : undefined;
}
