import type { ConversationActivities } from '@continuum/contracts';
import { proxyActivities } from './temporal';

/** The conversation's side effects: classifying, reading the customer's context, recording topics and messages. */
export const activities = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
