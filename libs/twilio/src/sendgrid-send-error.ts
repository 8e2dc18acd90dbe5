/** One entry of SendGrid's `errors` array. */
export interface SendGridErrorDetail {
  message: string;
  /** The request field at fault (`personalizations.0.to.0.email`), null when none. */
  field: string | null;
  help: string | null;
}

export interface SendGridSendErrorDetails {
  /** HTTP status of SendGrid's answer; null when SendGrid never answered. */
  status: number | null;
  /** SendGrid's `errors` (empty on network failures or bodies without them). */
  errors: SendGridErrorDetail[];
  permanent: boolean;
  cause?: unknown;
}

/** Whether retrying the same request can never succeed: any 4xx but 429; 429, 5xx and network failures are transient. */
export function isPermanentSendGridStatus(status: number | null | undefined): boolean {
  return status != null && status >= 400 && status < 500 && status !== 429;
}

/** A failed SendGrid API call, classified so that callers know whether to retry. */
export class SendGridSendError extends Error {
  readonly status: number | null;
  readonly errors: SendGridErrorDetail[];
  readonly permanent: boolean;

  constructor(message: string, details: SendGridSendErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SendGridSendError';
    this.status = details.status;
    this.errors = details.errors;
    this.permanent = details.permanent;
  }

  /** The fields SendGrid named, e.g. `['personalizations.0.to.0.email', 'subject']`. */
  get fields(): string[] {
    return this.errors.flatMap((error) => (error.field === null ? [] : [error.field]));
  }
}

/**
 * Maps what @sendgrid/mail threw: a ResponseError (`code` = HTTP status, `response.body.errors`), an axios network
 * error (string `code` such as ECONNREFUSED: transient), or the helper's own validation Error (never sent: permanent).
 */
export function toSendGridSendError(error: unknown): SendGridSendError {
  if (error instanceof SendGridSendError) return error;
  const fields = isRecord(error) ? error : {};
  const response = isRecord(fields['response']) ? fields['response'] : null;
  const status = response !== null && typeof fields['code'] === 'number' ? fields['code'] : null;
  const errors = response !== null ? errorsOf(response['body']) : [];
  const reason = typeof fields['message'] === 'string' && fields['message'] ? fields['message'] : 'request failed';
  const text = errors.length > 0 ? errors.map(describe).join('; ') : reason;
  if (status !== null) {
    return new SendGridSendError(`SendGrid error (HTTP ${status}): ${text}`, {
      status,
      errors,
      permanent: isPermanentSendGridStatus(status),
      cause: error,
    });
  }
  const networkCode = typeof fields['code'] === 'string' ? fields['code'] : null;
  if (networkCode !== null || fields['isAxiosError'] === true) {
    return new SendGridSendError(`SendGrid request failed${networkCode ? ` (${networkCode})` : ''}: ${text}`, {
      status: null,
      errors,
      permanent: false,
      cause: error,
    });
  }
  return new SendGridSendError(`SendGrid request not sent: ${text}`, { status: null, errors, permanent: true, cause: error });
}

function errorsOf(body: unknown): SendGridErrorDetail[] {
  if (!isRecord(body) || !Array.isArray(body['errors'])) return [];
  return body['errors'].filter(isRecord).map((entry) => ({
    message: typeof entry['message'] === 'string' ? entry['message'] : String(entry['message'] ?? ''),
    field: typeof entry['field'] === 'string' ? entry['field'] : null,
    help: typeof entry['help'] === 'string' ? entry['help'] : null,
  }));
}

function describe(error: SendGridErrorDetail): string {
  return error.field === null ? error.message : `${error.field}: ${error.message}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
