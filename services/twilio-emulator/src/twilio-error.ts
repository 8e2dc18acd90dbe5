import type { ServerResponse } from 'node:http';
import { HttpError, sendJson } from './http-io';

export function twilioError(code: number, message: string, status = 400): HttpError {
  return new HttpError(status, message, code);
}

/** Twilio's legacy error document, which the SDK turns into a RestException. */
export function sendTwilioError(res: ServerResponse, error: HttpError): void {
  const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Basic realm="Twilio API"' } : {};
  sendJson(
    res,
    error.status,
    {
      code: error.code,
      message: error.message,
      more_info: error.code === null ? null : `https://www.twilio.com/docs/errors/${error.code}`,
      status: error.status,
    },
    headers,
  );
}
