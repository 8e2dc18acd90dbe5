import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  AGENT_JOURNEYS,
  AGENT_REPLIED,
  conversationStateQuery,
  CustomerIdKey,
  customerEventSignal,
  handBackTopicUpdate,
  HUMAN_HANDOFF_JOURNEY,
  inboundMessageSignal,
  InstanceKeyKey,
  JourneyIdKey,
  journeyWorkflowId,
  replyToTopicUpdate,
  resolveTopicUpdate,
  TOPIC_ASSIGNED,
  TOPIC_CLOSED,
  TOPIC_ESCALATED,
  TOPIC_INTENTS,
  TOPIC_MESSAGE,
  topicProgressSignal,
  type Classification,
  type ConversationActivities,
  type ConversationInput,
  type ConversationMessageRecord,
  type ConversationState,
  type CustomerEvent,
  type InboundMessage,
  type MessageChannel,
  type TopicEventRecord,
  type TopicEventType,
  type TopicIntent,
  type TopicProgress,
  type TopicRecord,
  type TopicState,
} from '@continuum/contracts';
import { workflowTypeOf } from '@continuum/journey';

const activities = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});

/** How much a conversation keeps in its state (older topics and messages are in PostgreSQL). */
const TOPICS_KEPT = 20;
const HISTORY_KEPT = 30;
const SEEN_KEPT = 500;
/** An open topic older than this is not continued by a new message: the customer starts afresh. */
const TOPIC_IDLE_MS = 30 * 24 * 3_600_000;
/** Turns an agent did not understand, in a row, before a person takes over. */
const NOT_UNDERSTOOD_LIMIT = 2;
const HISTORY_LIMIT = 4_000;
/** Messages handed to an agent and not answered yet, and ending instances, kept per topic. */
const UNANSWERED_KEPT = 20;
const CLOSING_KEPT = 5;
/** Tries to start an instance whose previous one (same id) is still closing, backing off up to a minute. */
const CLOSING_WAITS = 15;
/**
 * Conversations from before agent handover signal any running agent instance (one that is
 * completing drops the message) and do not track what each agent answered.
 */
const AGENT_HANDOVER_PATCH = 'continuum.agent-handover';

type Work =
  | { kind: 'inbound'; message: InboundMessage }
  | { kind: 'progress'; progress: TopicProgress }
  | { kind: 'command'; id: string; run: () => Promise<unknown> };

/**
 * One customer's conversation, across every channel and all time (continues-as-new): which topics
 * are open, their context (facts, recent messages), and who answers each — an automated agent
 * journey (returns, sales, support) or a person (the human-handoff journey). Work is done one item
 * at a time, in arrival order, so every reply is decided on the context before it.
 */
