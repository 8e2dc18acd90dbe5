import {
  AGENT_JOURNEYS,
  CustomerIdKey,
  customerEventSignal,
  HUMAN_HANDOFF_JOURNEY,
  InstanceKeyKey,
  JourneyIdKey,
  journeyWorkflowId,
  TOPIC_ASSIGNED,
  TOPIC_CLOSED,
  TOPIC_MESSAGE,
  type CustomerEvent,
  type TopicState,
} from '@continuum/contracts';
import { workflowTypeOf } from '@continuum/journey';
import { CLOSING_KEPT, CLOSING_WAITS } from './conversation-limits';
import type { ConversationMemory } from './conversation-memory';
import { getExternalWorkflowHandle, isCancellation, ParentClosePolicy, sleep, startChild, workflowInfo } from './temporal';

/**
 * The journey instances that answer within a topic (its agent, or the human handoff): the events
 * handed to them with the topic's context, and starting, signalling and closing them. One instance
 * per journey and topic (`journey/<journeyId>/<customerRef>/<topicId>`).
 */
export class TopicInstances {
  /**
   * @param handsOver whether this conversation started after agent handover (AGENT_HANDOVER_PATCH):
   *   it tracks what each agent answered and never signals an instance that is closing.
   */
  constructor(
    private readonly memory: ConversationMemory,
    readonly handsOver: boolean,
    /**
     * whether this conversation started after TOPIC_START_WITH_EVENTS_PATCH: it starts an instance that
     * is not the topic's current one without signalling it first, its first events in its input.
     */
    readonly startsWithEvents = false,
  ) {}

  /** An event for a journey of the topic: the topic's whole context, then `properties`. */
  journeyEvent(topic: TopicState, name: string, properties: Record<string, unknown>): CustomerEvent {
    const now = new Date(Date.now()).toISOString();
    return {
      messageId: `topic:${topic.id}:${this.memory.nextSeq()}`,
      workspaceId: this.memory.workspaceId,
      userId: this.memory.customerId,
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
  }

  /**
   * Delivers `event` to the topic's instance of a journey when it is running; otherwise starts one
   * and delivers `starting` (its entry event first). Returns the instance's workflow id.
   */
  async deliver(journeyId: string, topic: TopicState, event: CustomerEvent, starting: CustomerEvent[]): Promise<string> {
    const workflowId = journeyWorkflowId(journeyId, this.memory.customerRef, topic.id);
    // An instance that ended (or was closed) may still be completing: a signal could reach it unanswered.
    if (topic.closing?.includes(workflowId)) return this.startOnceClosed(journeyId, topic, workflowId, event, starting);
    // Only the topic's current instance can be running and answering: another is started at once (if
    // it runs after all, the start fails and the event is signalled to it, below).
    const current = workflowId === topic.agentInstance || workflowId === topic.humanInstance;
    if ((current || !this.startsWithEvents) && (await this.signalIfRunning(workflowId, event))) return workflowId;
    // What an instance that is gone (not by handover) had not answered is not given to the new one.
    if (this.handsOver) topic.unanswered = undefined;
    try {
      await this.startInstance(journeyId, topic, workflowId, starting);
    } catch (error) {
      if (isCancellation(error)) throw error;
      // Started meanwhile by a retried start: it is running, so the event goes to it.
      await this.signalIfRunning(workflowId, event);
    }
    return workflowId;
  }

  /** Gives the messages an ended agent instance did not answer to a new instance of the topic's agent. */
  async handOverUnanswered(topic: TopicState): Promise<void> {
    const unanswered = topic.unanswered ?? [];
    if (unanswered.length === 0 || topic.status !== 'automated') return;
    const [first, ...rest] = unanswered.map((properties) => ({ message: properties.message, classification: properties.classification }));
    const starting = [this.journeyEvent(topic, TOPIC_ASSIGNED, first!), ...rest.map((properties) => this.journeyEvent(topic, TOPIC_MESSAGE, properties))];
    const journeyId = AGENT_JOURNEYS[topic.intent];
    const workflowId = journeyWorkflowId(journeyId, this.memory.customerRef, topic.id);
    topic.agentInstance = await this.startOnceClosed(journeyId, topic, workflowId, starting[starting.length - 1]!, starting);
  }

  /** Tells the topic's instances it is closed (`reason`), and forgets them and what they had not answered. */
  async closeInstances(topic: TopicState, reason: string): Promise<void> {
    for (const workflowId of [topic.agentInstance, topic.humanInstance]) {
      if (workflowId) await this.signalIfRunning(workflowId, this.journeyEvent(topic, TOPIC_CLOSED, { reason }));
      this.markClosing(topic, workflowId);
    }
    topic.agentInstance = undefined;
    topic.humanInstance = undefined;
    // A person takes the topic, or it is settled: they see every message in its history.
    topic.unanswered = undefined;
  }

  /** Remembers that `workflowId` answers nothing any more (agent handover, see `closing`). */
  markClosing(topic: TopicState, workflowId: string | undefined): void {
    if (!workflowId || !this.handsOver) return;
    topic.closing = [...(topic.closing ?? []).filter((id) => id !== workflowId), workflowId].slice(-CLOSING_KEPT);
  }

  private async startInstance(journeyId: string, topic: TopicState, workflowId: string, starting: CustomerEvent[]): Promise<void> {
    // An agent instance learns which start it is, and says so in what it reports (see TopicProgress.run).
    const run = this.handsOver && journeyId !== HUMAN_HANDOFF_JOURNEY ? (topic.agentRun = (topic.agentRun ?? 0) + 1) : undefined;
    const events = run === undefined ? starting : starting.map((each) => ({ ...each, properties: { ...each.properties, agent_run: run } }));
    const input = { journeyId, workspaceId: this.memory.workspaceId, customerId: this.memory.customerId, key: topic.id };
    const child = await startChild(workflowTypeOf(journeyId), {
      workflowId,
      // Its first events in its input: received as it starts, with no signal (and no workflow task here) each.
      args: [this.startsWithEvents ? { ...input, events } : input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: CustomerIdKey, value: this.memory.customerRef },
        { key: JourneyIdKey, value: journeyId },
        { key: InstanceKeyKey, value: topic.id },
      ],
      staticSummary: `${journeyId} for ${this.memory.customerRef} (topic ${topic.intent})`,
    });
    if (!this.startsWithEvents) for (const each of events) await child.signal(customerEventSignal, each);
  }

  /**
   * Starts a new instance with the same workflow id as one that ended or was closed, once that one
   * has closed: its id is taken until then (it only has its last journal entry to write). After
   * CLOSING_WAITS tries the event is signalled as before.
   */
  private async startOnceClosed(journeyId: string, topic: TopicState, workflowId: string, event: CustomerEvent, starting: CustomerEvent[]): Promise<string> {
    for (let attempt = 0; attempt < CLOSING_WAITS; attempt++) {
      try {
        await this.startInstance(journeyId, topic, workflowId, starting);
        topic.closing = topic.closing?.filter((id) => id !== workflowId);
        return workflowId;
      } catch (error) {
        if (isCancellation(error)) throw error;
        await sleep(Math.min(1_000 * 2 ** attempt, 60_000));
      }
    }
    topic.closing = topic.closing?.filter((id) => id !== workflowId);
    await this.signalIfRunning(workflowId, event);
    return workflowId;
  }

  private async signalIfRunning(workflowId: string, event: CustomerEvent): Promise<boolean> {
    try {
      await getExternalWorkflowHandle(workflowId).signal(customerEventSignal, event);
      return true;
    } catch (error) {
      if (isCancellation(error)) throw error;
      return false;
    }
  }
}
