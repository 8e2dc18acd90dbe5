import type { ServerResponse } from 'node:http';
import { sendJson } from './http-io';

/** One entry of SendGrid's `errors` array. */
export interface SendGridErrorItem {
  message: string;
  /** The request field at fault (`personalizations.0.to.0.email`), null when none. */
  field: string | null;
  help: string | null;
}

/** A request the SendGrid emulation refuses, rendered as SendGrid's `{ errors: [...] }`. */
export class SendGridApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: SendGridErrorItem[],
  ) {
    super(errors.map((error) => (error.field ? `${error.field}: ${error.message}` : error.message)).join('; '));
    this.name = 'SendGridApiError';
  }

  static single(status: number, message: string, field: string | null = null): SendGridApiError {
    return new SendGridApiError(status, [{ message, field, help: null }]);
  }
}

export function sendSendGridError(res: ServerResponse, error: SendGridApiError): void {
  sendJson(res, error.status, { errors: error.errors });
}
