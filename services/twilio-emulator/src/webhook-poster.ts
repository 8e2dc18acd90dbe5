import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { computeTwilioSignature } from './webhook-signature';

export interface WebhookPostOptions {
  authToken: string;
  /** Aborts waiting and in-flight attempts (the emulator is closing or was reset). */
  signal: AbortSignal;
  timeoutMs?: number;
  /** Attempts in all; only network errors and 5xx answers are retried. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

export interface WebhookResult {
  /** Status of the last answer; null when the target was never reached. */
  httpStatus: number | null;
  error: string | null;
  attempts: number;
}

/** Posts form fields the way Twilio does: signed, form-encoded, one idempotency token across retries. Never throws. */
export function postSignedForm(url: string, params: Record<string, string>, options: WebhookPostOptions): Promise<WebhookResult> {
  const headers = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'user-agent': 'TwilioProxy/1.1',
    'x-twilio-signature': computeTwilioSignature(options.authToken, url, params),
    'i-twilio-idempotency-token': randomUUID(),
  };
  return postWithRetries(url, headers, new URLSearchParams(params).toString(), options);
}

export type RetryOptions = Omit<WebhookPostOptions, 'authToken'>;

/** POSTs a body with bounded retries (network errors and 5xx only); never throws. */
export async function postWithRetries(url: string, headers: Record<string, string>, body: string | Buffer, options: RetryOptions): Promise<WebhookResult> {
  const { signal, timeoutMs = 5000, maxAttempts = 3, retryDelayMs = 100 } = options;
  let result: WebhookResult = { httpStatus: null, error: 'not attempted', attempts: 0 };

  for (let attempt = 1; attempt <= maxAttempts && !signal.aborted; attempt += 1) {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const httpStatus = await postOnce(url, headers, body, AbortSignal.any([signal, timeout]));
      result = { httpStatus, error: httpStatus >= 400 ? `HTTP ${httpStatus}` : null, attempts: attempt };
      if (httpStatus < 500) return result;
    } catch (error) {
      const message = timeout.aborted && !signal.aborted ? `no answer within ${timeoutMs} ms` : describeError(error);
      result = { httpStatus: null, error: message, attempts: attempt };
    }
    if (attempt < maxAttempts) {
      await sleep(retryDelayMs * 2 ** (attempt - 1), undefined, { signal }).catch(() => undefined);
    }
  }
  return result;
}

// node:http rather than fetch: fetch refuses the Fetch spec's "bad ports" (5060, 6000, 6665…), which a local gateway may use.
function postOnce(url: string, headers: Record<string, string>, body: string | Buffer, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
    const options = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      signal,
      // No keep-alive: a pooled socket would hold the receiving server's close() open.
      agent: false as const,
    };
    const req = send(url, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
