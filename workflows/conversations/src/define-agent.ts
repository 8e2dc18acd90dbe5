import {
  conversationWorkflowId,
  parseJourneyWorkflowId,
  TOPIC_ASSIGNED,
  TOPIC_CLOSED,
  TOPIC_MESSAGE,
  topicProgressSignal,
  type CustomerEvent,
  type Intent,
  type MessageChannel,
  type SendOutcome,
  type MessageVoice,
  type StockReport,
  type TopicIntent,
  type TopicProgress,
  type TopicMessage,
} from '@continuum/contracts';
import { defineJourney, inVoice, type JourneyRun, type JourneyWorkflow } from '@continuum/journey';
import { workflowInfo } from './temporal';

/** What the conversation hands an agent with each message: the topic's whole context. */
export interface TopicEventProperties {
  topic_id: string;
  conversation_id: string;
  intent: TopicIntent;
  channel: MessageChannel;
  subject?: string;
  facts: Record<string, string>;
  history: TopicMessage[];
  message: {
    messageId: string;
    body: string;
    channel: MessageChannel;
    at: string;
    intent: Intent;
    /** The message asks something (absent in events from before questions were told apart). */
    question?: boolean;
    /** The language the message is written in (en, pt-BR, es; the customer's profile locale when it could not tell): the agent answers in it. Absent in older histories (English). */
    locale?: string;
    /** The knowledge base's answer to the question, in the language it was asked in. */
    knowledge?: { id: string; answer: string };
    /** What the workspace's stock lookup found for a sales message (CONVERSATION_STOCK_LOOKUP). */
    stock?: StockReport;
    /** The workspace's voice for the customer (policy rule `voice`): form of address, sign-off, emoji. Absent in older histories (the default voice). */
    voice?: MessageVoice;
  };
  /** Which start of the topic's agent this instance is (set on its first event by the conversation). */
  agent_run?: number;
}

/** One turn: the message to answer, in the context of everything before it. */
export interface AgentTurn {
  message: TopicEventProperties['message'];
  /** Facts of the topic: from every channel the customer used, and what this agent learnt. */
  facts: Record<string, string>;
  /** The topic's recent messages, in and out, on every channel (the current one last). */
  history: TopicMessage[];
  /** Where this agent's own dialogue stands (set by its previous answers). */
  stage?: string;
  turn: number;
}

export interface AgentAnswer {
  reply: string;
  facts?: Record<string, string>;
  stage?: string;
  /** false: the agent could not tell what the customer wants (twice in a row hands the topic to a person). */
  understood?: boolean;
  /** The customer's matter is settled (the topic is resolved, by automation). */
  resolved?: boolean;
  /** The fact the reply asks the customer for (`orderId`, `reason`, `product`, `size`): the conversation tells a re-ask. */
  asks?: string;
}

export interface AgentDefinition {
  /** Journey id, e.g. `returns-agent`. */
  id: string;
  intent: TopicIntent;
  description: string;
  /** Decides the answer: deterministic, from the turn alone (it runs in the workflow). */
  respond(turn: AgentTurn): AgentAnswer;
}

/** The subject of an email reply in the topic. */
function replySubject(subject: string | undefined): string {
  return subject ? `Re: ${subject}` : 'Your conversation with us';
}

/** What the conversation records of a send (the reply row of the topic's history). */
function replyReport(
  id: string,
  body: string,
  channel: MessageChannel,
  outcome: SendOutcome,
  at: number,
): { id: string; body: string; channel: MessageChannel; status: 'sent' | 'skipped' | 'failed'; reason?: string; outboxId?: string; at: string } {
  return {
    id,
    body,
    channel,
    status: outcome.status,
    ...(outcome.status === 'sent' ? { outboxId: outcome.messageId } : { reason: outcome.reason }),
    ...(outcome.status === 'failed' && outcome.messageId ? { outboxId: outcome.messageId } : {}),
    at: new Date(at).toISOString(),
  };
}

/**
 * Sends a message of the topic on `channel` (a subject for email, a title in-app) and tells the
 * conversation what happened to it, with `progress` (facts learnt, understood, resolved).
 */
export async function replyInTopic<S>(
  journey: JourneyRun<S>,
  options: { step: string; id: string; channel: MessageChannel; subject?: string; conversation: string; body: string; author: string; quietHours: 'ignore' | 'queue' },
  /** What to tell with the reply; a function decides it once the reply is sent (e.g. whether the agent ends). */
  told: TopicReport | (() => Promise<TopicReport>) = {},
): Promise<SendOutcome> {
  const outcome = await journey.send(options.step, {
    channel: options.channel,
    body: options.body,
    // An answer the customer asked for: never marketing (transactional consent).
    transactional: true,
    quietHours: options.quietHours,
    ...(options.channel === 'email' ? { subject: replySubject(options.subject) } : {}),
    ...(options.channel === 'in_app' ? { title: 'Support' } : {}),
  });
  const progress = typeof told === 'function' ? await told() : told;
  await journey.tell(options.conversation, topicProgressSignal, {
    topicId: journey.key,
    author: options.author,
    reply: replyReport(options.id, options.body, options.channel, outcome, Date.now()),
    ...progress,
  });
  return outcome;
}

/** What a reply tells the conversation besides the reply itself. */
export type TopicReport = Omit<TopicProgress, 'topicId' | 'author' | 'reply'>;

/**
 * The conversation an agent instance answers in: the one its events named, else its parent (the
 * conversation starts every agent instance as its child), else the conversation of the customer in
 * its workflow id. An instance whose first message never came (the conversation's signal was later
 * than the wait for it) has no event to name it, and must still tell that conversation it ended.
 */
