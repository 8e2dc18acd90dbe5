import { AGENT_REPLIED, TOPIC_CLOSED, TOPIC_ESCALATED, type CustomerEvent, type MessageVoice } from '@continuum/contracts';
import { defineJourney, inVoice } from '@continuum/journey';
import { sentencesFor } from './agent-sentences';
import { replyInTopic, type TopicEventProperties } from './define-agent';

interface AgentReplyProperties extends TopicEventProperties {
  reply_id: string;
  body: string;
  agent_name: string;
}

/** The message a customer gets when a person takes over, in the language they wrote in and the workspace's voice: they are told nothing needs repeating. */
export function acknowledgement(reason: string, locale?: string, voice?: MessageVoice): string {
  const say = sentencesFor(locale, voice?.address).handover;
  const opening = reason === 'asked-for-person' || reason === 'not-understood-twice' || reason === 'vip' || reason === 'upset' ? say[reason] : say.other;
  return inVoice(`${opening} ${say.noRepeat}`, voice);
}

/**
 * A topic with a person: acknowledges the handover, then sends each reply the person writes
 * (GraphQL `replyToTopic`) on the customer's current channel, under the same rules as any
 * message: consent for the channel, and quiet hours in the customer's time zone (the reply waits
 * until they end). Ends when the topic is resolved or handed back (`Topic Closed`).
 */
export const humanHandoff = defineJourney({
  id: 'human-handoff',
  version: 1,
  description: 'A person handles the topic: acknowledges the handover, then sends their replies on the customer’s channel within consent and quiet hours',
  entry: { events: [TOPIC_ESCALATED] },
  key: 'properties.topic_id',
  exitOn: [TOPIC_CLOSED],
  listensTo: [AGENT_REPLIED],
  settings: {
    maxWait: { type: 'duration', default: '30 days', description: 'How long the handover waits for a person before it ends (the topic stays queued)' },
  },
  // Step ids carry the turn (`reply-2`, `wait-3`): not checked against the declared graph.
  dynamicStepIds: true,
  steps: [
    { id: 'entry', kind: 'entry', label: TOPIC_ESCALATED, next: ['acknowledge'] },
    { id: 'acknowledge', kind: 'send', label: 'Tell the customer a person is taking over', next: ['wait-reply'] },
    { id: 'wait-reply', kind: 'wait-for', label: `Wait for the person's reply (${AGENT_REPLIED})`, next: ['reply', 'done'] },
    { id: 'reply', kind: 'send', label: "Send the person's reply (consent, quiet hours)", next: ['wait-reply'] },
    { id: 'done', kind: 'complete', label: 'No reply within the wait' },
    { id: 'exit', kind: 'exit', label: `${TOPIC_CLOSED}: resolved or handed back` },
  ],
  async run(journey) {
    const handled = new Set<string>();
    const unhandled = (event: CustomerEvent) => !handled.has(event.messageId);
    const entry = await journey.waitFor(TOPIC_ESCALATED, { timeout: '1 minute', step: 'escalated', earlier: true, where: unhandled });
    if (entry.outcome === 'timeout') return journey.exit('no escalation event');
    const topic = entry.event.properties as unknown as TopicEventProperties & { reason: string; acknowledge?: boolean; locale?: string; voice?: MessageVoice };
    if (topic.acknowledge !== false) {
      const body = acknowledgement(topic.reason, topic.locale, topic.voice);
      await replyInTopic(journey, {
        step: 'acknowledge',
        id: `human-handoff:${journey.key}:acknowledge`,
        channel: topic.channel,
        subject: topic.subject,
        conversation: topic.conversation_id,
        body,
        author: 'bot:handoff',
        quietHours: 'ignore',
      });
    }
    for (let n = 1; ; n++) {
      const next = await journey.waitFor(AGENT_REPLIED, { timeout: journey.settings.maxWait, step: `wait-reply-${n}`, earlier: true, where: unhandled });
      if (next.outcome === 'timeout') return journey.complete({ replies: n - 1 });
      handled.add(next.event.messageId);
      const reply = next.event.properties as unknown as AgentReplyProperties;
      // A person's reply arrives at a time of their choosing: it waits out the customer's quiet hours.
      await replyInTopic(journey, {
        step: `reply-${n}`,
        id: reply.reply_id,
        channel: reply.channel,
        subject: reply.subject,
        conversation: reply.conversation_id,
        body: reply.body,
        author: `human:${reply.agent_name}`,
        quietHours: 'queue',
      });
    }
  },
});
