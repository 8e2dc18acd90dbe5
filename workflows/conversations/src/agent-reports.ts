import type { ConversationMessageRecord, TopicEventRecord, TopicProgress } from '@continuum/contracts';
import { activities } from './conversation-activities';
import { NOT_UNDERSTOOD_LIMIT } from './conversation-limits';
import type { ConversationMemory } from './conversation-memory';
import type { TopicActions } from './topic-actions';
import type { TopicInstances } from './topic-instances';

/**
 * What the journeys answering in a topic report (`topicProgress`): the reply they sent, facts they
 * learnt, whether they understood, resolved or ended. It escalates, resolves or hands the topic's
 * unanswered messages to a new agent instance.
 */
export class AgentReports {
  constructor(
    private readonly memory: ConversationMemory,
    private readonly instances: TopicInstances,
    private readonly actions: TopicActions,
  ) {}

  async receive(progress: TopicProgress): Promise<void> {
    const { memory, instances } = this;
    const topic = memory.topics.find((candidate) => candidate.id === progress.topicId);
    if (!topic) return;
    const messages: ConversationMessageRecord[] = [];
    // Asking for what the customer already gave (here, or about them and their order in another topic) is a re-ask.
    const reasked = progress.asked !== undefined && progress.author.startsWith('bot:') && memory.alreadyGiven(topic, progress.asked);
    if (progress.reply) {
      const { reply: sent } = progress;
      // A person's reply was remembered when they sent it; a bot's is remembered now.
      if (!progress.author.startsWith('human:')) memory.remember(topic, { direction: 'out', author: progress.author, channel: sent.channel, body: sent.body, at: sent.at });
      messages.push({
        id: sent.id,
        workspaceId: memory.workspaceId,
        customerId: memory.customerId,
        topicId: topic.id,
        direction: 'out',
        author: progress.author,
        channel: sent.channel,
        body: sent.body,
        status: sent.status,
        ...(sent.reason ? { reason: sent.reason } : {}),
        ...(sent.outboxId ? { outboxId: sent.outboxId } : {}),
        at: sent.at,
      });
    }
    if (progress.facts) topic.facts = { ...topic.facts, ...progress.facts };
    // A late report of an earlier instance of the topic's agent (a newer one answers now) changes nothing but the record.
    const current = progress.run === undefined || progress.run === topic.agentRun;
    const fromAgent = progress.author === `bot:${topic.intent}` && current;
    if (fromAgent && topic.unanswered) {
      // Agents from before `answered` existed answer each message in turn, once.
      const index = progress.answered !== undefined ? topic.unanswered.findIndex((each) => each.message['messageId'] === progress.answered) : progress.reply ? 0 : -1;
      if (index >= 0) topic.unanswered.splice(index, 1);
    }
    if (fromAgent && progress.ended) instances.markClosing(topic, topic.agentInstance);
    if (topic.status === 'automated' && progress.author.startsWith('bot:')) {
      if (progress.understood === false) topic.notUnderstood += 1;
      else if (progress.understood === true) topic.notUnderstood = 0;
    }
    const events: TopicEventRecord[] = reasked ? [memory.topicEvent(topic, 'reasked', progress.reply?.at ?? new Date(Date.now()).toISOString(), { reason: progress.asked })] : [];
    await activities.recordConversation({ messages, topics: [memory.topicRecord(topic)], ...(events.length > 0 ? { events } : {}) });
    if (topic.status !== 'automated') return;
    if (topic.notUnderstood >= NOT_UNDERSTOOD_LIMIT) return this.actions.escalate(topic, 'not-understood-twice', new Date(Date.now()).toISOString());
    // The customer wrote again before the agent ended: that message is answered, the topic stays open.
    const waiting = fromAgent && progress.ended === true && (topic.unanswered?.length ?? 0) > 0;
    if (!current) return;
    if (progress.resolved && !waiting) {
      await this.actions.resolve(topic, progress.author);
      return;
    }
    if (progress.ended) topic.agentInstance = undefined;
    if (waiting) await instances.handOverUnanswered(topic);
  }
}
