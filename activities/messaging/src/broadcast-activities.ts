import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { BroadcastActivities, MessagingActivities, MessagingPolicy, SendOutcome } from '@continuum/contracts';
import type { AudienceStore, BroadcastStore, ProfileStore, RecipientOutcome, SendRateLimiter } from '@continuum/data';
import { quietHoursAt } from '@continuum/domain';

/** Longest single wait for the broadcast's next slot before heartbeating again. */
const SLOT_WAIT_MS = 5_000;

/**
 * Broadcast batches: each member of a page gets the template through `sendMessage` (outbox keyed by
 * the run and the member, so a retried batch sends no one twice; consent, caps and the sender's rate
 * applied there), paced at the broadcast's own rate, skipping members inside quiet hours. Every
 * member's outcome is recorded once; progress is heartbeated, so a retry resumes where it stopped.
 */
export function createBroadcastActivities(deps: {
  audiences: AudienceStore;
  broadcasts: BroadcastStore;
  profiles: ProfileStore;
  messaging: Pick<MessagingActivities, 'sendMessage'>;
  limiter: SendRateLimiter;
  policy: MessagingPolicy;
}): BroadcastActivities {
  return {
    async sendBroadcastBatch(input) {
      const context = Context.current();
      const resumed = (context.info.heartbeatDetails as { last?: string } | undefined)?.last;
      const members = await deps.audiences.members(input.audienceId, { first: input.limit, ...(resumed ?? input.after ? { after: resumed ?? input.after } : {}) });
      // Members a cancelled or retried batch already reached keep their outcome (and get nothing more).
      const reached = await deps.broadcasts.reached(input.broadcastId, members.map((member) => member.customerId));
      for (const { customerId } of members) {
        if (reached.has(customerId)) continue;
        // Paused or cancelled (the run cancels this activity) or a worker shutting down: stop here;
        // a retry resumes after the last heartbeat.
        if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? new Error('cancelled');
        const profile = await deps.profiles.get(input.workspaceId, customerId);
        let outcome: RecipientOutcome;
        // The customer's zone, else a timezone trait that is one, else their country's, else the workspace's.
        if (quietHoursAt(Date.now(), deps.policy, profile)) {
          outcome = { customerId, outcome: 'skipped', reason: 'quiet-hours' };
        } else {
          await paced(deps.limiter, `broadcast:${input.broadcastId}`, input.ratePerSecond, context.cancellationSignal, () => context.heartbeat({ last: customerId }));
          const sent: SendOutcome = await deps.messaging
            .sendMessage({
              workspaceId: input.workspaceId,
              customerId,
              instanceId: input.instanceId,
              runId: input.runId,
              journeyId: 'broadcast',
              step: `member:${customerId}`,
              channel: input.channel,
              template: {
                name: input.template,
                payload: { profile: { traits: profile?.traits ?? {}, identities: { userId: customerId } }, broadcast: { id: input.broadcastId } },
              },
              purpose: 'marketing',
            })
            .catch((error: unknown) => {
              // A request refused for good is this member's failure; anything else retries the batch.
              if (error instanceof ApplicationFailure && error.nonRetryable) return { status: 'failed' as const, reason: error.message };
              throw error;
            });
          outcome =
            sent.status === 'sent'
              ? { customerId, outcome: 'sent', messageId: sent.messageId }
              : sent.status === 'skipped'
                ? { customerId, outcome: 'skipped', reason: sent.rule ?? sent.reason }
                : { customerId, outcome: 'failed', reason: sent.errorCode ? `error ${sent.errorCode}` : sent.reason, messageId: sent.messageId ?? null };
        }
        await deps.broadcasts.record(input.broadcastId, [outcome]);
        context.heartbeat({ last: customerId });
      }
      return { count: members.length, ...(members.length > 0 ? { last: members[members.length - 1]!.customerId } : {}) };
    },
    async setBroadcastStatus({ broadcastId, status }) {
      await deps.broadcasts.setStatus(broadcastId, status);
    },
  };
}

/** Waits for the broadcast's next slot at its rate (shared by every worker), heartbeating meanwhile. */
async function paced(limiter: SendRateLimiter, key: string, ratePerSecond: number, signal: AbortSignal, heartbeat: () => void): Promise<void> {
  for (;;) {
    const slot = await limiter.reserve(key, ratePerSecond, SLOT_WAIT_MS);
    if (slot.reserved) {
      if (slot.waitMs > 0) await sleep(slot.waitMs, undefined, { signal });
      return;
    }
    heartbeat();
    await sleep(Math.min(slot.retryAfterMs, SLOT_WAIT_MS), undefined, { signal });
  }
}
