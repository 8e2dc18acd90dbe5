import { bareNumber } from './addresses';

export interface TwilioErrorSpec {
  code: number;
  message: (number: string) => string;
}

/** Twilio's magic test numbers: sending to them fails at once with these errors (HTTP 400). */
export const MAGIC_TO_ERRORS: Readonly<Record<string, TwilioErrorSpec>> = {
  '+15005550001': { code: 21211, message: (n) => `The 'To' number ${n} is not a valid phone number.` },
  '+15005550002': { code: 21612, message: (n) => `The 'To' phone number ${n} is not currently reachable via SMS.` },
  '+15005550003': {
    code: 21408,
    message: (n) => `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${n}.`,
  },
  '+15005550004': { code: 21610, message: () => 'Attempt to send to unsubscribed recipient' },
  '+15005550009': { code: 21614, message: (n) => `'To' number ${n} is not a valid mobile number` },
};

/** Twilio's magic sender numbers that fail; +15005550006 (and any other E.164 sender) succeeds. */
export const MAGIC_FROM_ERRORS: Readonly<Record<string, TwilioErrorSpec>> = {
  '+15005550001': {
    code: 21212,
    message: (n) => `The 'From' number ${n} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
  },
  '+15005550007': {
    code: 21606,
    message: (n) => `The 'From' phone number provided (${n}) is not a valid message-capable Twilio phone number for this destination.`,
  },
  '+15005550008': { code: 21611, message: () => "This 'From' number has exceeded the maximum number of queued messages." },
};

export type DeliveryOutcome =
  | { final: 'delivered' }
  /** The carrier never confirms: the message stays `sent`. */
  | { final: 'sent' }
  | { final: 'undelivered'; errorCode: number; errorMessage: string }
  | { final: 'failed'; errorCode: number; errorMessage: string };

/**
 * Emulator-only numbers (not Twilio's): +1500555070x are accepted and sent but never confirmed (they
 * stay `sent`); +1500555080x are accepted, sent, then end `undelivered` (30003); +1500555090x are
 * accepted then end `failed` (30008). Everything else is delivered.
 */
export function deliveryOutcomeFor(to: string): DeliveryOutcome {
  const number = bareNumber(to);
  if (/^\+1500555070\d$/.test(number)) return { final: 'sent' };
  if (/^\+1500555080\d$/.test(number)) {
    return { final: 'undelivered', errorCode: 30003, errorMessage: 'Unreachable destination handset' };
  }
  if (/^\+1500555090\d$/.test(number)) {
    return { final: 'failed', errorCode: 30008, errorMessage: 'Unknown error' };
  }
  return { final: 'delivered' };
}
