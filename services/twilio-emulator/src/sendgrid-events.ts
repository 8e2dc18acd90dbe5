import { randomBytes } from 'node:crypto';
import type { EmulatorLogger } from './emulator-logger';
import type { EmailEvent, EmulatedEmail } from './sendgrid-email-store';
import { signEventPayload, type EventWebhookSigningKey } from './sendgrid-signing-key';
import { postWithRetries } from './webhook-poster';

export const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

export interface SendGridEventsSettings {
  /** Where the Event Webhook posts; without it events are only recorded on the email. */
  webhookUrl: string | undefined;
  signingKey: EventWebhookSigningKey;
  /** Delay between `processed` and the outcome (`delivered`, `bounce`, `dropped`). */
  statusDelayMs: number;
  callbackTimeoutMs: number;
  logger: EmulatorLogger;
}

interface Recipient {
  email: string;
  /** Mail-wide custom_args overridden by the personalization's, as SendGrid merges them. */
  customArgs: Record<string, string>;
  ordinal: number;
}

type Outcome = Pick<EmailEvent, 'event'> & Record<string, unknown>;

/**
 * Emulator-only magic recipients (the local part, optionally with a `+tag`): `bounce@…` bounces, `dropped@…` is
 * dropped; every other address is delivered. Each recipient gets `processed` first.
 */
export function outcomeFor(email: string): Outcome {
  const local = email.slice(0, email.indexOf('@')).toLowerCase().replace(/\+.*$/, '');
  if (local === 'bounce') {
    return {
      event: 'bounce',
      type: 'bounce',
      status: '5.1.1',
      reason: '550 5.1.1 The email account that you tried to reach does not exist.',
      bounce_classification: 'Invalid Address',
    };
  }
  if (local === 'dropped') return { event: 'dropped', reason: 'Bounced Address' };
  return { event: 'delivered', response: '250 OK' };
}

/**
 * Produces SendGrid Event Webhook events for accepted emails — one JSON array of `processed` events, then,
 * statusDelayMs later, one array of outcomes — and posts each array signed, in order per email.
 */
export class SendGridEvents {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly postChains = new Map<string, Promise<void>>();
  private abort = new AbortController();

  constructor(private readonly settings: SendGridEventsSettings) {}

  start(email: EmulatedEmail): void {
    const recipients = recipientsOf(email);
    this.emit(email, recipients.map((recipient) => this.event(email, recipient, { event: 'processed' })));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.emit(email, recipients.map((recipient) => this.event(email, recipient, outcomeFor(recipient.email))));
    }, this.settings.statusDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.abort.abort();
    this.abort = new AbortController();
    this.postChains.clear();
  }

  /** Resolves when every post started so far has been delivered or given up. */
  async settled(): Promise<void> {
    await Promise.all([...this.postChains.values()]);
  }

  private event(email: EmulatedEmail, recipient: Recipient, outcome: Outcome): EmailEvent {
    return {
      // Custom args first: SendGrid never lets them replace its own fields.
      ...recipient.customArgs,
      email: recipient.email,
      timestamp: Math.floor(Date.now() / 1000),
      'smtp-id': `<${email.messageId}@emulator.sendgrid.invalid>`,
      ...(email.categories.length > 0 ? { category: [...email.categories] } : {}),
      sg_event_id: randomBytes(16).toString('base64url'),
      sg_message_id: `${email.messageId}.filterdrecv-emulator-1.${recipient.ordinal}.0`,
      ...outcome,
    };
  }

  private emit(email: EmulatedEmail, events: EmailEvent[]): void {
    email.events.push(...events);
    const url = this.settings.webhookUrl;
    if (url === undefined) return;
    const { signal } = this.abort;
    const previous = this.postChains.get(email.messageId) ?? Promise.resolve();
    const chain = previous.then(async () => {
      if (signal.aborted) return;
      const payload = JSON.stringify(events);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'SendGrid Event API',
        [SIGNATURE_HEADER]: signEventPayload(this.settings.signingKey, timestamp, payload),
        [TIMESTAMP_HEADER]: timestamp,
      };
      const result = await postWithRetries(url, headers, payload, { signal, timeoutMs: this.settings.callbackTimeoutMs });
      if (signal.aborted) return;
      email.webhookDeliveries.push({ events: events.map((event) => event.event), url, ...result, at: new Date().toISOString() });
      if (result.error !== null) {
        this.settings.logger('warn', 'sendgrid event webhook failed', { messageId: email.messageId, url, ...result });
      }
    });
    this.postChains.set(email.messageId, chain);
    void chain.finally(() => {
      if (this.postChains.get(email.messageId) === chain) this.postChains.delete(email.messageId);
    });
  }
}

function recipientsOf(email: EmulatedEmail): Recipient[] {
  let ordinal = 0;
  return email.personalizations.flatMap((personalization) =>
    [...personalization.to, ...personalization.cc, ...personalization.bcc].map((address) => ({
      email: address.email,
      customArgs: { ...email.customArgs, ...personalization.customArgs },
      ordinal: ordinal++,
    })),
  );
}
