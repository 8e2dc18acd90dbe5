import type { ConversationActivities } from '@continuum/contracts';
import { patched, proxyActivities, proxyLocalActivities } from './temporal';

const remote = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
/**
 * Classifying a message (the intent model answers within its own 2 s timeout), reading the
 * customer's context and recording topics are short: as local activities they run inside the
 * workflow task that asks for them — all of one task's local activities are one Temporal Cloud
 * action, where each activity is one action, an activity task and another workflow task. Past a
 * minute of retries they back off on durable timers.
 */
const local = proxyLocalActivities<ConversationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
/** Conversations that ran these as activities before replay them as activities. */
export const LOCAL_CONVERSATION_ACTIVITIES_PATCH = 'continuum.conversation-local-activities';
const pick = (): ConversationActivities => (patched(LOCAL_CONVERSATION_ACTIVITIES_PATCH) ? local : remote);

/** The conversation's side effects: classifying, reading the customer's context, recording topics and messages. */
export const activities: ConversationActivities = {
  classifyMessage: (input) => pick().classifyMessage(input),
  recordConversation: (input) => pick().recordConversation(input),
  getConversationContext: (input) => pick().getConversationContext(input),
};
