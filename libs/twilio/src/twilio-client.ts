import twilio from 'twilio';
import { BaseUrlRequestClient } from './base-url-request-client';

export interface TwilioClientSettings {
  accountSid: string;
  authToken: string;
  /** Origin of a Twilio-compatible API such as the emulator (`http://127.0.0.1:4010`); unset means the real Twilio. */
  apiBaseUrl?: string;
}

export type TwilioClient = twilio.Twilio;

/** The official SDK client; with `apiBaseUrl` every request goes to that origin instead of https://*.twilio.com. */
export function createTwilioClient(settings: TwilioClientSettings): TwilioClient {
  const { accountSid, authToken, apiBaseUrl } = settings;
  return twilio(accountSid, authToken, apiBaseUrl ? { httpClient: new BaseUrlRequestClient(apiBaseUrl) } : {});
}
