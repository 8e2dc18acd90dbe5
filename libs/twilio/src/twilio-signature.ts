import twilio from 'twilio';

export interface TwilioSignatureCheck {
  authToken: string;
  /** The X-Twilio-Signature header; a missing header never validates. */
  signature: string | undefined;
  /** The full URL Twilio was told to call (scheme, host, port, path and query). */
  url: string;
  /** The form fields of the POST body. */
  params: Record<string, string | string[]>;
}

/** Whether a webhook request really comes from Twilio (or the emulator) holding this auth token. */
export function isValidTwilioSignature({ authToken, signature, url, params }: TwilioSignatureCheck): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}
