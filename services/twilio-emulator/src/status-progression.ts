import type { DeliveryPlan } from './delivery-plan';
import type { EmulatorLogger } from './emulator-logger';
import { API_VERSION } from './message-resource';
import type { EmulatedMessage, EmulatedMessageStatus } from './message-store';
import { postSignedForm } from './webhook-poster';

export interface StatusProgressionSettings {
  authToken: string;
  statusDelayMs: number;
  callbackTimeoutMs: number;
  logger: EmulatorLogger;
}

interface Step {
  status: EmulatedMessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  /** The sender a messaging service picked; set on `from` when the message leaves the queue. */
  sender: string | null;
}

/**
 * Moves each message queued → sent → delivered (or undelivered/failed as its delivery plan says),
 * statusDelayMs apart, and posts one signed status callback per change, in order, per message.
 */
export class StatusProgression {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly callbackChains = new Map<string, Promise<void>>();
  private abort = new AbortController();

  constructor(private readonly settings: StatusProgressionSettings) {}

  start(message: EmulatedMessage, plan: DeliveryPlan): void {
    const { outcome, sender } = plan;
    const steps: Step[] =
      outcome.final === 'failed'
        ? [{ status: 'failed', errorCode: outcome.errorCode, errorMessage: outcome.errorMessage, sender }]
        : outcome.final === 'sent'
          ? [{ status: 'sent', errorCode: null, errorMessage: null, sender }]
          : [
              { status: 'sent', errorCode: null, errorMessage: null, sender },
              outcome.final === 'delivered'
                ? { status: 'delivered', errorCode: null, errorMessage: null, sender }
                : { status: outcome.final, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage, sender },
            ];
    this.notify(message, 'queued');
    this.scheduleSteps(message, steps);
  }

  /** Stops every pending status change and callback (on close, or when the messages are cleared). */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.abort.abort();
    this.abort = new AbortController();
    this.callbackChains.clear();
  }

  /** Resolves when every callback started so far has been delivered or given up. */
  async settled(): Promise<void> {
    await Promise.all([...this.callbackChains.values()]);
  }

  private scheduleSteps(message: EmulatedMessage, steps: Step[]): void {
    const [next, ...rest] = steps;
    if (!next) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.apply(message, next);
      this.scheduleSteps(message, rest);
    }, this.settings.statusDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private apply(message: EmulatedMessage, step: Step): void {
    const now = new Date().toISOString();
    message.status = step.status;
    message.errorCode = step.errorCode;
    message.errorMessage = step.errorMessage;
    message.dateUpdated = now;
    if (step.status === 'sent') message.dateSent = now;
    // A messaging service picks its sender when the message leaves the queue (or fails on that channel).
    message.from ??= step.sender;
    message.history.push({ status: step.status, at: now, errorCode: step.errorCode });
    this.notify(message, step.status);
  }

  private notify(message: EmulatedMessage, status: EmulatedMessageStatus): void {
    const url = message.statusCallback;
    if (url === null) return;
    const params = this.callbackParams(message, status);
    const { signal } = this.abort;
    const previous = this.callbackChains.get(message.sid) ?? Promise.resolve();
    const chain = previous.then(async () => {
      if (signal.aborted) return;
      const result = await postSignedForm(url, params, {
        authToken: this.settings.authToken,
        signal,
        timeoutMs: this.settings.callbackTimeoutMs,
      });
      if (signal.aborted) return;
      message.callbacks.push({ status, url, ...result, at: new Date().toISOString() });
      if (result.error !== null) {
        this.settings.logger('warn', 'status callback failed', { sid: message.sid, status, url, ...result });
      }
    });
    this.callbackChains.set(message.sid, chain);
    void chain.finally(() => {
      if (this.callbackChains.get(message.sid) === chain) this.callbackChains.delete(message.sid);
    });
  }

  private callbackParams(message: EmulatedMessage, status: EmulatedMessageStatus): Record<string, string> {
    const params: Record<string, string> = {
      AccountSid: message.accountSid,
      ApiVersion: API_VERSION,
      MessageSid: message.sid,
      MessageStatus: status,
      SmsSid: message.sid,
      SmsStatus: status,
      To: message.to,
    };
    if (message.from !== null) params['From'] = message.from;
    if (message.messagingServiceSid !== null) params['MessagingServiceSid'] = message.messagingServiceSid;
    if ((status === 'undelivered' || status === 'failed') && message.errorCode !== null) {
      params['ErrorCode'] = String(message.errorCode);
    }
    return params;
  }
}
