import type { MessageChannel, SendOutcome } from '@continuum/contracts';
import type { ContextualPayload, DurationInput, LookupRequests, TextInput } from './payload';

export interface SendOptions {
  /**
   * The channel, or the channels to try in order (`['whatsapp', 'sms']`), or `auto`: the customer's
   * country's order in their workspace's messaging policy (by default CHANNEL_DEFAULTS). A `preferred_channel` trait that is one of them goes first.
   * The next channel is tried when the customer has no address or no consent on one, when the send
   * fails permanently, or (with `fallbackAfter`) when no delivery is reported in time.
   */
  channel: MessageChannel | readonly MessageChannel[] | 'auto';
  /** The address, for a single channel; default: the customer's own for the channel. */
  to?: string;
  /** Lookups made just before sending; their results are `payload.lookups` in `body` or the template. */
  lookups?: LookupRequests;
  /**
   * A transactional message (an order update, a security code) is checked against the customer's
   * `transactional` consent only; anything else needs that they have not unsubscribed from
   * `marketing` on the channel. Declare it only where it is true.
   */
  transactional?: boolean;
  /**
   * Quiet hours (the deployment's QUIET_HOURS, in the customer's time zone, else their country's,
   * else the workspace's): `queue` waits durably until they end, `discard` skips the message and
   * journals why, `ignore` sends anyway. Default: the deployment's mode; `ignore` when transactional.
   */
  quietHours?: 'queue' | 'discard' | 'ignore';
  /** With several channels: wait this long for a delivery report before trying the next channel. */
  fallbackAfter?: DurationInput;
  /** Email subject (email needs one). */
  subject?: TextInput;
  /** In-app title. */
  title?: TextInput;
  /** In-app data for the frontend app (a deep link, an order id). */
  data?: Record<string, unknown>;
  /** MMS media URLs. */
  mediaUrls?: string[];
  /** WhatsApp outside the customer's 24-hour window: an approved template (Twilio Content SID) and its variables. */
  whatsappTemplate?: { contentSid: string; variables?: Record<string, string> | ((payload: ContextualPayload) => Record<string, string>) };
}

/** The text written in the journey: a string, or built from the contextual payload. */
export interface SendBody {
  body: TextInput;
  template?: never;
  locale?: never;
}

/**
 * A stored Liquid template (published through GraphQL), rendered by the messaging activity at the
 * moment of sending against the contextual payload, in the customer's locale with fallback
 * (`pt-BR` → `pt` → `default`). A template that cannot be rendered (a missing variable, no such
 * template) is not sent: the step journals `message.failed` with reason `template error: …`.
 * With several channels, name one template per channel (`{ sms: 'cart-sms', email: 'cart-email' }`).
 */
export interface SendTemplateContent {
  template: string | Partial<Record<MessageChannel, string>>;
  /** Overrides the profile's locale (still with fallback). */
  locale?: string;
  body?: never;
}

export type SendStep = SendOptions & (SendBody | SendTemplateContent);
/** @deprecated Use SendStep. */
export type SendSmsStep = SendStep;
/** @deprecated Use SendBody. */
export type SendSmsBody = SendBody;
/** @deprecated Use SendTemplateContent. */
export type SendSmsTemplate = SendTemplateContent;

/** How waiting for a message's delivery ended. */
export type DeliveryOutcome =
  | { outcome: 'delivered'; status: string }
  | { outcome: 'failed'; status: string; errorCode: number | null }
  | { outcome: 'timeout' }
  | { outcome: 'not-sent' };

export type SendResult = SendOutcome;

/** A send's result when it did not go out (skipped or failed). */
export type UnsentResult = Exclude<SendResult, { status: 'sent' }>;
