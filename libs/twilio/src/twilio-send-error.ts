/** Twilio error codes that fail the same way on every retry: the recipient, sender or content is unusable. */
const PERMANENT_CODES: ReadonlySet<number> = new Set([
  21211, // invalid 'To' number
  21212, // invalid 'From' number
  21408, // region not enabled for the account
  21602, // body (or media/content) required
  21603, // 'From' or MessagingServiceSid required
  21604, // 'To' required
  21606, // 'From' not a valid, SMS-capable number of the account
  21609, // invalid StatusCallback URL
  21610, // recipient unsubscribed (replied STOP)
  21612, // cannot route to this number
  21614, // 'To' is not a mobile number
  21617, // body over 1600 characters
  21620, // media URL not http(s)
  21654, // ContentVariables without ContentSid
  21655, // ContentSid not an approved template of the account
  21656, // ContentVariables not a JSON object of non-empty strings, or a placeholder without a value
  21701, // Messaging Service does not exist in the account
  21705, // Messaging Service SID malformed
  21910, // From and To on different channels (e.g. whatsapp: To with an SMS From)
  63016, // WhatsApp free-form outside the 24-hour window: only a template will do
  63106, // handset not RCS capable (rcs: recipient, no fallback)
]);

/** Codes Twilio answers with a 4xx that nevertheless clear up by themselves. */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  20429, // too many requests
  21611, // sender's queue is full
]);

const PERMANENT_HTTP_STATUSES: ReadonlySet<number> = new Set([400, 404, 413, 422]);

/**
 * Whether retrying the same request can never succeed. Known codes decide; otherwise request errors
 * (400/404/413/422) are permanent, and auth (401/403), throttling (429), 5xx and network failures are not.
 */
export function isPermanentTwilioError(code: number | null | undefined, httpStatus?: number | null): boolean {
  if (code != null && PERMANENT_CODES.has(code)) return true;
  if (code != null && TRANSIENT_CODES.has(code)) return false;
  return httpStatus != null && PERMANENT_HTTP_STATUSES.has(httpStatus);
}

export interface TwilioSendErrorDetails {
  /** Twilio error code (https://www.twilio.com/docs/api/errors); null when Twilio never answered. */
  code: number | null;
  /** HTTP status of Twilio's answer; null on network failures. */
  httpStatus: number | null;
  moreInfo: string | null;
  permanent: boolean;
  cause?: unknown;
}

/** A failed Twilio API call, classified so that callers know whether to retry. */
export class TwilioSendError extends Error {
  readonly code: number | null;
  readonly httpStatus: number | null;
  readonly moreInfo: string | null;
  readonly permanent: boolean;

  constructor(message: string, details: TwilioSendErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TwilioSendError';
    this.code = details.code;
    this.httpStatus = details.httpStatus;
    this.moreInfo = details.moreInfo;
    this.permanent = details.permanent;
  }
}

/** Maps whatever the SDK threw (RestException, RFC 9457 TwilioServiceException, axios network error) to a TwilioSendError. */
export function toTwilioSendError(error: unknown): TwilioSendError {
  if (error instanceof TwilioSendError) return error;
  const fields = isRecord(error) ? error : {};
  const httpStatus = typeof fields['status'] === 'number' ? fields['status'] : null;
  const code = typeof fields['code'] === 'number' ? fields['code'] : null;
  const moreInfo =
    typeof fields['moreInfo'] === 'string' ? fields['moreInfo'] : typeof fields['type'] === 'string' ? fields['type'] : null;
  const message = errorMessage(fields, httpStatus, code);
  return new TwilioSendError(message, {
    code,
    httpStatus,
    moreInfo,
    permanent: isPermanentTwilioError(code, httpStatus),
    cause: error,
  });
}

function errorMessage(fields: Record<string, unknown>, httpStatus: number | null, code: number | null): string {
  const text =
    (typeof fields['detail'] === 'string' && fields['detail']) ||
    (typeof fields['message'] === 'string' && fields['message']) ||
    (typeof fields['title'] === 'string' && fields['title']) ||
    'Twilio request failed';
  if (httpStatus === null) {
    // Axios network errors carry a string code such as ECONNREFUSED.
    const networkCode = typeof fields['code'] === 'string' ? ` (${fields['code']})` : '';
    return `Twilio request failed${networkCode}: ${text}`;
  }
  return `Twilio error ${code ?? 'unknown'} (HTTP ${httpStatus}): ${text}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