export async function conversation(input: ConversationInput): Promise<void> {
  const { workspaceId, customerId, customerRef } = input;
  const carried = input.carried;
  const topics: TopicState[] = carried?.topics ?? [];
  const seen: string[] = carried?.seen ?? [];
  let messagesSeen = carried?.messagesSeen ?? 0;
  let seq = carried?.seq ?? 0;
  const queue: Work[] = [];
  const results = new Map<string, { value?: unknown; error?: unknown }>();
  const handsOver = patched(AGENT_HANDOVER_PATCH);

  setHandler(inboundMessageSignal, (message) => void queue.push({ kind: 'inbound', message }));
  setHandler(topicProgressSignal, (progress) => void queue.push({ kind: 'progress', progress }));
  setHandler(conversationStateQuery, (): ConversationState => ({ customerId, topics, messagesSeen, continuedAsNew: carried?.continuedAsNew ?? 0 }));

  /** Runs a person's command in turn with the other work, and answers with its result. */
  const command = async <T>(run: () => Promise<T>): Promise<T> => {
    const id = uuid4();
    queue.push({ kind: 'command', id, run });
    await condition(() => results.has(id));
    const result = results.get(id)!;
    results.delete(id);
    if (result.error !== undefined) throw result.error;
    return result.value as T;
  };
  const humanTopic = (topicId: string) => {
    const topic = topics.find((candidate) => candidate.id === topicId);
    if (!topic) throw ApplicationFailure.nonRetryable(`no topic ${topicId} in this conversation`, 'TopicNotFound');
    if (topic.status !== 'human') throw ApplicationFailure.nonRetryable(`topic ${topicId} is ${topic.status}, not with a person`, 'TopicNotWithPerson');
    return topic;
  };
  setHandler(replyToTopicUpdate, (request) => command(() => reply(humanTopic(request.topicId), request.agent, request.body)), {
    validator: (request) => void humanTopic(request.topicId),
  });
  setHandler(resolveTopicUpdate, ({ topicId, by }) => command(() => resolve(findTopic(topicId), by)), {
    validator: ({ topicId }) => void findTopic(topicId),
  });
  setHandler(handBackTopicUpdate, ({ topicId, agent }) => command(() => handBack(humanTopic(topicId), agent)), {
    validator: ({ topicId }) => void humanTopic(topicId),
  });

  function findTopic(topicId: string): TopicState {
    const topic = topics.find((candidate) => candidate.id === topicId);
    if (!topic) throw ApplicationFailure.nonRetryable(`no topic ${topicId} in this conversation`, 'TopicNotFound');
    return topic;
  }

  // ---- writes ------------------------------------------------------------------------------

  const topicRecord = (topic: TopicState): TopicRecord => ({
    id: topic.id,
    workspaceId,
    customerId,
    intent: topic.intent,
    status: topic.status,
    channel: topic.channel,
    openedAt: topic.openedAt,
    lastMessageAt: topic.lastAt,
    ...(topic.resolvedAt ? { resolvedAt: topic.resolvedAt, resolvedBy: topic.resolvedBy } : {}),
    ...(topic.escalation ? { escalatedAt: topic.escalation.at, escalationReason: topic.escalation.reason } : {}),
    reopened: topic.reopened,
    facts: topic.facts,
  });
  const topicEvent = (topic: TopicState, type: TopicEventType, at: string, extra: Partial<TopicEventRecord> = {}): TopicEventRecord => ({
    id: `${topic.id}:${++seq}`,
    workspaceId,
    customerId,
    topicId: topic.id,
    type,
    channel: topic.channel,
    at,
    ...extra,
  });
  const remember = (topic: TopicState, message: TopicState['history'][number]) => {
    topic.history.push(message);
    if (topic.history.length > HISTORY_KEPT) topic.history.splice(0, topic.history.length - HISTORY_KEPT);
  };

  // ---- agents --------------------------------------------------------------------------------

  const journeyEvent = (topic: TopicState, name: string, properties: Record<string, unknown>): CustomerEvent => {
    const now = new Date(Date.now()).toISOString();
    return {
      messageId: `topic:${topic.id}:${++seq}`,
      workspaceId,
      userId: customerId,
      type: 'track',
      event: name,
      properties: {
        topic_id: topic.id,
        conversation_id: workflowInfo().workflowId,
        intent: topic.intent,
        agent: topic.intent,
        channel: topic.channel,
        ...(topic.subject ? { subject: topic.subject } : {}),
        facts: { ...topic.facts },
        history: topic.history.map((message) => ({ ...message })),
        ...properties,
      },
      timestamp: now,
      receivedAt: now,
    };
  };

  /**
   * Delivers `event` to the topic's instance of a journey when it is running; otherwise starts one
   * and delivers `starting` (its entry event first).
   */
  async function deliver(journeyId: string, topic: TopicState, event: CustomerEvent, starting: CustomerEvent[]): Promise<string> {
    const workflowId = journeyWorkflowId(journeyId, customerRef, topic.id);
    // An instance that ended (or was closed) may still be completing: a signal could reach it unanswered.
    if (topic.closing?.includes(workflowId)) return startOnceClosed(journeyId, topic, workflowId, event, starting);
    if (await signalIfRunning(workflowId, event)) return workflowId;
    // What an instance that is gone (not by handover) had not answered is not given to the new one.
    if (handsOver) topic.unanswered = undefined;
    try {
      await startInstance(journeyId, topic, workflowId, starting);
    } catch (error) {
      if (isCancellation(error)) throw error;
      // Started meanwhile by a retried start: it is running, so the event goes to it.
      await signalIfRunning(workflowId, event);
    }
    return workflowId;
  }

  async function startInstance(journeyId: string, topic: TopicState, workflowId: string, starting: CustomerEvent[]): Promise<void> {
    // An agent instance learns which start it is, and says so in what it reports (see TopicProgress.run).
    const run = handsOver && journeyId !== HUMAN_HANDOFF_JOURNEY ? (topic.agentRun = (topic.agentRun ?? 0) + 1) : undefined;
    const events = run === undefined ? starting : starting.map((each) => ({ ...each, properties: { ...each.properties, agent_run: run } }));
    const child = await startChild(workflowTypeOf(journeyId), {
      workflowId,
      args: [{ journeyId, workspaceId, customerId, key: topic.id }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: CustomerIdKey, value: customerRef },
        { key: JourneyIdKey, value: journeyId },
        { key: InstanceKeyKey, value: topic.id },
      ],
      staticSummary: `${journeyId} for ${customerRef} (topic ${topic.intent})`,
    });
    for (const each of events) await child.signal(customerEventSignal, each);
  }

  /**
   * Starts a new instance with the same workflow id as one that ended or was closed, once that one
   * has closed: its id is taken until then (it only has its last journal entry to write). After
   * CLOSING_WAITS tries the event is signalled as before.
   */
  async function startOnceClosed(journeyId: string, topic: TopicState, workflowId: string, event: CustomerEvent, starting: CustomerEvent[]): Promise<string> {
    for (let attempt = 0; attempt < CLOSING_WAITS; attempt++) {
      try {
        await startInstance(journeyId, topic, workflowId, starting);
        topic.closing = topic.closing?.filter((id) => id !== workflowId);
        return workflowId;
      } catch (error) {
        if (isCancellation(error)) throw error;
        await sleep(Math.min(1_000 * 2 ** attempt, 60_000));
      }
    }
    topic.closing = topic.closing?.filter((id) => id !== workflowId);
    await signalIfRunning(workflowId, event);
    return workflowId;
  }

  /** Remembers that `workflowId` answers nothing any more (agent handover, see `closing`). */
  function markClosing(topic: TopicState, workflowId: string | undefined): void {
    if (!workflowId || !handsOver) return;
    topic.closing = [...(topic.closing ?? []).filter((id) => id !== workflowId), workflowId].slice(-CLOSING_KEPT);
  }

  /** Gives the messages an ended agent instance did not answer to a new instance of the topic's agent. */
  async function handOverUnanswered(topic: TopicState): Promise<void> {
    const unanswered = topic.unanswered ?? [];
    if (unanswered.length === 0 || topic.status !== 'automated') return;
    const [first, ...rest] = unanswered.map((properties) => ({ message: properties.message, classification: properties.classification }));
    const starting = [journeyEvent(topic, TOPIC_ASSIGNED, first!), ...rest.map((properties) => journeyEvent(topic, TOPIC_MESSAGE, properties))];
    const journeyId = AGENT_JOURNEYS[topic.intent];
    topic.agentInstance = await startOnceClosed(journeyId, topic, journeyWorkflowId(journeyId, customerRef, topic.id), starting[starting.length - 1]!, starting);
  }

  async function signalIfRunning(workflowId: string, event: CustomerEvent): Promise<boolean> {
    try {
      await getExternalWorkflowHandle(workflowId).signal(customerEventSignal, event);
      return true;
    } catch (error) {
      if (isCancellation(error)) throw error;
      return false;
    }
  }

  async function closeInstances(topic: TopicState, reason: string): Promise<void> {
    for (const workflowId of [topic.agentInstance, topic.humanInstance]) {
      if (workflowId) await signalIfRunning(workflowId, journeyEvent(topic, TOPIC_CLOSED, { reason }));
      markClosing(topic, workflowId);
    }
    topic.agentInstance = undefined;
    topic.humanInstance = undefined;
    // A person takes the topic, or it is settled: they see every message in its history.
    topic.unanswered = undefined;
  }

  async function escalate(topic: TopicState, reason: string, at: string): Promise<void> {
    await closeInstances(topic, `escalated: ${reason}`);
    topic.status = 'human';
    topic.escalation = { reason, at };
    topic.notUnderstood = 0;
    const event = journeyEvent(topic, TOPIC_ESCALATED, { reason });
    topic.humanInstance = await deliver(HUMAN_HANDOFF_JOURNEY, topic, event, [event]);
    await activities.recordConversation({ topics: [topicRecord(topic)], events: [topicEvent(topic, 'escalated', at, { reason })] });
  }

  async function resolve(topic: TopicState, by: string): Promise<TopicState> {
    if (topic.status === 'resolved') return topic;
    await closeInstances(topic, `resolved by ${by}`);
    const at = new Date(Date.now()).toISOString();
    topic.status = 'resolved';
    topic.resolvedAt = at;
    topic.resolvedBy = by;
    await activities.recordConversation({ topics: [topicRecord(topic)], events: [topicEvent(topic, 'resolved', at, { reason: by })] });
    return topic;
  }

  async function handBack(topic: TopicState, agent: string): Promise<TopicState> {
    await closeInstances(topic, `handed back by ${agent}`);
    topic.status = 'automated';
    topic.notUnderstood = 0;
    await activities.recordConversation({
      topics: [topicRecord(topic)],
      events: [topicEvent(topic, 'handed-back', new Date(Date.now()).toISOString(), { reason: agent })],
    });
    return topic;
  }

  async function reply(topic: TopicState, agent: string, body: string): Promise<{ replyId: string; channel: MessageChannel }> {
    const replyId = `reply:${uuid4()}`;
    const at = new Date(Date.now()).toISOString();
    const event = journeyEvent(topic, AGENT_REPLIED, { reply_id: replyId, body, agent_name: agent });
    // The handoff instance sends it (consent, quiet hours: it waits them out); a new one if it ended.
    const resumed = journeyEvent(topic, TOPIC_ESCALATED, { reason: topic.escalation?.reason ?? 'agent', acknowledge: false });
    topic.humanInstance = await deliver(HUMAN_HANDOFF_JOURNEY, topic, event, [resumed, event]);
    remember(topic, { direction: 'out', author: `human:${agent}`, channel: topic.channel, body, at });
    await activities.recordConversation({
      messages: [{ id: replyId, workspaceId, customerId, topicId: topic.id, direction: 'out', author: `human:${agent}`, channel: topic.channel, body, status: 'pending', at }],
      topics: [topicRecord(topic)],
    });
    return { replyId, channel: topic.channel };
  }

  // ---- inbound -------------------------------------------------------------------------------

  async function onInbound(message: InboundMessage): Promise<void> {
    if (seen.includes(message.messageId)) return;
    seen.push(message.messageId);
    if (seen.length > SEEN_KEPT) seen.splice(0, seen.length - SEEN_KEPT);
    messagesSeen += 1;
    const base: ConversationMessageRecord = {
      id: message.messageId,
      workspaceId,
      customerId,
      topicId: null,
      direction: 'in',
      author: 'customer',
      channel: message.channel,
      body: message.body,
      at: message.at,
    };
    // Consent keywords and replies to a journey's message belong to no topic: nobody answers them here.
    if (message.keyword || message.inReplyTo) {
      await activities.recordConversation({ messages: [{ ...base, ...(message.inReplyTo ? { journeyInstance: message.inReplyTo.instanceId } : {}) }] });
      return;
    }
    const context = await activities.getConversationContext({ workspaceId, customerId });
    const text = [message.subject && !/^\s*(re|fwd?|aw):/i.test(message.subject) ? message.subject : '', message.body].filter(Boolean).join('\n');
    const classification = await activities.classifyMessage({ workspaceId, text, locale: message.locale ?? context.locale });
    const at = message.at;
    const { topic, event } = chooseTopic(message, classification, context.reopenWithinDays);
    if (!topic) {
      await activities.recordConversation({ messages: [{ ...base, intent: classification.intent }] });
      return;
    }
    const previousChannel = topic.channel;
    topic.channel = message.channel;
    if (message.subject) topic.subject = message.subject.replace(/^\s*((re|fwd?|aw):\s*)+/i, '');
    topic.lastAt = at;
    topic.facts = { ...topic.facts, ...classification.entities };
    remember(topic, { direction: 'in', author: 'customer', channel: message.channel, body: message.body, at });
    const events: TopicEventRecord[] = event ? [topicEvent(topic, event, at, event === 'reopened' ? { previousChannel } : {})] : [];
    await activities.recordConversation({ messages: [{ ...base, topicId: topic.id, intent: classification.intent }], topics: [topicRecord(topic)], events });

    if (topic.status === 'human') return; // a person has it: they see it in the history and by subscription
    const keyword = classification.escalationKeyword;
    const reason = classification.intent === 'human' ? 'asked-for-person' : keyword ? `keyword:${keyword}` : context.vip ? 'vip' : undefined;
    if (reason) return escalate(topic, reason, at);

    const agentJourney = AGENT_JOURNEYS[topic.intent];
    const properties = {
      message: { messageId: message.messageId, body: message.body, channel: message.channel, at, intent: classification.intent },
      classification: { intent: classification.intent, confidence: classification.confidence, source: classification.source, ...(classification.fallback ? { fallback: classification.fallback } : {}) },
    };
    const next = journeyEvent(topic, TOPIC_MESSAGE, properties);
    const first = journeyEvent(topic, TOPIC_ASSIGNED, properties);
    topic.agentInstance = await deliver(agentJourney, topic, next, [first]);
    if (handsOver) topic.unanswered = [...(topic.unanswered ?? []), properties].slice(-UNANSWERED_KEPT);
  }

  /** The topic a message belongs to: the open one it continues, a recently resolved one it reopens, or a new one. */
  function chooseTopic(message: InboundMessage, classification: Classification, reopenWithinDays: number): { topic?: TopicState; event?: TopicEventType } {
    const at = Date.parse(message.at);
    const intent = classification.intent;
    const specific = (TOPIC_INTENTS as readonly string[]).includes(intent) ? (intent as TopicIntent) : undefined;
    const open = topics.filter((topic) => topic.status !== 'resolved' && at - Date.parse(topic.lastAt) < TOPIC_IDLE_MS).sort(byLastAt);
    const current = open[0];
    if (current && (current.status === 'human' || !specific || specific === current.intent)) return { topic: current };
    const other = specific ? open.find((topic) => topic.intent === specific) : undefined;
    if (other) return { topic: other };
    const reopenable = topics
      .filter((topic) => topic.status === 'resolved' && topic.resolvedAt && at - Date.parse(topic.resolvedAt) <= reopenWithinDays * 86_400_000)
      .filter((topic) => (specific ? topic.intent === specific : intent === 'unknown' || intent === 'human'))
      .sort(byLastAt)[0];
    if (reopenable) {
      reopenable.status = 'automated';
      reopenable.resolvedAt = undefined;
      reopenable.resolvedBy = undefined;
      reopenable.reopened += 1;
      reopenable.notUnderstood = 0;
      return { topic: reopenable, event: 'reopened' };
    }
    // A thank-you or a hello with nothing open needs no topic of its own, unless it is all there is.
    if (intent === 'thanks') return {};
    const topic: TopicState = {
      id: uuid4(),
      intent: specific ?? 'support',
      status: 'automated',
      channel: message.channel,
      openedAt: message.at,
      lastAt: message.at,
      facts: {},
      history: [],
      notUnderstood: 0,
      reopened: 0,
    };
    topics.push(topic);
    // Keep the newest topics; the rest live on in PostgreSQL.
    const resolved = topics.filter((candidate) => candidate.status === 'resolved').sort(byLastAt);
    while (topics.length > TOPICS_KEPT && resolved.length > 0) topics.splice(topics.indexOf(resolved.pop()!), 1);
    return { topic, event: 'opened' };
  }

  async function onProgress(progress: TopicProgress): Promise<void> {
    const topic = topics.find((candidate) => candidate.id === progress.topicId);
    if (!topic) return;
    const messages: ConversationMessageRecord[] = [];
    if (progress.reply) {
      const { reply: sent } = progress;
      // A person's reply was remembered when they sent it; a bot's is remembered now.
      if (!progress.author.startsWith('human:')) remember(topic, { direction: 'out', author: progress.author, channel: sent.channel, body: sent.body, at: sent.at });
      messages.push({
        id: sent.id,
        workspaceId,
        customerId,
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
    if (fromAgent && progress.ended) markClosing(topic, topic.agentInstance);
    if (topic.status === 'automated' && progress.author.startsWith('bot:')) {
      if (progress.understood === false) topic.notUnderstood += 1;
      else if (progress.understood === true) topic.notUnderstood = 0;
    }
    await activities.recordConversation({ messages, topics: [topicRecord(topic)] });
    if (topic.status !== 'automated') return;
    if (topic.notUnderstood >= NOT_UNDERSTOOD_LIMIT) return escalate(topic, 'not-understood-twice', new Date(Date.now()).toISOString());
    // The customer wrote again before the agent ended: that message is answered, the topic stays open.
    const waiting = fromAgent && progress.ended === true && (topic.unanswered?.length ?? 0) > 0;
    if (!current) return;
    if (progress.resolved && !waiting) {
      await resolve(topic, progress.author);
      return;
    }
    if (progress.ended) topic.agentInstance = undefined;
    if (waiting) await handOverUnanswered(topic);
  }

  // ---- the loop --------------------------------------------------------------------------------

  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= HISTORY_LIMIT;
  for (;;) {
    await condition(() => queue.length > 0 || historyFull());
    const work = queue.shift();
    if (!work) {
      await condition(allHandlersFinished);
      if (queue.length > 0) continue;
      await continueAsNew<typeof conversation>({
        workspaceId,
        customerId,
        customerRef,
        carried: { topics, seen, messagesSeen, seq, continuedAsNew: (carried?.continuedAsNew ?? 0) + 1 },
      });
      return;
    }
    if (work.kind === 'inbound') await onInbound(work.message);
    else if (work.kind === 'progress') await onProgress(work.progress);
    else {
      try {
        results.set(work.id, { value: await work.run() });
      } catch (error) {
        if (isCancellation(error)) throw error;
        results.set(work.id, { error });
      }
    }
  }
}

function byLastAt(a: TopicState, b: TopicState): number {
  return Date.parse(b.lastAt) - Date.parse(a.lastAt);
}

