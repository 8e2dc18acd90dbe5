import type { EmulatedMessage } from './message-store';

export const API_VERSION = '2010-04-01';

/** Twilio's date format, e.g. `Thu, 24 Aug 2023 05:01:45 +0000` (the SDK parses exactly this). */
export function toRfc2822(iso: string): string {
  return new Date(iso).toUTCString().replace(/GMT$/, '+0000');
}

export function messagesUri(accountSid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}/Messages.json`;
}

export function messageUri(accountSid: string, sid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`;
}

/** The `api.v2010.account.message` resource of Twilio's OpenAPI description. */
export function toMessageResource(message: EmulatedMessage): Record<string, unknown> {
  const { accountSid, sid } = message;
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    body: message.body,
    date_created: toRfc2822(message.dateCreated),
    date_sent: message.dateSent === null ? null : toRfc2822(message.dateSent),
    date_updated: toRfc2822(message.dateUpdated),
    direction: message.direction,
    error_code: message.errorCode,
    error_message: message.errorMessage,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: String(message.mediaUrls.length),
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid,
    status: message.status,
    subresource_uris: {
      media: `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}/Media.json`,
      feedback: `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}/Feedback.json`,
    },
    to: message.to,
    uri: messageUri(accountSid, sid),
  };
}
