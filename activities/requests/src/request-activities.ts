import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Webhook } from 'standardwebhooks';
import {
  MAX_REQUEST_BODY_BYTES,
  MAX_REQUEST_TIMEOUT_MS,
  RESPONSE_HEADER_ALLOW_LIST,
  type HttpRequestInput,
  type HttpResponseOutcome,
  type RequestActivities,
  type RequestErrorType,
} from '@continuum/contracts';
import { RequestSigningSecretUnavailableError } from '@continuum/data';
import { EgressError, egressRequest, redactedUrl, type EgressPolicy, type EgressResponse } from '@continuum/egress';

/** Where the signing secrets come from: the workspace's current one, and the previous one during a rotation. */
export interface SigningSecrets {
  /** Throws RequestSigningSecretUnavailableError when the secret exists but cannot be opened here. */
  signingSecrets(workspaceId: string): Promise<string[]>;
}

export interface RequestActivityOptions {
  secrets: SigningSecrets;
  /** EGRESS_ALLOWED_NETWORKS. */
  policy: EgressPolicy;
  /** EGRESS_MAX_RESPONSE_BYTES. */
  maxResponseBytes: number;
  /** EGRESS_TIMEOUT_MS: for a request that sets no timeout. */
  defaultTimeoutMs: number;
  /** Which attempt this is (default: the activity context's). */
  attempt?: () => number;
  now?: () => Date;
}

/** Headers the signature owns: a journey may not set them. */
const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];
/** Statuses worth another attempt: the server's trouble, a timeout, or a request to slow down. */
const RETRIED_STATUS = (status: number) => status >= 500 || status === 408 || status === 429;
/** Longest Retry-After honoured (seconds); longer ones fall back to the step's backoff. */
const MAX_RETRY_AFTER_S = 60;

/** The webhook-id of a call: a hash of its key (instance, first run, step), the same on every attempt and naming no customer. */
export function webhookIdOf(requestKey: string): string {
  return `msg_${createHash('sha256').update(requestKey).digest('base64url').slice(0, 32)}`;
}

const fail = (type: RequestErrorType, message: string, nonRetryable: boolean, details?: unknown, nextRetryDelayS?: number) =>
  ApplicationFailure.create({ type, message, nonRetryable, details: details === undefined ? undefined : [details], ...(nextRetryDelayS ? { nextRetryDelay: `${nextRetryDelayS} seconds` } : {}) });

function retryAfterSeconds(value: string | string[] | undefined): number | undefined {
  const seconds = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
  return seconds !== undefined && seconds > 0 && seconds <= MAX_RETRY_AFTER_S ? seconds : undefined;
}

function outcomeOf(response: EgressResponse, attempt: number): HttpResponseOutcome {
  const headers: Record<string, string> = {};
  for (const name of RESPONSE_HEADER_ALLOW_LIST) {
    const value = response.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { httpStatus: response.status, headers, body: response.body.toString('utf8'), attempt };
}

/**
 * The HTTP request activity of `journey.request`: signs each attempt as Standard Webhooks describes
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>` with the workspace's
 * secret), sends it under the egress guard, and answers the response, or fails: retryably for a
 * timeout, a network error, a 5xx, 408 or 429 (honouring a short Retry-After), finally for a refused
 * address, an invalid request or a response over the cap.
 */
export function createRequestActivities(options: RequestActivityOptions): RequestActivities {
  const attemptOf = options.attempt ?? (() => Context.current().info.attempt);
  const now = options.now ?? (() => new Date());
  return {
    async httpRequest(input: HttpRequestInput): Promise<HttpResponseOutcome> {
      const attempt = attemptOf();
      const where = `${input.method} ${redactedUrl(input.url)}`;
      const signatureHeader = Object.keys(input.headers).find((name) => SIGNATURE_HEADERS.includes(name.toLowerCase()));
      if (signatureHeader) throw fail('InvalidRequest', `${where}: header "${signatureHeader}" is set by the request signature and may not be given`, true, { attempt });
      const bodyBytes = input.body === undefined ? 0 : Buffer.byteLength(input.body, 'utf8');
      if (bodyBytes > MAX_REQUEST_BODY_BYTES) throw fail('InvalidRequest', `${where}: the body is ${bodyBytes} bytes, more than ${MAX_REQUEST_BODY_BYTES}`, true, { attempt });
      const timeoutMs = input.timeoutMs ?? options.defaultTimeoutMs;
      if (!(Number.isInteger(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_REQUEST_TIMEOUT_MS)) {
        throw fail('InvalidRequest', `${where}: the timeout must be a whole number of ms from 1 to ${MAX_REQUEST_TIMEOUT_MS}`, true, { attempt });
      }

      const id = webhookIdOf(input.requestKey);
      const timestamp = now();
      let secrets: string[];
      try {
        secrets = await options.secrets.signingSecrets(input.workspaceId);
      } catch (error) {
        if (error instanceof RequestSigningSecretUnavailableError) throw fail('RequestSigningUnavailable', `${where}: not sent, ${error.message}`, true, { attempt });
        throw error;
      }
      const signature = secrets.map((secret) => new Webhook(secret).sign(id, timestamp, input.body ?? '')).join(' ');
      let response: EgressResponse;
      try {
        response = await egressRequest({
          url: input.url,
          method: input.method,
          headers: {
            'user-agent': 'Continuum-Journeys/1',
            ...input.headers,
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
            'webhook-signature': signature,
          },
          body: input.body,
          timeoutMs,
          maxResponseBytes: options.maxResponseBytes,
          policy: options.policy,
        });
      } catch (error) {
        if (!(error instanceof EgressError)) throw error;
        const message = `${where}: ${error.message}`;
        switch (error.kind) {
          case 'refused':
            throw fail('EgressRefused', message, true, { attempt, ...error.refusal });
          case 'invalid-url':
          case 'invalid-request':
            throw fail('InvalidRequest', message, true, { attempt });
          case 'response-too-large':
            throw fail('ResponseTooLarge', message, true, { attempt });
          case 'timeout':
            throw fail('RequestTimeout', message, false, { attempt });
          case 'network':
            throw fail('NetworkError', message, false, { attempt });
        }
      }
      const outcome = outcomeOf(response, attempt);
      if (RETRIED_STATUS(response.status)) {
        throw fail('RetryableHttpStatus', `${where} answered ${response.status}`, false, outcome, retryAfterSeconds(response.headers['retry-after']));
      }
      return outcome;
    },
  };
}
