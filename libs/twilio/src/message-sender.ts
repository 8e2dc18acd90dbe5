import type { MessageInstance, MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message';
import { createTwilioClient, type TwilioClient, type TwilioClientSettings } from './twilio-client';
import { toTwilioSendError } from './twilio-send-error';

export interface SendMessageRequest {
  /** `+E164` (SMS/MMS, or RCS first through a Messaging Service), `whatsapp:+E164`, or `rcs:+E164` (RCS only). */
  to: string;
  /** A sender of the account: `+E164`, `whatsapp:+E164`, `rcs:<agent>` or an alphanumeric ID; or give messagingServiceSid. */
  from?: string;
  /** `MG…`: the service's sender pool picks the channel and sender (RCS, falling back to SMS). */
  messagingServiceSid?: string;
  body?: string;
  /** Public http(s) URLs of media to attach (MMS, WhatsApp, RCS). */
  mediaUrls?: string[];
  /** An approved Content Template (`HX…`), e.g. a WhatsApp template for outside the 24-hour window. */
  contentSid?: string;
  /** Values of the template's `{{1}}`, `{{2}}` … placeholders; an object is sent as the JSON string Twilio expects. */
  contentVariables?: Record<string, string> | string;
  /** Where Twilio posts status changes (queued, sent, delivered, undelivered, failed). */
  statusCallback?: string;
}

/** A Message resource on any channel. */
export interface TwilioMessage {
  sid: string;
  status: string;
  to: string;
  /** Null while a Messaging Service has not picked its sender yet. */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: number | null;
  numMedia: number | null;
  dateCreated: Date | null;
  dateSent: Date | null;
}

export interface MessageSender {
  /** Creates the message at Twilio; rejects with a TwilioSendError. */
  sendMessage(request: SendMessageRequest): Promise<TwilioMessage>;
  /** Reads a message's current state; rejects with a TwilioSendError (code 20404 when unknown). */
  fetchMessage(sid: string): Promise<TwilioMessage>;
}

export function createMessageSender(settings: TwilioClientSettings): MessageSender {
  return messageSenderFor(createTwilioClient(settings));
}

/** A MessageSender on an existing SDK client (shared with the SMS sender). */
export function messageSenderFor(client: TwilioClient): MessageSender {
  return {
    async sendMessage(request) {
      try {
        return toTwilioMessage(await client.messages.create(toCreateOptions(request)));
      } catch (error) {
        throw toTwilioSendError(error);
      }
    },
    async fetchMessage(sid) {
      try {
        return toTwilioMessage(await client.messages(sid).fetch());
      } catch (error) {
        throw toTwilioSendError(error);
      }
    },
  };
}

function toCreateOptions(request: SendMessageRequest): MessageListInstanceCreateOptions {
  const { to, from, messagingServiceSid, body, mediaUrls, contentSid, contentVariables, statusCallback } = request;
  const options: MessageListInstanceCreateOptions = { to };
  // Empty strings count as absent, so that optional config (an unset sender) never reaches Twilio as a blank field.
  if (from) options.from = from;
  if (messagingServiceSid) options.messagingServiceSid = messagingServiceSid;
  if (body !== undefined) options.body = body;
  if (mediaUrls !== undefined && mediaUrls.length > 0) options.mediaUrl = mediaUrls;
  if (contentSid) options.contentSid = contentSid;
  if (contentVariables) {
    options.contentVariables = typeof contentVariables === 'string' ? contentVariables : JSON.stringify(contentVariables);
  }
  if (statusCallback) options.statusCallback = statusCallback;
  return options;
}

export function toTwilioMessage(message: MessageInstance): TwilioMessage {
  return {
    sid: message.sid,
    status: message.status,
    to: message.to,
    from: message.from ?? null,
    messagingServiceSid: message.messagingServiceSid ?? null,
    body: message.body,
    errorCode: message.errorCode ?? null,
    errorMessage: message.errorMessage ?? null,
    numSegments: integerOrNull(message.numSegments),
    numMedia: integerOrNull(message.numMedia),
    dateCreated: validDate(message.dateCreated),
    dateSent: validDate(message.dateSent),
  };
}

function integerOrNull(value: string | null | undefined): number | null {
  const parsed = Number.parseInt(value ?? '', 10);
  return Number.isNaN(parsed) ? null : parsed;
}

export function validDate(value: Date | null | undefined): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}
