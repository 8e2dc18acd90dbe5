/** Error codes a client can act on; the exception filter maps them to GraphQL and HTTP errors. */
export enum GatewayErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  /** The target exists but is not in a state the action applies to (e.g. ending an ended instance). */
  FailedPrecondition = 'FAILED_PRECONDITION',
  /** The request conflicts with an earlier one (an idempotency key reused for something else). */
  Conflict = 'CONFLICT',
  Unavailable = 'SERVICE_UNAVAILABLE',
  /** Too many requests or subscriptions for one API key; retry after `extensions.retryAfter` seconds. */
  RateLimited = 'RATE_LIMITED',
  /** A GraphQL operation above a depth, alias, directive, token or cost limit; nothing ran. */
  QueryTooComplex = 'QUERY_TOO_COMPLEX',
  /** A GraphQL response larger than the response size limit; ask for less (smaller pages). */
  ResponseTooLarge = 'RESPONSE_TOO_LARGE',
  /** A GraphQL request that ran longer than its time limit; unfinished fields were abandoned. */
  Timeout = 'TIMEOUT',
}

const HTTP_STATUS: Record<GatewayErrorCode, number> = {
  [GatewayErrorCode.BadUserInput]: 400,
  [GatewayErrorCode.Unauthenticated]: 401,
  [GatewayErrorCode.Forbidden]: 403,
  [GatewayErrorCode.NotFound]: 404,
  [GatewayErrorCode.FailedPrecondition]: 409,
  [GatewayErrorCode.Conflict]: 409,
  [GatewayErrorCode.Unavailable]: 503,
  [GatewayErrorCode.RateLimited]: 429,
  [GatewayErrorCode.QueryTooComplex]: 400,
  [GatewayErrorCode.ResponseTooLarge]: 400,
  [GatewayErrorCode.Timeout]: 504,
};

export class GatewayException extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'GatewayException';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  static badInput(field: string, message: string): GatewayException {
    return new GatewayException(GatewayErrorCode.BadUserInput, `${field}: ${message}`, field);
  }
}
