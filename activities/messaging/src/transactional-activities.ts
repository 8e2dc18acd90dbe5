import { ApplicationFailure } from '@temporalio/common';
import { transactionalSendRequest, type ProfileSnapshot, type SendOutcome, type TransactionalActivities } from '@continuum/contracts';
import type { TransactionalStore } from '@continuum/data';
import type { OutboxSend } from './messaging-activities';

export interface TransactionalDeps {
  transactional: TransactionalStore;
  /** The customer's profile as a template renders it (the profile activities' `getProfile`). */
  getProfile(input: { workspaceId: string; userId: string }): Promise<ProfileSnapshot | undefined>;
  /** The messaging activities' outbox send. */
  sendMessage: OutboxSend;
}

/**
 * A transactional message's activities: its whole send (`sendTransactional`), and the record of how
 * a send ended (`recordTransactionalOutcome`, for runs that sent by the messaging activity), both
 * for `transactionalMessage` and `GET /v1/messages/:id`.
 */
export function createTransactionalActivities(deps: TransactionalDeps): TransactionalActivities {
  const record = async (requestId: string, outcome: SendOutcome): Promise<void> => {
    await deps.transactional.complete(requestId, {
      status: outcome.status,
      ...('messageId' in outcome && outcome.messageId ? { messageId: outcome.messageId } : {}),
      ...(outcome.status === 'sent' ? {} : { reason: outcome.reason }),
    });
  };
  return {
    async recordTransactionalOutcome({ requestId, outcome }) {
      await record(requestId, outcome);
    },
    async sendTransactional({ request, instanceId, runId }) {
      const profile = await deps.getProfile({ workspaceId: request.workspaceId, userId: request.customerId });
      const outcome: SendOutcome = await deps.sendMessage(transactionalSendRequest(request, { instanceId, runId }, profile)).catch((error: unknown) => {
        // A request refused for good (an explicit address that is not one) is this message's failure;
        // anything else (the provider or the database away) fails the attempt, and a retry sends it.
        if (error instanceof ApplicationFailure && error.nonRetryable) return { status: 'failed' as const, channel: request.channel, reason: error.message };
        throw error;
      });
      await record(request.requestId, outcome);
      return outcome;
    },
  };
}
