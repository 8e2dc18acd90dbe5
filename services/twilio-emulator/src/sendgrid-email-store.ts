export interface EmailAddress {
  email: string;
  name?: string;
}

export interface EmailPersonalization {
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  subject: string | null;
  /** The personalization's own custom_args (the mail-wide ones are in EmulatedEmail.customArgs). */
  customArgs: Record<string, string>;
}

/** One Event Webhook event, as SendGrid posts it: fixed fields plus every custom arg at top level. */
export interface EmailEvent {
  event: 'processed' | 'delivered' | 'bounce' | 'dropped';
  email: string;
  /** Unix seconds. */
  timestamp: number;
  sg_event_id: string;
  sg_message_id: string;
  [field: string]: unknown;
}

export interface EventWebhookDelivery {
  /** The `event` of each entry of the posted array. */
  events: string[];
  url: string;
  /** What the webhook answered; null when it could not be reached. */
  httpStatus: number | null;
  error: string | null;
  attempts: number;
  at: string;
}

/** A Mail Send request the emulator accepted, with the events it produced (posted or not). */
export interface EmulatedEmail {
  /** The X-Message-Id answered with the 202. */
  messageId: string;
  /** ISO-8601. */
  receivedAt: string;
  from: EmailAddress;
  replyTo: EmailAddress | null;
  subject: string | null;
  content: Array<{ type: string; value: string }>;
  templateId: string | null;
  personalizations: EmailPersonalization[];
  categories: string[];
  customArgs: Record<string, string>;
  events: EmailEvent[];
  webhookDeliveries: EventWebhookDelivery[];
  /** The JSON body as received. */
  request: Record<string, unknown>;
}

/** In-memory emails in the order they were accepted. */
export class EmailStore {
  private readonly byMessageId = new Map<string, EmulatedEmail>();

  add(email: EmulatedEmail): void {
    this.byMessageId.set(email.messageId, email);
  }

  all(): EmulatedEmail[] {
    return [...this.byMessageId.values()];
  }

  clear(): void {
    this.byMessageId.clear();
  }
}
