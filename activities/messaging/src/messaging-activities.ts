import { ApplicationFailure } from '@temporalio/common';
import type { MessagingActivities, SendOutcome, SendSmsInput } from '@continuum/contracts';
import type { ConsentStore, FrequencyCap, MessageStore, SendRateLimiter } from '@continuum/data';
import { TwilioSendError } from '@continuum/twilio';
import { bodyToSend, type RenderTemplateBody } from './template-body';

/** After this long a claimed send whose worker died mid-call is taken over (a possible resend). */
const SEND_CLAIM_STALE_MS = 2 * 60 * 1000;

/** What the messaging activities need from a provider (the Twilio SMS sender in production). */
export interface SmsProvider {
  sendSms(request: { to: string; from: string; body: string; statusCallback?: string }): Promise<{ sid: string; status: string }>;
}

/** How one provider call ended: `sent` (accepted), `failed` (refused for good), `error` (retried). */
export interface SendAttempt {
  channel: 'sms';
  status: 'sent' | 'failed' | 'error';
  input: SendSmsInput;
  providerId?: string;
  errorCode?: number;
}

/** Told about every provider call (not about retries answered from the outbox). */
export interface SendObserver {
  sendFinished(attempt: SendAttempt): void;
}

/** Twilio: the recipient replied STOP; the carrier blocks every message until they reply START. */
const UNSUBSCRIBED_RECIPIENT = 21610;
/** Longest wait for a rate-limit token inside one attempt (the activity's timeout is a minute). */
const MAX_RATE_WAIT_MS = 30_000;

/**
 * Sends through the outbox: the (instance, step) row is claimed before the provider call, so a
 * retried activity returns the earlier result instead of sending twice. At the moment of sending it
 * checks consent and the frequency caps (atomically with the claim) and takes a token from the
 * sender's rate limit shared by every worker.
 */
export function createMessagingActivities(deps: {
  messages: MessageStore;
  /** Consent is checked inside the send, at the moment of sending. */
  consents: ConsentStore;
  sms: SmsProvider;
  fromNumber: string;
  /** Where the provider posts status callbacks (the gateway webhook); omitted when unset. */
  statusCallbackUrl?: string;
  observer?: SendObserver;
  /** Per-customer caps over rolling windows; transactional messages are not capped. */
  frequencyCaps?: FrequencyCap[];
  /** Messages per second per sender, across workers (absent or 0: no limit). */
  rateLimit?: { limiter: SendRateLimiter; messagesPerSecond: number };
  /** Renders `input.template` at send time; without it a templated send fails with a template error. */
  renderBody?: RenderTemplateBody;
}): MessagingActivities {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Waits for a token of the sender's rate; false when none came within MAX_RATE_WAIT_MS. */
  const takeRateToken = async (): Promise<boolean> => {
    const limit = deps.rateLimit;
    if (!limit || limit.messagesPerSecond <= 0) return true;
    const deadline = Date.now() + MAX_RATE_WAIT_MS;
    for (;;) {
      const waitMs = await limit.limiter.tryTake(deps.fromNumber, limit.messagesPerSecond);
      if (waitMs === 0) return true;
      if (Date.now() + waitMs > deadline) return false;
      await sleep(waitMs);
    }
  };
  const observe = (attempt: SendAttempt) => deps.observer?.sendFinished(attempt);
  return {
    async sendSms(input: SendSmsInput): Promise<SendOutcome> {
      if (!/^\+[1-9]\d{7,14}$/.test(input.to)) {
        throw ApplicationFailure.nonRetryable(`sendSms: "to" must be an E.164 number, got "${input.to}"`, 'InvalidSendRequest');
      }
      const purpose = input.purpose ?? 'marketing';
      const consent = await deps.consents.statusOf(input.workspaceId, input.customerId, 'sms', purpose);
      if (consent === 'unsubscribed') {
        // Checked before the outbox claim: nothing is recorded as sent, and a later retry checks again.
        return { status: 'skipped', reason: `no consent: the customer unsubscribed from sms ${purpose} messages` };
      }
      const toSend = await bodyToSend(input, deps.renderBody);
      if (!('body' in toSend)) return toSend;
      const caps = purpose === 'transactional' ? [] : (deps.frequencyCaps ?? []);
      const claimed = await deps.messages.claimWithinCaps(
        {
          workspaceId: input.workspaceId,
          customerId: input.customerId,
          instanceId: input.instanceId,
          runId: input.runId,
          step: input.step,
          channel: 'sms',
          to: input.to,
          body: toSend.body,
        },
        caps,
      );
      if ('capped' in claimed) {
        return { status: 'skipped', reason: `frequency cap: ${claimed.count} messages already within ${claimed.capped.label}` };
      }
      const { message } = claimed;
      if (message.providerId) {
        return { status: 'sent', messageId: message.id, providerId: message.providerId, duplicate: true };
      }
      if (message.status === 'failed') {
        return { status: 'failed', messageId: message.id, errorCode: message.errorCode ?? undefined, reason: message.errorMessage ?? 'failed' };
      }
      if (!(await takeRateToken())) {
        // The sender's rate is taken by other sends; Temporal retries this attempt with backoff.
        throw ApplicationFailure.retryable(`sendSms: the rate limit of ${deps.fromNumber} left no slot within ${MAX_RATE_WAIT_MS / 1000} s`, 'RateLimited');
      }
      if (!(await deps.messages.acquireSend(message.id, SEND_CLAIM_STALE_MS))) {
        // Another attempt is calling the provider right now; retrying later returns its result.
        throw ApplicationFailure.retryable(`sendSms: a send for ${input.instanceId} step ${input.step} is in progress`, 'SendInProgress');
      }
      try {
        const sent = await deps.sms.sendSms({
          to: input.to,
          from: deps.fromNumber,
          body: toSend.body,
          statusCallback: deps.statusCallbackUrl,
        });
        await deps.messages.markAccepted(message.id, sent.sid, 'queued');
        observe({ channel: 'sms', status: 'sent', input, providerId: sent.sid });
        return { status: 'sent', messageId: message.id, providerId: sent.sid, duplicate: false };
      } catch (error) {
        if (error instanceof TwilioSendError && error.permanent) {
          await deps.messages.markFailed(message.id, error.code ?? null, error.message);
          if (error.code === UNSUBSCRIBED_RECIPIENT) {
            await deps.consents.applyToChannel(input.workspaceId, input.customerId, 'sms', ['marketing', 'transactional'], 'unsubscribed', `provider:${UNSUBSCRIBED_RECIPIENT}`, new Date(), {
              messageId: message.id,
              to: input.to,
            });
          }
          observe({ channel: 'sms', status: 'failed', input, errorCode: error.code ?? undefined });
          return { status: 'failed', messageId: message.id, errorCode: error.code ?? undefined, reason: error.message };
        }
        await deps.messages.releaseSend(message.id);
        observe({ channel: 'sms', status: 'error', input });
        throw error; // transient: Temporal retries the activity with backoff
      }
    },
  };
}
