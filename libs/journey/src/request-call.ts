import { ActivityFailure, ApplicationFailure, TimeoutFailure, workflowInfo } from '@temporalio/workflow';
import {
  MAX_REQUEST_ATTEMPTS,
  MAX_REQUEST_TIMEOUT_MS,
  REQUEST_METHODS,
  type HttpResponseOutcome,
  type RequestErrorType,
  type RequestMethod,
} from '@continuum/contracts';
import { requests } from './activities';
import { toMs, type DurationInput } from './payload';

/** A JSON value a request body may be (sent as `application/json`). */
export type JsonBody = { [key: string]: unknown } | unknown[];

export interface RequestOptions {
  /** http or https; its host must resolve to public addresses (or networks EGRESS_ALLOWED_NETWORKS allows). */
  url: string;
  /** Default: POST with a body, GET without. */
  method?: RequestMethod;
  headers?: Record<string, string>;
  /** A string is sent as is; an object or array as JSON (with `content-type: application/json` unless given). */
  body?: string | JsonBody;
  /** Each attempt's limit, connect to last byte (default EGRESS_TIMEOUT_MS, at most 60 s). */
  timeout?: DurationInput;
  /** Attempts in all, retried with backoff (1 s, 2 s, 4 s, … up to 30 s) for timeouts, network errors, 5xx, 408 and 429 (default 5, at most 10). */
  attempts?: number;
}

/**
 * Why a request step has no usable response:
 * - `refused`: the host is, or resolves to, an address outbound calls may not reach;
 * - `invalid-request`: a bad URL, method, header, body or option;
 * - `http-error`: the server answered an error status (4xx at once; 5xx, 408, 429 after the last attempt);
 * - `redirect`: the server answered 3xx (redirects are not followed; `headers.location` says where);
 * - `timeout`, `network`: the last attempt timed out or could not connect;
 * - `response-too-large`: the response body was over EGRESS_MAX_RESPONSE_BYTES;
 * - `signing-unavailable`: the workspace's signing secret cannot be opened on this worker (nothing was sent).
 */
export type RequestFailureReason = 'refused' | 'invalid-request' | 'http-error' | 'redirect' | 'timeout' | 'network' | 'response-too-large' | 'signing-unavailable';

export type RequestResult =
  | {
      status: 'ok';
      httpStatus: number;
      /** Allow-listed response headers: content-type, content-length, location, retry-after, etag, last-modified, x-request-id. */
      headers: Record<string, string>;
      body: string;
      /** The body parsed, when the response is JSON (`content-type` …json) and parses. */
      json?: unknown;
      /** Which attempt got the response. */
      attempts: number;
    }
  | {
      status: 'failed';
      reason: RequestFailureReason;
      message: string;
      /** With `http-error` and `redirect`: the status, headers and body of the last response. */
      httpStatus?: number;
      headers?: Record<string, string>;
      body?: string;
      /** Attempts made (0 when the request was invalid before any). */
      attempts: number;
    };

const REASONS: Record<RequestErrorType, RequestFailureReason> = {
  EgressRefused: 'refused',
  InvalidRequest: 'invalid-request',
  ResponseTooLarge: 'response-too-large',
  RequestSigningUnavailable: 'signing-unavailable',
  RequestTimeout: 'timeout',
  NetworkError: 'network',
  RetryableHttpStatus: 'http-error',
};

const invalid = (message: string): RequestResult => ({ status: 'failed', reason: 'invalid-request', message, attempts: 0 });

function parseJson(outcome: HttpResponseOutcome): unknown {
  if (!/\bjson\b/i.test(outcome.headers['content-type'] ?? '')) return undefined;
  try {
    return JSON.parse(outcome.body) as unknown;
  } catch {
    return undefined;
  }
}

function resultOf(outcome: HttpResponseOutcome): RequestResult {
  if (outcome.httpStatus >= 200 && outcome.httpStatus < 300) {
    const json = parseJson(outcome);
    return { status: 'ok', httpStatus: outcome.httpStatus, headers: outcome.headers, body: outcome.body, ...(json !== undefined ? { json } : {}), attempts: outcome.attempt };
  }
  const redirect = outcome.httpStatus >= 300 && outcome.httpStatus < 400;
  return {
    status: 'failed',
    reason: redirect ? 'redirect' : 'http-error',
    message: redirect ? `answered ${outcome.httpStatus} (redirects are not followed)` : `answered ${outcome.httpStatus}`,
    httpStatus: outcome.httpStatus,
    headers: outcome.headers,
    body: outcome.body,
    attempts: outcome.attempt,
  };
}

/** Makes the request through the request activity: a failure is a value, never an exception. */
export async function callRequest(workspaceId: string, step: string, options: RequestOptions): Promise<RequestResult> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  if (!(REQUEST_METHODS as readonly string[]).includes(method)) return invalid(`method must be one of ${REQUEST_METHODS.join(', ')}, not ${String(method)}`);
  const attempts = options.attempts ?? 5;
  if (!(Number.isInteger(attempts) && attempts >= 1 && attempts <= MAX_REQUEST_ATTEMPTS)) return invalid(`attempts must be a whole number from 1 to ${MAX_REQUEST_ATTEMPTS}`);
  let timeoutMs: number | undefined;
  try {
    timeoutMs = options.timeout === undefined ? undefined : toMs(options.timeout);
  } catch (error) {
    return invalid(`timeout: ${(error as Error).message}`);
  }
  if (timeoutMs !== undefined && !(timeoutMs >= 1 && timeoutMs <= MAX_REQUEST_TIMEOUT_MS)) return invalid(`timeout must be from 1 ms to ${MAX_REQUEST_TIMEOUT_MS / 1000} s`);
  const headers = { ...options.headers };
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const info = workflowInfo();
  try {
    const outcome = await requests(`request ${step}`, attempts, timeoutMs ?? MAX_REQUEST_TIMEOUT_MS).httpRequest({
      workspaceId,
      requestKey: `${info.workflowId}\u0000${info.firstExecutionRunId}\u0000${step}`,
      url: options.url,
      method: method as RequestMethod,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs: Math.round(timeoutMs) } : {}),
    });
    return resultOf(outcome);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure ? error.cause : undefined;
    const detail = cause?.details?.[0] as (Partial<HttpResponseOutcome> & { attempt?: number }) | undefined;
    if (cause?.type === 'RetryableHttpStatus' && detail?.httpStatus !== undefined) return resultOf(detail as HttpResponseOutcome);
    // An attempt that outlived the activity's own timeout (a stuck secret read) counts as a timeout.
    const reason = error.cause instanceof TimeoutFailure ? 'timeout' : (REASONS[(cause?.type ?? '') as RequestErrorType] ?? 'network');
    return { status: 'failed', reason, message: cause?.message ?? error.cause?.message ?? error.message, attempts: detail?.attempt ?? attempts };
  }
}

/** The URL as the journal shows it: no credentials, query or fragment (they may carry tokens). */
export function journalUrl(url: string): string {
  const withoutCredentials = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');
  const cut = withoutCredentials.search(/[?#]/);
  return (cut === -1 ? withoutCredentials : `${withoutCredentials.slice(0, cut)}?…`).slice(0, 500);
}

/** The journal entry's detail of a request step: what was called and how it ended, never the bodies. */
export function requestJournalDetail(options: RequestOptions, result: RequestResult): Record<string, unknown> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const common = { method, url: journalUrl(options.url), attempts: result.attempts };
  if (result.status === 'ok') return { ...common, httpStatus: result.httpStatus, bytes: result.body.length };
  return { ...common, reason: result.reason, message: result.message, ...(result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {}) };
}
