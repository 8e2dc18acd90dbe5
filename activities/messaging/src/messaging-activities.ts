import { ApplicationFailure } from '@temporalio/common';
import { MESSAGE_CHANNELS, type DeliveryWatchActivities, type MessageChannel, type MessagingActivities, type SendMessageInput, type SendOutcome } from '@continuum/contracts';
import type { ConsentStore, FrequencyCap, MessageStore, SendRateLimiter } from '@continuum/data';
import { bodyToSend, type RenderTemplateBody } from './template-body';

/** After this long a claimed send whose worker died mid-call is taken over (a possible resend). */
const SEND_CLAIM_STALE_MS = 2 * 60 * 1000;
/** WhatsApp allows free-form text only this long after the customer's last message. */
const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Twilio: the recipient replied STOP; the carrier blocks every message until they reply START. */
const UNSUBSCRIBED_RECIPIENT = 21610;
/** Longest wait for a rate-limit slot inside one attempt (the activity's timeout is a minute). */
const MAX_RATE_WAIT_MS = 30_000;
const E164 = /^\+[1-9]\d{7,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A Twilio Messages API request (SMS, MMS, WhatsApp, RCS through a Messaging Service). */
export interface TwilioMessageRequest {
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  mediaUrls?: string[];
  contentSid?: string;
  /** JSON object of the content template's variables. */
  contentVariables?: string;
  statusCallback?: string;
}

/** What the messaging activities need from Twilio (the real SDK in production, the emulator in tests). */
export interface MessageProvider {
  sendMessage(request: TwilioMessageRequest): Promise<{ sid: string; status: string; from?: string | null }>;
  /**
   * A message the provider accepted since `since` to `to` (from `from`, with `body` when given):
   * how a second attempt learns that the first was accepted although its result was lost.
   */
  findSent?(query: { to: string; from?: string; body?: string; since: Date }): Promise<{ sid: string; status: string } | undefined>;
}

/** @deprecated The SMS-only provider; every MessageProvider is one. */
export type SmsProvider = MessageProvider;

/** Twilio SendGrid's v3 Mail Send. */
export interface EmailProvider {
  sendEmail(request: {
    to: string;
    from: { email: string; name?: string };
    subject: string;
    text: string;
    /** Echoed in SendGrid's event webhook: how a delivery event finds its message. */
    customArgs?: Record<string, string>;
  }): Promise<{ messageId: string }>;
}

/** Keeps in-app messages in the customer's inbox (and announces them to frontend apps). */
export interface InAppProvider {
  /** `messageCreatedAt`: the outbox row's time, so that it is found in its month without looking in every month. */
  deliver(message: { workspaceId: string; customerId: string; messageId: string; messageCreatedAt?: Date; title?: string | null; body: string; data?: Record<string, unknown> }): Promise<{ id: string }>;
}

/** How one provider call ended: `sent` (accepted), `failed` (refused for good), `error` (retried). */
export interface SendAttempt {
  channel: MessageChannel;
  status: 'sent' | 'failed' | 'error';
  input: SendMessageInput;
  providerId?: string;
  errorCode?: number;
}

/** Told about every provider call (not about retries answered from the outbox). */
export interface SendObserver {
  sendFinished(attempt: SendAttempt): void;
}

/** Where each channel sends from. */
export interface Senders {
  /** E.164 SMS/MMS sender. */
  sms: string;
  /** E.164 WhatsApp sender (without the `whatsapp:` prefix); unset: WhatsApp is not configured. */
  whatsapp?: string;
  /** The Messaging Service whose pool holds the RCS agent (and the SMS fallback number). */
  messagingServiceSid?: string;
  email?: { email: string; name?: string };
}

export interface MessagingDeps {
  messages: MessageStore;
  /** Consent is checked inside the send, at the moment of sending. */
  consents: ConsentStore;
  twilio: MessageProvider;
  email?: EmailProvider;
  inApp?: InAppProvider;
  senders: Senders;
  /** The customer's address for a channel when the send names none. */
  addressOf?: (workspaceId: string, customerId: string, channel: MessageChannel) => Promise<string | undefined>;
  /** When the customer last wrote on a channel (the WhatsApp 24-hour window). */
  lastInboundAt?: (workspaceId: string, customerId: string, channel: MessageChannel) => Promise<Date | undefined>;
  /** Where Twilio posts status callbacks (the gateway webhook); omitted when unset. */
  statusCallbackUrl?: string;
  observer?: SendObserver;
  /** Per-customer caps over rolling windows; transactional messages are not capped. */
  frequencyCaps?: FrequencyCap[];
  /**
   * The workspace's governance policy for this customer (their country's rules), read at the moment
   * of sending: its caps replace `frequencyCaps`, its senders replace `senders` channel by channel,
   * and a channel whose consent is `explicit` or `double_opt_in` needs the customer's subscription.
   * Undefined: the deployment's rules.
   */
  policyFor?: (workspaceId: string, customerId: string) => Promise<SendPolicy | undefined>;
  /** Messages per second per sender, across workers (absent or 0: no limit). */
  rateLimit?: { limiter: SendRateLimiter; messagesPerSecond: number };
  /** Renders `input.template` at send time; without it a templated send fails with a template error. */
  renderBody?: RenderTemplateBody;
  now?: () => Date;
  /** After this long a claimed send whose worker died mid-call is taken over (default 2 minutes). */
  sendClaimStaleMs?: number;
}

/** The parts of a workspace's policy the send itself applies. */
export interface SendPolicy {
  frequencyCaps: FrequencyCap[];
  senders: { sms?: string; whatsapp?: string; messagingServiceSid?: string; email?: string };
  consent: Partial<Record<MessageChannel, 'implicit' | 'explicit' | 'double_opt_in'>>;
}

/** What one channel needs to go out: the provider call and how it appears in the outbox. */
interface Prepared {
  /** Stored in the outbox (for a WhatsApp template: which template, with which variables). */
  stored: string;
  /** Rate limits are per sender. */
  sender: string;
  /** With the outbox row's id and creation time. */
  call(messageId: string, createdAt: Date): Promise<{ sid: string; status: string }>;
  /** Asks the provider for what an earlier attempt may have sent (absent: the provider cannot tell). */
  earlier?(since: Date): Promise<{ sid: string; status: string } | undefined>;
}

/** For callers in the worker's process (a broadcast batch): a step awaited just before the provider call. */
export interface SendHooks {
  /** E.g. a broadcast's own rate, paced right before the provider call. A rejection gives the send back unsent (a retry sends it). */
  beforeProviderCall?: () => Promise<void>;
}

/** `sendMessage` as the worker's own code may call it (Temporal calls it with the input only). */
export type OutboxSend = (input: SendMessageInput, hooks?: SendHooks) => Promise<SendOutcome>;

/** A send that does not go out, by rule; nothing reaches the outbox. */
class Skip {
  constructor(readonly outcome: Extract<SendOutcome, { status: 'skipped' }>) {}
}

/**
 * Sends through the outbox: the (instance, step) row is claimed before the provider call, so a
 * retried activity returns the earlier result instead of sending twice. At the moment of sending it
 * resolves the address, checks consent and the frequency caps (atomically with the claim), applies
 * the WhatsApp 24-hour window and takes a token from the sender's rate shared by every worker.
 */
export function createMessagingActivities(deps: MessagingDeps): MessagingActivities & DeliveryWatchActivities & { sendMessage: OutboxSend } {
  const now = deps.now ?? (() => new Date());
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /**
   * Reserves the sender's next slot at its rate (shared by every worker) and waits for it; when the
   * queue is longer than MAX_RATE_WAIT_MS the attempt is retried by Temporal just as its turn nears.
   */
  const waitForRateSlot = async (sender: string): Promise<void> => {
    const limit = deps.rateLimit;
    if (!limit || limit.messagesPerSecond <= 0) return;
    const slot = await limit.limiter.reserve(sender, limit.messagesPerSecond, MAX_RATE_WAIT_MS);
    if (!slot.reserved) {
      throw ApplicationFailure.create({
        type: 'RateLimited',
        message: `sendMessage: ${sender} is booked at its rate for more than ${MAX_RATE_WAIT_MS / 1000} s; retrying in ${Math.ceil(slot.retryAfterMs / 1000)} s`,
        nextRetryDelay: slot.retryAfterMs,
      });
    }
    if (slot.waitMs > 0) await sleep(slot.waitMs);
  };
  const findSent = async (query: { to: string; from?: string; body?: string; since: Date }) => deps.twilio.findSent?.(query);
  const invalid = (message: string) => ApplicationFailure.nonRetryable(`sendMessage: ${message}`, 'InvalidSendRequest');

  const resolveAddress = async (input: SendMessageInput): Promise<string> => {
    const { channel } = input;
    const explicit = input.to !== undefined;
    const to = input.to ?? (channel === 'in_app' ? input.customerId : await deps.addressOf?.(input.workspaceId, input.customerId, channel));
    if (to === undefined || to === '') {
      const kind = channel === 'email' ? 'email address' : channel === 'whatsapp' ? 'WhatsApp number or phone' : 'phone number';
      throw new Skip({ status: 'skipped', rule: 'no-address', channel, reason: `no ${kind} on profile for ${channel}` });
    }
    const valid = channel === 'email' ? EMAIL.test(to) : channel === 'in_app' ? true : E164.test(to);
    if (!valid) {
      const expected = channel === 'email' ? 'an email address' : 'an E.164 number';
      if (explicit) throw invalid(`"to" must be ${expected} for ${channel}, got "${to}"`);
      throw new Skip({ status: 'skipped', rule: 'no-address', channel, reason: `the profile's ${channel} address "${to}" is not ${expected}` });
    }
    return to;
  };

  /** Consent on the channel; RCS also needs SMS consent (Twilio may deliver it as SMS). */
  const checkConsent = async (input: SendMessageInput, purpose: string, policy: SendPolicy | undefined): Promise<void> => {
    const consentChannels = input.channel === 'mms' ? ['sms'] : input.channel === 'rcs' ? ['rcs', 'sms'] : [input.channel];
    for (const channel of consentChannels) {
      const status = await deps.consents.statusOf(input.workspaceId, input.customerId, channel as 'sms', purpose);
      if (status === 'unsubscribed') {
        throw new Skip({ status: 'skipped', rule: 'no-consent', channel: input.channel, reason: `no consent: the customer unsubscribed from ${channel} ${purpose} messages` });
      }
      // The policy may ask for an opt-in (explicit, or double opt-in) before marketing messages.
      const required = purpose === 'transactional' ? 'implicit' : (policy?.consent[channel as MessageChannel] ?? 'implicit');
      if (required !== 'implicit' && status === 'pending') {
        // Never sent silently before the customer's YES: skipped, with why (a later send checks again).
        throw new Skip({ status: 'skipped', rule: 'no-consent', channel: input.channel, reason: `consent pending: the customer has not yet confirmed the double opt-in on ${channel} (they were asked to reply YES)` });
      }
      if (required !== 'implicit' && status !== 'subscribed') {
        throw new Skip({ status: 'skipped', rule: 'no-consent', channel: input.channel, reason: `no consent: the policy requires ${required.replace(/_/g, ' ')} consent on ${channel} and the customer has not subscribed` });
      }
    }
  };

  const prepare = async (input: SendMessageInput, to: string, policy: SendPolicy | undefined): Promise<Prepared | SendOutcome> => {
    const { channel } = input;
    const own = policy?.senders ?? {};
    const senders: Senders = {
      sms: own.sms ?? deps.senders.sms,
      whatsapp: own.whatsapp ?? deps.senders.whatsapp,
      messagingServiceSid: own.messagingServiceSid ?? deps.senders.messagingServiceSid,
      email: own.email ? { ...deps.senders.email, email: own.email } : deps.senders.email,
    };
    // Our outbox id rides along in the callback URL: a callback that beats the send's answer still finds its message.
    const callbackFor = (messageId: string) => (deps.statusCallbackUrl ? `${deps.statusCallbackUrl}?m=${messageId}` : undefined);
    if (channel === 'whatsapp') {
      const sender = senders.whatsapp;
      if (!sender) return { status: 'failed', channel, reason: 'whatsapp is not configured (TWILIO_WHATSAPP_FROM)' };
      const last = await deps.lastInboundAt?.(input.workspaceId, input.customerId, 'whatsapp');
      const insideWindow = last !== undefined && now().getTime() - last.getTime() < WHATSAPP_WINDOW_MS;
      const hasText = input.body !== undefined || input.template !== undefined;
      if (insideWindow && hasText) {
        const text = await bodyToSend({ ...input, channel }, deps.renderBody);
        if (!('body' in text)) return text;
        return {
          stored: text.body,
          sender,
          call: (messageId) => deps.twilio.sendMessage({ to: `whatsapp:${to}`, from: `whatsapp:${sender}`, body: text.body, statusCallback: callbackFor(messageId) }),
          earlier: (since) => findSent({ to: `whatsapp:${to}`, from: `whatsapp:${sender}`, body: text.body, since }),
        };
      }
      const approved = input.whatsappTemplate;
      if (!approved) {
        const why = last ? `last wrote ${last.toISOString()}` : 'never wrote on WhatsApp';
        throw new Skip({ status: 'skipped', rule: 'whatsapp-window', channel, reason: `outside the WhatsApp 24-hour window (${why}) and no approved template given` });
      }
      if (!/^HX[0-9a-fA-F]{32}$/.test(approved.contentSid)) throw invalid(`whatsappTemplate.contentSid must be HX followed by 32 hex digits, got "${approved.contentSid}"`);
      const variables = JSON.stringify(approved.variables ?? {});
      return {
        stored: `[template ${approved.contentSid}] ${variables}`,
        sender,
        call: (messageId) => deps.twilio.sendMessage({ to: `whatsapp:${to}`, from: `whatsapp:${sender}`, contentSid: approved.contentSid, contentVariables: variables, statusCallback: callbackFor(messageId) }),
        // The provider renders the template, so its text is unknown here: any message since the first attempt.
        earlier: (since) => findSent({ to: `whatsapp:${to}`, from: `whatsapp:${sender}`, since }),
      };
    }
    const text = await bodyToSend({ ...input, channel }, deps.renderBody);
    if (!('body' in text)) return text;
    const body = text.body;
    switch (channel) {
      case 'sms':
      case 'mms': {
        const mediaUrls = channel === 'mms' ? (input.mediaUrls ?? []) : [];
        if (channel === 'mms' && mediaUrls.length === 0) throw invalid('an mms needs mediaUrls');
        for (const url of mediaUrls) if (!/^https?:\/\//.test(url)) throw invalid(`mediaUrls must be http(s) URLs, got "${url}"`);
        return {
          stored: mediaUrls.length > 0 ? `${body}\n${mediaUrls.join('\n')}` : body,
          sender: senders.sms,
          call: (messageId) => deps.twilio.sendMessage({ to, from: senders.sms, body, ...(mediaUrls.length > 0 ? { mediaUrls } : {}), statusCallback: callbackFor(messageId) }),
          earlier: (since) => findSent({ to, from: senders.sms, body, since }),
        };
      }
      case 'rcs': {
        const service = senders.messagingServiceSid;
        if (!service) return { status: 'failed', channel, reason: 'rcs is not configured (TWILIO_MESSAGING_SERVICE_SID)' };
        return {
          stored: body,
          sender: service,
          // The service tries RCS and falls back to SMS on its own when the handset cannot take RCS
          // (its status callbacks then come `From` the SMS number).
          call: (messageId) => deps.twilio.sendMessage({ to, messagingServiceSid: service, body, statusCallback: callbackFor(messageId) }),
          // Sent from the service's pool (the RCS agent or its number): matched by recipient and text.
          earlier: (since) => findSent({ to, body, since }),
        };
      }
      case 'email': {
        const from = senders.email;
        if (!deps.email || !from) return { status: 'failed', channel, reason: 'email is not configured (SENDGRID_API_KEY, EMAIL_FROM)' };
        if (!input.subject) throw invalid('an email needs a subject');
        const email = deps.email;
        const subject = input.subject;
        return {
          stored: `${subject}\n\n${body}`,
          sender: from.email,
          call: async (messageId) => {
            const sent = await email.sendEmail({ to, from, subject, text: body, customArgs: { continuum_message_id: messageId } });
            return { sid: sent.messageId, status: 'queued' };
          },
        };
      }
      case 'in_app': {
        const inApp = deps.inApp;
        if (!inApp) return { status: 'failed', channel, reason: 'in-app messages are not configured on this worker' };
        return {
          stored: input.title ? `${input.title}\n\n${body}` : body,
          sender: 'in_app',
          call: async (messageId, createdAt) => {
            const row = await inApp.deliver({ workspaceId: input.workspaceId, customerId: input.customerId, messageId, messageCreatedAt: createdAt, title: input.title ?? null, body, data: input.data });
            return { sid: `inbox:${row.id}`, status: 'delivered' };
          },
        };
      }
      default:
        throw invalid(`unknown channel "${String(channel)}"`);
    }
  };

  const sendMessage = async (input: SendMessageInput, hooks?: SendHooks): Promise<SendOutcome> => {
    const { channel } = input;
    if (!(MESSAGE_CHANNELS as readonly string[]).includes(channel)) throw invalid(`channel must be one of ${MESSAGE_CHANNELS.join(', ')}, got "${String(channel)}"`);
    const purpose = input.purpose ?? 'marketing';
    let prepared: Prepared;
    let to: string;
    let policy: SendPolicy | undefined;
    try {
      to = await resolveAddress(input);
      policy = await deps.policyFor?.(input.workspaceId, input.customerId);
      // Checked before the outbox claim: nothing is recorded as sent, and a later retry checks again.
      await checkConsent(input, purpose, policy);
      const ready = await prepare(input, to, policy);
      if ('status' in ready) return ready;
      prepared = ready;
    } catch (error) {
      if (error instanceof Skip) return error.outcome;
      throw error;
    }
    const caps = purpose === 'transactional' ? [] : (policy?.frequencyCaps ?? deps.frequencyCaps ?? []);
    const claimed = await deps.messages.claimWithinCaps(
      {
        workspaceId: input.workspaceId,
        customerId: input.customerId,
        instanceId: input.instanceId,
        runId: input.runId,
        step: input.step,
        channel,
        to,
        body: prepared.stored,
        deliveryAwaited: input.awaitDelivery === true,
      },
      caps,
    );
    if ('capped' in claimed) {
      return { status: 'skipped', rule: 'frequency-cap', channel, reason: `frequency cap: ${claimed.count} messages already within ${claimed.capped.label}` };
    }
    const { message } = claimed;
    if (message.providerId) {
      return { status: 'sent', messageId: message.id, providerId: message.providerId, duplicate: true, channel, to };
    }
    if (message.status === 'failed') {
      return { status: 'failed', channel, messageId: message.id, errorCode: message.errorCode ?? undefined, reason: message.errorMessage ?? 'failed' };
    }
    await waitForRateSlot(prepared.sender);
    const acquired = await deps.messages.acquireSend(message, deps.sendClaimStaleMs ?? SEND_CLAIM_STALE_MS);
    if (!acquired) {
      // Another attempt is calling the provider right now; retrying later returns its result.
      throw ApplicationFailure.retryable(`sendMessage: a send for ${input.instanceId} step ${input.step} is in progress`, 'SendInProgress');
    }
    const observe = (attempt: Omit<SendAttempt, 'channel' | 'input'>) => deps.observer?.sendFinished({ channel, input, ...attempt });
    if (acquired.attempt > 1 && prepared.earlier) {
      // An earlier attempt called the provider and its result was lost (a timeout, a worker that
      // died before completing the outbox row): if the provider accepted it, that is the send.
      const earlier = await prepared.earlier(new Date(acquired.firstSendAt.getTime() - 1000));
      if (earlier) {
        await deps.messages.markAccepted(message, earlier.sid, 'queued');
        return { status: 'sent', messageId: message.id, providerId: earlier.sid, duplicate: true, channel, to };
      }
    }
    if (hooks?.beforeProviderCall) {
      try {
        await hooks.beforeProviderCall();
      } catch (error) {
        await deps.messages.releaseSend(message);
        throw error;
      }
    }
    try {
      const sent = await prepared.call(message.id, message.createdAt);
      await deps.messages.markAccepted(message, sent.sid, sent.status === 'delivered' ? 'delivered' : 'queued');
      observe({ status: 'sent', providerId: sent.sid });
      return { status: 'sent', messageId: message.id, providerId: sent.sid, duplicate: false, channel, to };
    } catch (error) {
      const permanent = isPermanent(error);
      if (permanent) {
        const code = errorCodeOf(error);
        const reason = error instanceof Error ? error.message : String(error);
        await deps.messages.markFailed(message, code ?? null, reason);
        if (code === UNSUBSCRIBED_RECIPIENT) {
          const consentChannel = channel === 'mms' ? 'sms' : channel;
          await deps.consents.applyToChannel(input.workspaceId, input.customerId, consentChannel as 'sms', ['marketing', 'transactional'], 'unsubscribed', `provider:${UNSUBSCRIBED_RECIPIENT}`, new Date(), {
            messageId: message.id,
            to,
          });
        }
        observe({ status: 'failed', errorCode: code });
        return { status: 'failed', channel, messageId: message.id, errorCode: code, reason };
      }
      await deps.messages.releaseSend(message);
      observe({ status: 'error' });
      throw error; // transient: Temporal retries the activity with backoff
    }
  };

  return {
    sendMessage,
    async watchDelivery({ messageId }) {
      return deps.messages.markDeliveryAwaited(messageId);
    },
    async sendSms(input) {
      if (!E164.test(input.to)) {
        throw ApplicationFailure.nonRetryable(`sendSms: "to" must be an E.164 number, got "${input.to}"`, 'InvalidSendRequest');
      }
      return sendMessage({ ...input, channel: 'sms' });
    },
  };
}

/** Provider errors say whether retrying can help (`permanent`: a bad number, an unsubscribed recipient, a 4xx). */
function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}

function errorCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown; status?: unknown }).code ?? (error as { status?: unknown }).status;
  return typeof code === 'number' ? code : undefined;
}
