/** How much a conversation keeps in its state (older topics and messages are in PostgreSQL). */
export const TOPICS_KEPT = 20;
export const HISTORY_KEPT = 30;
export const SEEN_KEPT = 500;
/** An open topic older than this is not continued by a new message: the customer starts afresh. */
export const TOPIC_IDLE_MS = 30 * 24 * 3_600_000;
/** Turns an agent did not understand, in a row, before a person takes over. */
export const NOT_UNDERSTOOD_LIMIT = 2;
/** History events after which the conversation continues as new (unless Temporal suggests it sooner). */
export const HISTORY_LIMIT = 4_000;
/** Messages handed to an agent and not answered yet, and ending instances, kept per topic. */
export const UNANSWERED_KEPT = 20;
export const CLOSING_KEPT = 5;
/** Tries to start an instance whose previous one (same id) is still closing, backing off up to a minute. */
export const CLOSING_WAITS = 15;
/**
 * Conversations from before agent handover signal any running agent instance (one that is
 * completing drops the message) and do not track what each agent answered.
 */
export const AGENT_HANDOVER_PATCH = 'continuum.agent-handover';
/**
 * Conversations from before this change signal a topic's journey before starting it (the signal fails
 * when none runs) and signal a started instance its first events; after it, an instance that is not
 * the topic's current one is started at once with its first events in its input (two actions, a
 * signal and a workflow task fewer, and the instance answers in its first task).
 */
export const TOPIC_START_WITH_EVENTS_PATCH = 'continuum.topic-start-with-events';
/**
 * Conversations from before this change move a message to another topic whenever its intent differs,
 * however unsure the classifier was; after it, only a sure intent does (an unsure one is a follow-up).
 */
export const TOPIC_SWITCH_PATCH = 'continuum.topic-switch-when-sure';
/** How sure the classifier must be that a message is about something else to leave the current topic. */
export const TOPIC_SWITCH_CONFIDENCE = 0.8;
/**
 * Conversations from before this change open each topic knowing nothing; after it, a new topic starts
 * with what the customer told in their other topics lately (CUSTOMER_FACTS), so no agent asks again.
 */
export const KNOWN_FACTS_PATCH = 'continuum.known-facts';
/** Facts about the customer and their order that hold across topics: reused by a new topic, and asked again only as a re-ask. */
export const CUSTOMER_FACTS: readonly string[] = ['orderId', 'email', 'purchaseDate', 'size', 'product'];
/**
 * What a new topic takes over from the customer's recent topics: their facts, and how many strongly
 * negative messages they wrote (`upset`): an angry customer who moves on to another subject is still angry.
 */
export const CARRIED_FACTS: readonly string[] = [...CUSTOMER_FACTS, 'upset'];
/** Strongly negative messages in one topic (counting those carried from the customer's recent topics) that hand it to a person (reason `upset`): the first is answered by its agent, which may put it right. */
export const UPSET_LIMIT = 2;
