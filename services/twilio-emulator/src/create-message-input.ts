import { bareNumber, isValidRecipient, isValidSender } from './addresses';
import type { HttpError } from './http-io';
import { MAGIC_FROM_ERRORS, MAGIC_TO_ERRORS } from './test-numbers';
import { twilioError } from './twilio-error';

const MAX_BODY_CHARACTERS = 1600;

export interface CreateMessageInput {
  to: string;
  /** Null when the message goes out through a messaging service's sender pool. */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
}

/** Validates Create Message parameters in Twilio's order and with Twilio's error codes. */
export function parseCreateMessageInput(form: URLSearchParams): CreateMessageInput {
  const to = form.get('To')?.trim() ?? '';
  const from = form.get('From')?.trim() ?? '';
  const messagingServiceSid = form.get('MessagingServiceSid')?.trim() ?? '';
  const body = form.get('Body') ?? '';
  const mediaUrls = form.getAll('MediaUrl').filter((url) => url.trim() !== '');
  const contentSid = form.get('ContentSid')?.trim() ?? '';
  const statusCallback = form.get('StatusCallback')?.trim() ?? '';

  if (to === '') throw twilioError(21604, "A 'To' phone number is required.");
  if (!isValidRecipient(to)) throw twilioError(21211, `The 'To' number ${to} is not a valid phone number.`);
  if (from === '' && messagingServiceSid === '') throw twilioError(21603, "A 'From' phone number is required.");
  if (from !== '' && !isValidSender(from)) {
    throw twilioError(21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
  }
  if (body === '' && mediaUrls.length === 0 && contentSid === '') throw twilioError(21602, 'Message body is required.');
  if ([...body].length > MAX_BODY_CHARACTERS) {
    throw twilioError(21617, `The concatenated message body exceeds the ${MAX_BODY_CHARACTERS} character limit.`);
  }
  if (statusCallback !== '' && !isHttpUrl(statusCallback)) {
    throw twilioError(21609, `The StatusCallback URL ${statusCallback} is not a valid URL.`);
  }
  const magic = magicError(MAGIC_FROM_ERRORS, from) ?? magicError(MAGIC_TO_ERRORS, to);
  if (magic) throw magic;

  return {
    to,
    from: from === '' ? null : from,
    messagingServiceSid: messagingServiceSid === '' ? null : messagingServiceSid,
    body,
    mediaUrls,
    statusCallback: statusCallback === '' ? null : statusCallback,
  };
}

function magicError(table: typeof MAGIC_TO_ERRORS, address: string): HttpError | undefined {
  const number = bareNumber(address);
  const spec = table[number];
  return spec ? twilioError(spec.code, spec.message(number)) : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
