import {
  conversationStateQuery,
  handBackTopicUpdate,
  inboundMessageSignal,
  replyToTopicUpdate,
  resolveTopicUpdate,
  topicProgressSignal,
  type ConversationInput,
} from '@continuum/contracts';
import { AgentReports } from './agent-reports';
import { AGENT_HANDOVER_PATCH, HISTORY_LIMIT, TOPIC_START_WITH_EVENTS_PATCH } from './conversation-limits';
import { ConversationMemory } from './conversation-memory';
import { InboundMessages } from './inbound-messages';
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, setWorkflowOptions, workflowInfo } from './temporal';
import { TopicActions } from './topic-actions';
import { TopicInstances } from './topic-instances';
import { WorkQueue } from './work-queue';

/**
 * One customer's conversation, across every channel and all time (continues-as-new): which topics
 * are open, their context (facts, recent messages), and who answers each — an automated agent
 * journey (returns, sales, support) or a person (the human-handoff journey). Work is done one item
 * at a time, in arrival order, so every reply is decided on the context before it.
 */
export async function conversation(input: ConversationInput): Promise<void> {
  const memory = new ConversationMemory(input);
  const queue = new WorkQueue();
  const instances = new TopicInstances(memory, patched(AGENT_HANDOVER_PATCH), patched(TOPIC_START_WITH_EVENTS_PATCH));
  const actions = new TopicActions(memory, instances);
  const inbound = new InboundMessages(memory, instances, actions);
  const reports = new AgentReports(memory, instances, actions);

  setHandler(inboundMessageSignal, (message) => queue.push({ kind: 'inbound', message }));
  setHandler(topicProgressSignal, (progress) => queue.push({ kind: 'progress', progress }));
  setHandler(conversationStateQuery, () => memory.state());
  setHandler(replyToTopicUpdate, (request) => queue.command(() => actions.reply(memory.topicWithPerson(request.topicId), request.agent, request.body)), {
    validator: (request) => void memory.topicWithPerson(request.topicId),
  });
  setHandler(resolveTopicUpdate, ({ topicId, by }) => queue.command(() => actions.resolve(memory.findTopic(topicId), by)), {
    validator: ({ topicId }) => void memory.findTopic(topicId),
  });
  setHandler(handBackTopicUpdate, ({ topicId, agent }) => queue.command(() => actions.handBack(memory.topicWithPerson(topicId), agent)), {
    validator: ({ topicId }) => void memory.topicWithPerson(topicId),
  });

  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= HISTORY_LIMIT;
  for (;;) {
    await condition(() => queue.length > 0 || historyFull());
    const work = queue.take();
    if (!work) {
      await condition(allHandlersFinished);
      if (queue.length > 0) continue;
      await continueAsNew<typeof conversation>(memory.carriedOver());
      return;
    }
    if (work.kind === 'inbound') await inbound.receive(work.message);
    else if (work.kind === 'progress') await reports.receive(work.progress);
    else await queue.runCommand(work);
  }
}

/**
 * Worker versioning (docs/operating.md, "Rolling upgrades"): the conversation never ends (it continues
 * as new, and a pinned run's next run keeps its build), so pinned like the journeys it would hold its
 * build forever; it moves to each new build instead, its changes behind `patched()` and guarded by the
 * replay tests. Declared only on a versioned worker (one of a worker deployment): an unversioned worker
 * may not report a behaviour, and the option is read before the first task, replayed or not.
 */
setWorkflowOptions(() => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: 'AUTO_UPGRADE' } : {}), conversation);
