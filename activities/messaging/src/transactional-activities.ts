import type { TransactionalActivities } from '@continuum/contracts';
import type { TransactionalStore } from '@continuum/data';

/** Records how a transactional message's send ended, for `transactionalMessage` and `GET /v1/messages/:id`. */
export function createTransactionalActivities(deps: { transactional: TransactionalStore }): TransactionalActivities {
  return {
    async recordTransactionalOutcome({ requestId, outcome }) {
      await deps.transactional.complete(requestId, {
        status: outcome.status,
        ...('messageId' in outcome && outcome.messageId ? { messageId: outcome.messageId } : {}),
        ...(outcome.status === 'sent' ? {} : { reason: outcome.reason }),
      });
    },
  };
}
