/**
 * HTTP requests a journey makes (`journey.request`): what the workflow hands the request activity
 * and what comes back. Shared by workflow code and the activity: keep this file free of drivers.
 */

export const REQUEST_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RequestMethod = (typeof REQUEST_METHODS)[number];

/** Response headers handed back to the journey (others are dropped). */
export const RESPONSE_HEADER_ALLOW_LIST = ['content-type', 'content-length', 'location', 'retry-after', 'etag', 'last-modified', 'x-request-id'] as const;

export interface HttpRequestInput {
  workspaceId: string;
  /**
   * Names the call: instance, first run and step. The activity hashes it into the `webhook-id`
   * header, so every attempt of one step of one instance carries the same id (receivers de-duplicate).
   */
  requestKey: string;
  url: string;
  method: RequestMethod;
  headers: Record<string, string>;
  /** The body as sent (a JSON body already serialised by the journey library). */
  body?: string;
  timeoutMs?: number;
}

/** A response the journey receives (any status the activity does not retry, or the last one retried). */
export interface HttpResponseOutcome {
  httpStatus: number;
  headers: Record<string, string>;
  /** The body as text (UTF-8), at most EGRESS_MAX_RESPONSE_BYTES. */
  body: string;
  /** Which attempt got it (1: the first). */
  attempt: number;
}

/**
 * Why the request activity failed (the ApplicationFailure type): the first four are final, the
 * others are retried with backoff until the step's attempts run out.
 */
export const REQUEST_FINAL_ERROR_TYPES = ['EgressRefused', 'InvalidRequest', 'ResponseTooLarge', 'RequestSigningUnavailable'] as const;
export const REQUEST_RETRIED_ERROR_TYPES = ['RequestTimeout', 'NetworkError', 'RetryableHttpStatus'] as const;
export type RequestErrorType = (typeof REQUEST_FINAL_ERROR_TYPES)[number] | (typeof REQUEST_RETRIED_ERROR_TYPES)[number];

export interface RequestActivities {
  /**
   * Makes one signed HTTP request (Standard Webhooks headers, the workspace's secret) under the
   * egress guard. Throws a retryable failure for a timeout, a network error, a 5xx, 408 or 429
   * (the response, when there was one, in its details); answers every other status.
   */
  httpRequest(input: HttpRequestInput): Promise<HttpResponseOutcome>;
}

/** Longest request body a journey may send (bytes of UTF-8). */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;
/** Bounds of a step's attempts and timeout. */
export const MAX_REQUEST_ATTEMPTS = 10;
export const MAX_REQUEST_TIMEOUT_MS = 60_000;
