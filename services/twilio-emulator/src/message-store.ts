export type EmulatedMessageStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface StatusChange {
  status: EmulatedMessageStatus;
  /** ISO-8601. */
  at: string;
  errorCode: number | null;
}

export interface CallbackDelivery {
  status: EmulatedMessageStatus;
  url: string;
  /** What the callback target answered; null when it could not be reached. */
  httpStatus: number | null;
  error: string | null;
  attempts: number;
  at: string;
}

/** An outbound message as the emulator keeps it (dates ISO-8601; the Twilio API renders them RFC 2822). */
export interface EmulatedMessage {
  sid: string;
  accountSid: string;
  direction: 'outbound-api';
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  /** The WhatsApp Content Template sent, and the variables it was rendered with. */
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  numSegments: number;
  status: EmulatedMessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  statusCallback: string | null;
  dateCreated: string;
  dateUpdated: string;
  dateSent: string | null;
  history: StatusChange[];
  callbacks: CallbackDelivery[];
}

/** In-memory messages in creation order. */
export class MessageStore {
  private readonly bySid = new Map<string, EmulatedMessage>();

  add(message: EmulatedMessage): void {
    this.bySid.set(message.sid, message);
  }

  get(sid: string): EmulatedMessage | undefined {
    return this.bySid.get(sid);
  }

  all(): EmulatedMessage[] {
    return [...this.bySid.values()];
  }

  clear(): void {
    this.bySid.clear();
  }
}
