import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import { messageSenderFor, validDate, type SendMessageRequest, type TwilioMessage } from './message-sender';
import { createTwilioClient, type TwilioClientSettings } from './twilio-client';
import { toTwilioSendError } from './twilio-send-error';

export interface SendSmsRequest {
  /** E.164 recipient, e.g. +14155550100. */
  to: string;
  /** E.164 sender owned by the account. */
  from: string;
  body: string;
  /** Where Twilio posts status changes (queued, sent, delivered, undelivered, failed). */
  statusCallback?: string;
}

export interface SmsMessage {
  sid: string;
  status: string;
  to: string;
  from: string;
  body: string;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: number | null;
  dateCreated: Date | null;
  dateSent: Date | null;
}

export interface SmsSender {
  /** Any channel: SMS/MMS, WhatsApp (templates too), RCS through a Messaging Service; rejects with a TwilioSendError. */
  sendMessage(request: SendMessageRequest): Promise<TwilioMessage>;
  /** Creates the message at Twilio; rejects with a TwilioSendError. */
  sendSms(request: SendSmsRequest): Promise<SmsMessage>;
  /**
   * The newest message created since `since` to `to` (from `from`, with exactly `body` when given),
   * if any: how a retried send finds out that an attempt whose answer was lost was accepted.
   */
  findSent(query: { to: string; from?: string; body?: string; since: Date }): Promise<SmsMessage | undefined>;
  /** Reads a message's current state; rejects with a TwilioSendError (code 20404 when unknown). */
  fetchMessage(sid: string): Promise<SmsMessage>;
}

export function createSmsSender(settings: TwilioClientSettings): SmsSender {
  const client = createTwilioClient(settings);
  const { sendMessage } = messageSenderFor(client);
  return {
    sendMessage,
    async sendSms({ to, from, body, statusCallback }) {
      try {
        const message = await client.messages.create({ to, from, body, ...(statusCallback ? { statusCallback } : {}) });
        return toSmsMessage(message);
      } catch (error) {
        throw toTwilioSendError(error);
      }
    },
    async findSent({ to, from, body, since }) {
      try {
        // Newest first; a message not yet sent has no DateSent, so the time is checked here.
        const recent = await client.messages.list({ to, ...(from ? { from } : {}), limit: 50 });
        const match = recent.find(
          (message) => message.dateCreated instanceof Date && message.dateCreated.getTime() >= since.getTime() && (body === undefined || message.body === body),
        );
        return match ? toSmsMessage(match) : undefined;
      } catch (error) {
        throw toTwilioSendError(error);
      }
    },
    async fetchMessage(sid) {
      try {
        return toSmsMessage(await client.messages(sid).fetch());
      } catch (error) {
        throw toTwilioSendError(error);
      }
    },
  };
}

function toSmsMessage(message: MessageInstance): SmsMessage {
  const segments = Number.parseInt(message.numSegments ?? '', 10);
  return {
    sid: message.sid,
    status: message.status,
    to: message.to,
    from: message.from,
    body: message.body,
    errorCode: message.errorCode ?? null,
    errorMessage: message.errorMessage ?? null,
    numSegments: Number.isNaN(segments) ? null : segments,
    dateCreated: validDate(message.dateCreated),
    dateSent: validDate(message.dateSent),
  };
}