function conversationOf<S>(journey: JourneyRun<S>): string {
  const named = journey.context['conversation'];
  if (typeof named === 'string' && named !== '') return named;
  const info = workflowInfo();
  if (info.parent?.workflowId) return info.parent.workflowId;
  const parsed = parseJourneyWorkflowId(info.workflowId);
  return conversationWorkflowId(parsed?.customerId ?? journey.customerId);
}

/**
 * Agents that started before this change end as soon as the topic is resolved, even with a message
 * waiting, and do not say which message each reply answers.
 */
const AGENT_DRAIN_PATCH = 'continuum.agent-drain';

/**
 * An automated agent: a journey (one instance per topic) that answers each message of its topic
 * on the channel the customer wrote on, tells the conversation what it learnt and sent, and waits
 * for the next message. It starts from the context the conversation hands it, never blind.
 */
export function defineAgent(agent: AgentDefinition): JourneyWorkflow {
  return defineJourney({
    id: agent.id,
    version: 1,
    description: agent.description,
    entry: { events: [TOPIC_ASSIGNED], where: { 'properties.agent': agent.intent } },
    key: 'properties.topic_id',
    exitOn: [TOPIC_CLOSED],
    listensTo: [TOPIC_MESSAGE],
    settings: {
      idleTimeout: { type: 'duration', default: '7 days', description: 'How long the agent waits for the next message of its topic before it ends' },
    },
    // Step ids carry the turn (`reply-2`, `wait-3`): not checked against the declared graph.
    dynamicStepIds: true,
    steps: [
      { id: 'entry', kind: 'entry', label: `${TOPIC_ASSIGNED} (${agent.intent})`, next: ['reply'] },
      { id: 'reply', kind: 'send', label: 'Answer on the channel the customer wrote on', next: ['wait'] },
      { id: 'wait', kind: 'wait-for', label: `Wait for the next ${TOPIC_MESSAGE}`, next: ['reply', 'done'] },
      { id: 'done', kind: 'complete', label: 'Resolved, or idle' },
      { id: 'exit', kind: 'exit', label: `${TOPIC_CLOSED}: escalated, resolved or handed elsewhere` },
    ],
    async run(journey) {
      const drains = journey.patched(AGENT_DRAIN_PATCH);
      const handled = new Set<string>();
      const unhandled = (event: CustomerEvent) => !handled.has(event.messageId);
      const waiting = () => journey.events.some((event) => event.event === TOPIC_MESSAGE && unhandled(event));
      const runOf = (): { run?: number } => (drains && typeof journey.context['agentRun'] === 'number' ? { run: journey.context['agentRun'] } : {});
      // The entry event, then each message of the topic in turn (one that came while answering included).
      let next = await journey.waitFor(TOPIC_ASSIGNED, { timeout: '1 minute', step: 'assigned', earlier: true, where: unhandled });
      for (let turn = 1; ; turn++) {
        if (next.outcome === 'timeout') {
          await journey.tell(conversationOf(journey), topicProgressSignal, { topicId: journey.key, author: `bot:${agent.intent}`, ended: true, ...runOf() });
          return journey.complete({ idle: true, turns: turn - 1 });
        }
        handled.add(next.event.messageId);
        const topic = next.event.properties as unknown as TopicEventProperties;
        if (drains && turn === 1 && typeof topic.agent_run === 'number') journey.context['agentRun'] = topic.agent_run;
        const answer = await journey.decide(() => {
          const facts = { ...topic.facts, ...((journey.context['facts'] as Record<string, string> | undefined) ?? {}) };
          const decided = agent.respond({ message: topic.message, facts, history: topic.history, stage: journey.context['stage'] as string | undefined, turn });
          // In the workspace's voice: its sign-off, and no emoji (a knowledge answer's included) when it has none.
          return { ...decided, reply: inVoice(decided.reply, topic.message.voice), facts: { ...facts, ...decided.facts } };
        });
        journey.context['conversation'] = topic.conversation_id;
        journey.context['facts'] = answer.facts;
        if (answer.stage !== undefined) journey.context['stage'] = answer.stage;
        const report: TopicReport = {
          facts: answer.facts,
          ...(answer.understood !== undefined ? { understood: answer.understood } : {}),
          ...(answer.asks !== undefined ? { asked: answer.asks } : {}),
        };
        // Resolved ends the instance, unless the customer wrote again meanwhile: that message is answered first.
        // What arrives after it told the conversation it ended is the conversation's to give to a new instance.
        let ends = answer.resolved === true;
        const told = drains
          ? async (): Promise<TopicReport> => {
              ends = ends && (await journey.decide(() => !waiting()));
              return { ...report, answered: topic.message.messageId, ...runOf(), ...(ends ? { resolved: true, ended: true } : {}) };
            }
          : { ...report, ...(ends ? { resolved: true, ended: true } : {}) };
        // The customer just asked: an answer does not wait for quiet hours.
        await replyInTopic(
          journey,
          // A later instance of the topic counts its turns from 1 again: its replies are named by the message they answer.
          { step: `reply-${turn}`, id: drains ? `${agent.id}:${journey.key}:reply-to:${topic.message.messageId}` : `${agent.id}:${journey.key}:reply-${turn}`, channel: topic.channel, subject: topic.subject, conversation: topic.conversation_id, body: answer.reply, author: `bot:${agent.intent}`, quietHours: 'ignore' },
          told,
        );
        if (ends) return journey.complete({ resolved: true, turns: turn });
        next = await journey.waitFor(TOPIC_MESSAGE, { timeout: journey.settings.idleTimeout, step: `wait-${turn}`, earlier: true, where: unhandled });
      }
    },
  });
}
