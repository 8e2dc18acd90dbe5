import { bareNumber, channelOf, isValidRecipient, isValidSender } from './addresses';
import type { HttpError } from './http-io';
import { MESSAGING_SERVICE_SID, type MessagingService } from './messaging-service';
import { MAGIC_FROM_ERRORS, MAGIC_TO_ERRORS } from './test-numbers';
import { twilioError } from './twilio-error';
import { CONTENT_SID, parseContentVariables, renderContent } from './whatsapp-content';

const MAX_BODY_CHARACTERS = 1600;

export interface CreateMessageInput {
  to: string;
  /** Null when the message goes out through a messaging service's sender pool. */
  from: string | null;
  messagingServiceSid: string | null;
  /** The Body, or the Content Template rendered with ContentVariables. */
  body: string;
  mediaUrls: string[];
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  statusCallback: string | null;
}

/** What the account owns: the approved Content Templates and its one Messaging Service. */
export interface AccountResources {
  contentTemplates: Readonly<Record<string, string>>;
  messagingService: MessagingService;
}

/** Validates Create Message parameters in Twilio's order and with Twilio's error codes. */
export function parseCreateMessageInput(form: URLSearchParams, account: AccountResources): CreateMessageInput {
  const to = form.get('To')?.trim() ?? '';
  const from = form.get('From')?.trim() ?? '';
  const messagingServiceSid = form.get('MessagingServiceSid')?.trim() ?? '';
  const body = form.get('Body') ?? '';
  const mediaUrls = form.getAll('MediaUrl').filter((url) => url.trim() !== '');
  const contentSid = form.get('ContentSid')?.trim() ?? '';
  const rawContentVariables = form.get('ContentVariables');
  const statusCallback = form.get('StatusCallback')?.trim() ?? '';

  if (to === '') throw twilioError(21604, "A 'To' phone number is required.");
  if (!isValidRecipient(to)) throw twilioError(21211, `The 'To' number ${to} is not a valid phone number.`);
  if (from === '' && messagingServiceSid === '') throw twilioError(21603, "A 'From' phone number is required.");
  if (from !== '' && !isValidSender(from)) {
    throw twilioError(21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
  }
  if (messagingServiceSid !== '') checkMessagingService(messagingServiceSid, account.messagingService);
  if (from !== '') checkChannelPair(to, from, account.messagingService);
  else if (channelOf(to) === 'whatsapp') {
    throw twilioError(21910, `Invalid From and To pair: ${to} needs a whatsapp: From; the Messaging Service has no WhatsApp sender.`);
  }

  if (rawContentVariables !== null && contentSid === '') throw twilioError(21654, 'ContentSid Required: ContentVariables was given without a ContentSid.');
  let contentVariables: Record<string, string> | null = null;
  let renderedBody = body;
  if (contentSid !== '') {
    const template = CONTENT_SID.test(contentSid) ? account.contentTemplates[contentSid] : undefined;
    if (template === undefined) throw twilioError(21655, `The ContentSid is Invalid: ${contentSid} is not an approved Content Template of this account.`);
    contentVariables = rawContentVariables === null ? {} : parseContentVariables(rawContentVariables);
    // Twilio sends the template, not the Body, when both are given.
    renderedBody = renderContent(contentSid, template, contentVariables);
  }

  if (renderedBody === '' && mediaUrls.length === 0) throw twilioError(21602, 'Message body is required.');
  if ([...renderedBody].length > MAX_BODY_CHARACTERS) {
    throw twilioError(21617, `The concatenated message body exceeds the ${MAX_BODY_CHARACTERS} character limit.`);
  }
  const badMedia = mediaUrls.find((url) => !isHttpUrl(url));
  if (badMedia !== undefined) throw twilioError(21620, `Invalid media URL(s): '${badMedia}' is not an http(s) URL.`);
  if (statusCallback !== '' && !isHttpUrl(statusCallback)) {
    throw twilioError(21609, `The StatusCallback URL ${statusCallback} is not a valid URL.`);
  }
  const magic = magicError(MAGIC_FROM_ERRORS, from) ?? magicError(MAGIC_TO_ERRORS, to);
  if (magic) throw magic;

  return {
    to,
    from: from === '' ? null : from,
    messagingServiceSid: messagingServiceSid === '' ? null : messagingServiceSid,
    body: renderedBody,
    mediaUrls,
    contentSid: contentSid === '' ? null : contentSid,
    contentVariables,
    statusCallback: statusCallback === '' ? null : statusCallback,
  };
}

/** 21705 for a SID that is not `MG` + 32 hex digits, 21701 for one that is not this account's service. */
function checkMessagingService(sid: string, service: MessagingService): void {
  if (!MESSAGING_SERVICE_SID.test(sid)) throw twilioError(21705, `The Messaging Service Sid ${sid} is invalid.`);
  if (sid !== service.sid) throw twilioError(21701, `The Messaging Service ${sid} does not exist.`);
}

/** From and To must be on one channel; an `rcs:` From must be the account's RCS agent. */
function checkChannelPair(to: string, from: string, service: MessagingService): void {
  const toChannel = channelOf(to);
  const fromChannel = channelOf(from);
  if (toChannel !== fromChannel) {
    throw twilioError(21910, `Invalid From and To pair. From (${from}) and To (${to}) should be of the same channel.`);
  }
  if (fromChannel === 'rcs' && from !== service.rcsSender) {
    throw twilioError(21606, `The 'From' RCS sender ${from} is not a sender of this account (${service.rcsSender}).`);
  }
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
