import { TOPIC_INTENTS, type Classification, type InboundMessage, type TopicEventType, type TopicIntent, type TopicState } from '@continuum/contracts';
import { TOPIC_IDLE_MS, TOPIC_SWITCH_CONFIDENCE, TOPIC_SWITCH_PATCH, TOPICS_KEPT } from './conversation-limits';
import { patched, uuid4 } from './temporal';

/**
 * The topic a message belongs to: the open one it continues, a recently resolved one it reopens
 * (reopened here), or a new one (added to `topics` here); none for a thank-you with nothing open.
 * `event` says what happened to the topic when it is not simply continued.
 */
export function chooseTopic(
  topics: TopicState[],
  message: InboundMessage,
  classification: Classification,
  reopenWithinDays: number,
): { topic?: TopicState; event?: TopicEventType } {
  const at = Date.parse(message.at);
  const intent = classification.intent;
  const specific = (TOPIC_INTENTS as readonly string[]).includes(intent) ? (intent as TopicIntent) : undefined;
  const open = topics.filter((topic) => topic.status !== 'resolved' && at - Date.parse(topic.lastAt) < TOPIC_IDLE_MS).sort(byLastAt);
  const current = open[0];
  if (current && (current.status === 'human' || !specific || specific === current.intent)) return { topic: current };
  // "Where do I drop off the parcel?" in a return, read as maybe-sales: an unsure intent is a follow-up, not a new topic.
  if (current && classification.confidence < TOPIC_SWITCH_CONFIDENCE && patched(TOPIC_SWITCH_PATCH)) return { topic: current };
  const other = specific ? open.find((topic) => topic.intent === specific) : undefined;
  if (other) return { topic: other };
  const reopenable = topics
    .filter((topic) => topic.status === 'resolved' && topic.resolvedAt && at - Date.parse(topic.resolvedAt) <= reopenWithinDays * 86_400_000)
    .filter((topic) => (specific ? topic.intent === specific : intent === 'unknown' || intent === 'human'))
    .sort(byLastAt)[0];
  if (reopenable) {
    reopen(reopenable);
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
  keepNewest(topics);
  return { topic, event: 'opened' };
}

function reopen(topic: TopicState): void {
  topic.status = 'automated';
  topic.resolvedAt = undefined;
  topic.resolvedBy = undefined;
  topic.reopened += 1;
  topic.notUnderstood = 0;
}

/** Keeps the newest topics (resolved ones go first); the rest live on in PostgreSQL. */
function keepNewest(topics: TopicState[]): void {
  const resolved = topics.filter((candidate) => candidate.status === 'resolved').sort(byLastAt);
  while (topics.length > TOPICS_KEPT && resolved.length > 0) topics.splice(topics.indexOf(resolved.pop()!), 1);
}

/** Most recently active first. */
export function byLastAt(a: TopicState, b: TopicState): number {
  return Date.parse(b.lastAt) - Date.parse(a.lastAt);
}
