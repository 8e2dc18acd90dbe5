import type { DataSource, EntityManager } from 'typeorm';
import type { ConversationMessageRecord, TopicEventRecord, TopicRecord } from '@continuum/contracts';
import { returnedRows } from '../affected-rows';
import { keysetSql, type KeysetWindow } from '../keyset';

/** The NOTIFY channel conversation changes are announced on (topics and messages). */
export const CONVERSATION_CHANNEL = 'continuum_conversation';

export interface ConversationNotice {
  workspaceId: string;
  customerId: string;
  topicId: string | null;
  kind: 'TOPIC' | 'MESSAGE';
  /** The topic's status after the change (TOPIC). */
  status?: string;
}

export interface Topic {
  id: string;
  workspaceId: string;
  customerId: string;
  intent: string;
  status: 'automated' | 'human' | 'resolved';
  channel: string;
  openedAt: Date;
  lastMessageAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  escalatedAt: Date | null;
  escalationReason: string | null;
  assignedAgent: string | null;
  claimedAt: Date | null;
  reopened: number;
  facts: Record<string, string>;
}

export interface ConversationMessage {
  id: string;
  customerId: string;
  topicId: string | null;
  direction: 'in' | 'out';
  author: string;
  channel: string;
  body: string;
  intent: string | null;
  status: string | null;
  reason: string | null;
  /** The outbox message (replies) and its delivery status as the provider reported it. */
  outboxId: string | null;
  deliveryStatus: string | null;
  journeyInstance: string | null;
  at: Date;
}

export interface ContinuityMetrics {
  from: Date;
  to: Date;
  withinDays: number;
  inboundMessages: number;
  customers: number;
  topicsOpened: number;
  /** Customers who wrote again within `withinDays` of one of their topics being resolved (`resolutions` in the range). */
  recontact: { resolutions: number; customers: number; byChannel: Array<{ channel: string; customers: number }> };
  /**
   * The same need raised again in a separate interaction, in the range: each reopening of a topic,
   * each topic opened within `withinDays` after a topic of the same customer and intent was resolved,
   * and each re-ask (an agent asking for a fact the customer had already given: `reasked`)
   * (`repeats`), and the topics they happened in (`topics`). Follow-ups within one topic are not repeats.
   */
  repeatedQuestions: { topics: number; repeats: number; reasked: number };
  reopened: { topics: number; onDifferentChannel: number };
  escalation: { topics: number; rate: number; byReason: Array<{ reason: string; topics: number }> };
  /**
   * Resolutions in the range, when they happened (a topic resolved, reopened and resolved again counts
   * twice, as in `recontact.resolutions`), and those by a bot with no escalation since the topic's
   * previous resolution or its opening.
   */
  automation: { resolvedTopics: number; withoutPerson: number; share: number; target: number };
}

const TOPIC_COLUMNS = `id, workspace_id AS "workspaceId", customer_id AS "customerId", intent, status, channel,
  opened_at AS "openedAt", last_message_at AS "lastMessageAt", resolved_at AS "resolvedAt", resolved_by AS "resolvedBy",
  escalated_at AS "escalatedAt", escalation_reason AS "escalationReason", assigned_agent AS "assignedAgent",
  claimed_at AS "claimedAt", reopened, facts`;

const MESSAGE_COLUMNS = `c.id, c.customer_id AS "customerId", c.topic_id AS "topicId", c.direction, c.author, c.channel, c.body, c.intent, c.status, c.reason,
  c.outbox_id AS "outboxId", m.status AS "deliveryStatus", c.journey_instance AS "journeyInstance", c.at`;
const MESSAGE_FROM = `conversation_messages c LEFT JOIN messages m ON m.id = c.outbox_id`;

/** Where a page starts: the time a list is ordered by (PostgreSQL's microseconds, UTC) and the row's id. */
export interface ConversationPosition {
  at: string;
  id: string;
}

/** A row of a keyset page, with its position for a cursor. */
export interface Positioned<T> {
  row: T;
  position: ConversationPosition;
}

/** Which escalated topics the agent queue lists: waiting for a person (`queued`), held by one (`claimed`, by `agent` when given), or both. */
export interface QueueFilter {
  state: 'queued' | 'claimed' | 'all';
  agent?: string;
}

/** Which messages a history lists: a customer's on every channel, or one topic's. */
export type HistoryFilter = { customerId: string; topicId?: undefined } | { topicId: string; customerId?: undefined };

/** `to_char` of a timestamp column with every microsecond, as a cursor keeps it. */
function positionOf(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position`;
}

/** Why a claim was refused. */
export type ClaimRefusal = 'not-found' | 'not-escalated' | 'claimed-by-another';

/**
 * Conversations in PostgreSQL: written by the conversation workflow's activity (every write is
 * idempotent by id), read by the gateway (agent queue, history, metrics). Who holds a topic
 * (`assigned_agent`) is the gateway's to write; the workflow never overwrites it.
 */
export class ConversationStore {
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  async record(input: { messages?: ConversationMessageRecord[]; topics?: TopicRecord[]; events?: TopicEventRecord[] }): Promise<void> {
    const notices: ConversationNotice[] = [];
    for (const topic of input.topics ?? []) {
      await this.dataSource.query(
        `INSERT INTO conversation_topics (id, workspace_id, customer_id, intent, status, channel, opened_at, last_message_at,
           resolved_at, resolved_by, escalated_at, escalation_reason, reopened, facts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO UPDATE SET intent = EXCLUDED.intent, status = EXCLUDED.status, channel = EXCLUDED.channel,
           last_message_at = EXCLUDED.last_message_at, resolved_at = EXCLUDED.resolved_at, resolved_by = EXCLUDED.resolved_by,
           escalated_at = EXCLUDED.escalated_at, escalation_reason = EXCLUDED.escalation_reason, reopened = EXCLUDED.reopened,
           facts = EXCLUDED.facts, updated_at = now(),
           -- Back to automation, or escalated anew: nobody holds it any more; resolved keeps who did.
           assigned_agent = CASE WHEN EXCLUDED.status = 'automated' THEN NULL
             WHEN EXCLUDED.status = 'human' AND EXCLUDED.escalated_at IS DISTINCT FROM conversation_topics.escalated_at THEN NULL
             ELSE conversation_topics.assigned_agent END`,
        [
          topic.id,
          topic.workspaceId,
          topic.customerId,
          topic.intent,
          topic.status,
          topic.channel,
          topic.openedAt,
          topic.lastMessageAt,
          topic.resolvedAt ?? null,
          topic.resolvedBy ?? null,
          topic.escalatedAt ?? null,
          topic.escalationReason ?? null,
          topic.reopened,
          JSON.stringify(topic.facts),
        ],
      );
      notices.push({ workspaceId: topic.workspaceId, customerId: topic.customerId, topicId: topic.id, kind: 'TOPIC', status: topic.status });
    }
    for (const message of input.messages ?? []) {
      await this.dataSource.query(
        `INSERT INTO conversation_messages (id, workspace_id, customer_id, topic_id, direction, author, channel, body, intent, status, reason, outbox_id, journey_instance, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO UPDATE SET topic_id = COALESCE(EXCLUDED.topic_id, conversation_messages.topic_id),
           intent = COALESCE(EXCLUDED.intent, conversation_messages.intent), status = COALESCE(EXCLUDED.status, conversation_messages.status),
           reason = COALESCE(EXCLUDED.reason, conversation_messages.reason), outbox_id = COALESCE(EXCLUDED.outbox_id, conversation_messages.outbox_id),
           journey_instance = COALESCE(EXCLUDED.journey_instance, conversation_messages.journey_instance)`,
        [
          message.id,
          message.workspaceId,
          message.customerId,
          message.topicId,
          message.direction,
          message.author,
          message.channel,
          message.body,
          message.intent ?? null,
          message.status ?? null,
          message.reason ?? null,
          message.outboxId ?? null,
          message.journeyInstance ?? null,
          message.at,
        ],
      );
      notices.push({ workspaceId: message.workspaceId, customerId: message.customerId, topicId: message.topicId, kind: 'MESSAGE' });
    }
    for (const event of input.events ?? []) {
      await this.dataSource.query(
        `INSERT INTO conversation_topic_events (id, workspace_id, customer_id, topic_id, type, channel, previous_channel, reason, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
        [event.id, event.workspaceId, event.customerId, event.topicId, event.type, event.channel, event.previousChannel ?? null, event.reason ?? null, event.at],
      );
    }
    for (const notice of notices) await this.dataSource.query(`SELECT pg_notify($1, $2)`, [CONVERSATION_CHANNEL, JSON.stringify(notice)]);
  }

  async topic(workspaceId: string, id: string): Promise<Topic | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: Topic[] = await this.dataSource.query(`SELECT ${TOPIC_COLUMNS} FROM conversation_topics WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return rows[0];
  }

  /** The topics of the workspace with these ids, in no particular order (an id of no topic is left out). */
  async topicsByIds(workspaceId: string, ids: readonly string[]): Promise<Topic[]> {
    const uuids = ids.filter(isUuid);
    if (uuids.length === 0) return [];
    return this.dataSource.query(`SELECT ${TOPIC_COLUMNS} FROM conversation_topics WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, uuids]);
  }

  /** A customer's topics, most recently opened first (then by id): up to `limit + 1` in fetch order (see KeysetWindow). */
  async topicsPage(workspaceId: string, customerId: string, window: KeysetWindow<ConversationPosition>): Promise<Array<Positioned<Topic>>> {
    return this.keysetPage(`SELECT ${TOPIC_COLUMNS}, ${positionOf('opened_at')} FROM conversation_topics`, ['workspace_id = $1', 'customer_id = $2'], [workspaceId, customerId], {
      column: 'opened_at',
      id: 'id',
      idType: 'uuid',
      natural: 'DESC',
      window,
    });
  }

  /** The topics {@link topicsPage} pages through. */
  async countTopics(workspaceId: string, customerId: string): Promise<number> {
    return this.count(`SELECT count(*)::int AS count FROM conversation_topics WHERE workspace_id = $1 AND customer_id = $2`, [workspaceId, customerId]);
  }

  /** The agent queue: escalated topics (see QueueFilter), oldest escalation first (then by id): up to `limit + 1` in fetch order. */
  async queuePage(workspaceId: string, filter: QueueFilter, window: KeysetWindow<ConversationPosition>): Promise<Array<Positioned<Topic>>> {
    const { conditions, params } = queueConditions(workspaceId, filter);
    return this.keysetPage(`SELECT ${TOPIC_COLUMNS}, ${positionOf('escalated_at')} FROM conversation_topics`, conditions, params, {
      column: 'escalated_at',
      id: 'id',
      idType: 'uuid',
      natural: 'ASC',
      window,
    });
  }

  /** The topics {@link queuePage} pages through. */
  async countQueue(workspaceId: string, filter: QueueFilter): Promise<number> {
    const { conditions, params } = queueConditions(workspaceId, filter);
    return this.count(`SELECT count(*)::int AS count FROM conversation_topics WHERE ${conditions.join(' AND ')}`, params);
  }

  /** The conversation messages of the workspace with these ids, in no particular order (an id of none is left out). */
  async messagesByIds(workspaceId: string, ids: readonly string[]): Promise<ConversationMessage[]> {
    if (ids.length === 0) return [];
    return this.dataSource.query(`SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM} WHERE c.workspace_id = $1 AND c.id = ANY($2::text[])`, [workspaceId, ids]);
  }

  /** A customer's history on every channel, or one topic's, oldest first (then by id): up to `limit + 1` in fetch order. */
  async messagesPage(workspaceId: string, filter: HistoryFilter, window: KeysetWindow<ConversationPosition>): Promise<Array<Positioned<ConversationMessage>>> {
    const { conditions, params } = historyConditions(workspaceId, filter);
    if (!conditions) return [];
    return this.keysetPage(`SELECT ${MESSAGE_COLUMNS}, ${positionOf('c.at')} FROM ${MESSAGE_FROM}`, conditions, params, {
      column: 'c.at',
      id: 'c.id',
      idType: 'text',
      natural: 'ASC',
      window,
    });
  }

  /** The messages {@link messagesPage} pages through. */
  async countMessages(workspaceId: string, filter: HistoryFilter): Promise<number> {
    const { conditions, params } = historyConditions(workspaceId, filter);
    if (!conditions) return 0;
    return this.count(`SELECT count(*)::int AS count FROM conversation_messages c WHERE ${conditions.join(' AND ')}`, params);
  }

  /** Of these customers, those who have a conversation: a topic or a message. */
  async customersWithConversation(workspaceId: string, customerIds: readonly string[]): Promise<string[]> {
    if (customerIds.length === 0) return [];
    const rows: Array<{ customerId: string }> = await this.dataSource.query(
      `SELECT customer_id AS "customerId" FROM unnest($2::text[]) AS wanted(customer_id)
       WHERE EXISTS (SELECT 1 FROM conversation_messages c WHERE c.workspace_id = $1 AND c.customer_id = wanted.customer_id)
          OR EXISTS (SELECT 1 FROM conversation_topics t WHERE t.workspace_id = $1 AND t.customer_id = wanted.customer_id)`,
      [workspaceId, customerIds],
    );
    return rows.map((row) => row.customerId);
  }

  /** Gives an escalated topic to `agent` (again, if they hold it already); two agents never both hold it. */
  async claim(workspaceId: string, topicId: string, agent: string): Promise<{ topic: Topic } | { refused: ClaimRefusal; holder?: string }> {
    if (!isUuid(topicId)) return { refused: 'not-found' };
    const rows = returnedRows<Topic>(
      await this.dataSource.query(
        `UPDATE conversation_topics SET assigned_agent = $3, claimed_at = CASE WHEN assigned_agent = $3 THEN claimed_at ELSE now() END, updated_at = now()
         WHERE workspace_id = $1 AND id = $2 AND status = 'human' AND (assigned_agent IS NULL OR assigned_agent = $3)
         RETURNING ${TOPIC_COLUMNS}`,
        [workspaceId, topicId, agent],
      ),
    );
    const claimed = rows[0];
    if (claimed) {
      await this.dataSource.query(`SELECT pg_notify($1, $2)`, [
        CONVERSATION_CHANNEL,
        JSON.stringify({ workspaceId, customerId: claimed.customerId, topicId, kind: 'TOPIC', status: claimed.status } satisfies ConversationNotice),
      ]);
      return { topic: claimed };
    }
    const topic = await this.topic(workspaceId, topicId);
    if (!topic) return { refused: 'not-found' };
    if (topic.status !== 'human') return { refused: 'not-escalated' };
    return { refused: 'claimed-by-another', holder: topic.assignedAgent ?? undefined };
  }

  /** Continuity over [from, to): see ContinuityMetrics. */
  async metrics(workspaceId: string, range: { from: Date; to: Date; withinDays: number; target?: number }): Promise<ContinuityMetrics> {
    const { from, to, withinDays } = range;
    const base = [workspaceId, from, to];
    const [volume] = await this.dataSource.query(
      `SELECT count(*)::int AS messages, count(DISTINCT customer_id)::int AS customers FROM conversation_messages
       WHERE workspace_id = $1 AND direction = 'in' AND at >= $2 AND at < $3`,
      base,
    );
    const [opened] = await this.dataSource.query(
      `SELECT count(*)::int AS topics, count(*) FILTER (WHERE escalated_at IS NOT NULL)::int AS escalated
       FROM conversation_topics WHERE workspace_id = $1 AND opened_at >= $2 AND opened_at < $3`,
      base,
    );
    const byReason: Array<{ reason: string; topics: number }> = await this.dataSource.query(
      `SELECT escalation_reason AS reason, count(*)::int AS topics FROM conversation_topics
       WHERE workspace_id = $1 AND opened_at >= $2 AND opened_at < $3 AND escalated_at IS NOT NULL
       GROUP BY escalation_reason ORDER BY topics DESC, reason`,
      base,
    );
    // Each resolution in the range (a topic resolved twice counts twice), and the customer's first message after it within the window.
    const recontacts: Array<{ channel: string | null; customer_id: string }> = await this.dataSource.query(
      `SELECT e.customer_id, next.channel FROM conversation_topic_events e
       LEFT JOIN LATERAL (
         SELECT m.channel FROM conversation_messages m
         WHERE m.workspace_id = e.workspace_id AND m.customer_id = e.customer_id AND m.direction = 'in'
           AND m.at > e.at AND m.at <= e.at + make_interval(days => $4)
         ORDER BY m.at LIMIT 1) next ON true
       WHERE e.workspace_id = $1 AND e.type = 'resolved' AND e.at >= $2 AND e.at < $3`,
      [...base, withinDays],
    );
    const byChannel = new Map<string, Set<string>>();
    const recontacted = new Set<string>();
    for (const row of recontacts) {
      if (row.channel === null) continue;
      recontacted.add(row.customer_id);
      const customers = byChannel.get(row.channel) ?? new Set<string>();
      customers.add(row.customer_id);
      byChannel.set(row.channel, customers);
    }
    // The same need raised again in a separate interaction: a reopening, or a new topic about what a topic
    // of the customer's resolved within the window was about. A follow-up inside one topic is never one.
    const [repeated] = await this.dataSource.query(
      `SELECT count(DISTINCT topic_id)::int AS topics, count(*)::int AS repeats, count(*) FILTER (WHERE kind = 'reasked')::int AS reasked FROM (
         SELECT e.topic_id, e.type AS kind FROM conversation_topic_events e
         WHERE e.workspace_id = $1 AND e.type IN ('reopened', 'reasked') AND e.at >= $2 AND e.at < $3
         UNION ALL
         SELECT t.id, 'opened-again' FROM conversation_topics t
         WHERE t.workspace_id = $1 AND t.opened_at >= $2 AND t.opened_at < $3 AND EXISTS (
           SELECT 1 FROM conversation_topic_events r JOIN conversation_topics earlier ON earlier.id = r.topic_id
           WHERE r.workspace_id = t.workspace_id AND r.customer_id = t.customer_id AND r.type = 'resolved'
             AND earlier.id <> t.id AND earlier.intent = t.intent
             AND r.at < t.opened_at AND r.at >= t.opened_at - make_interval(days => $4))) raised_again`,
      [...base, withinDays],
    );
    const [reopened] = await this.dataSource.query(
      `SELECT count(DISTINCT topic_id)::int AS topics,
         count(DISTINCT topic_id) FILTER (WHERE previous_channel IS NOT NULL AND channel <> previous_channel)::int AS "onDifferentChannel"
       FROM conversation_topic_events WHERE workspace_id = $1 AND type = 'reopened' AND at >= $2 AND at < $3`,
      base,
    );
    // Each resolution when it happened (as recontact counts them): by a bot, with no escalation since the
    // topic's previous resolution (or its opening), is one without a person.
    const [resolved] = await this.dataSource.query(
      `SELECT count(*)::int AS topics, count(*) FILTER (WHERE e.reason LIKE 'bot:%' AND NOT EXISTS (
           SELECT 1 FROM conversation_topic_events x
           WHERE x.topic_id = e.topic_id AND x.type = 'escalated' AND x.at <= e.at
             AND x.at > COALESCE((SELECT max(p.at) FROM conversation_topic_events p
                                  WHERE p.topic_id = e.topic_id AND p.type = 'resolved' AND p.at < e.at), '-infinity'::timestamptz))
         )::int AS automated
       FROM conversation_topic_events e WHERE e.workspace_id = $1 AND e.type = 'resolved' AND e.at >= $2 AND e.at < $3`,
      base,
    );
    const target = range.target ?? 0.8;
    return {
      from,
      to,
      withinDays,
      inboundMessages: volume.messages,
      customers: volume.customers,
      topicsOpened: opened.topics,
      recontact: {
        resolutions: recontacts.length,
        customers: recontacted.size,
        byChannel: [...byChannel.entries()].map(([channel, customers]) => ({ channel, customers: customers.size })).sort((a, b) => b.customers - a.customers || a.channel.localeCompare(b.channel)),
      },
      repeatedQuestions: { topics: repeated.topics, repeats: repeated.repeats, reasked: repeated.reasked },
      reopened: { topics: reopened.topics, onDifferentChannel: reopened.onDifferentChannel },
      escalation: { topics: opened.escalated, rate: ratio(opened.escalated, opened.topics), byReason },
      automation: { resolvedTopics: resolved.topics, withoutPerson: resolved.automated, share: ratio(resolved.automated, resolved.topics), target },
    };
  }

  /**
   * Up to `limit + 1` rows of `select` in fetch order (see KeysetWindow), ordered by (`column`, `id`)
   * `natural`; `select` must include a `position` column: `column` as {@link positionOf} prints it.
   */
  private async keysetPage<T>(
    select: string,
    where: readonly string[],
    baseParams: readonly unknown[],
    order: { column: string; id: string; idType: 'uuid' | 'text'; natural: 'ASC' | 'DESC'; window: KeysetWindow<ConversationPosition> },
  ): Promise<Array<Positioned<T>>> {
    const { window } = order;
    const conditions = [...where];
    const params = [...baseParams];
    const sql = keysetSql(order.natural, window.backward);
    const beyond = (position: ConversationPosition, op: '<' | '>') => {
      params.push(position.at, position.id);
      conditions.push(`(${order.column}, ${order.id}) ${op} ($${params.length - 1}::timestamptz, $${params.length}::${order.idType})`);
    };
    if (window.after) beyond(window.after, sql.after);
    if (window.before) beyond(window.before, sql.before);
    params.push(window.limit + 1);
    const rows: Array<T & { position: string; id: string }> = await this.dataSource.query(
      `${select} WHERE ${conditions.join(' AND ')} ORDER BY ${order.column} ${sql.direction}, ${order.id} ${sql.direction} LIMIT $${params.length}`,
      params,
    );
    return rows.map(({ position, ...row }) => ({ row: row as unknown as T, position: { at: position, id: row.id } }));
  }

  private async count(sql: string, params: readonly unknown[]): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(sql, [...params]);
    return rows[0]?.count ?? 0;
  }
}

function queueConditions(workspaceId: string, filter: QueueFilter): { conditions: string[]; params: unknown[] } {
  // A person's topic always has escalated_at: the queue's keyset needs it.
  const conditions = [`workspace_id = $1`, `status = 'human'`, 'escalated_at IS NOT NULL'];
  const params: unknown[] = [workspaceId];
  if (filter.state === 'queued') conditions.push('assigned_agent IS NULL');
  if (filter.state === 'claimed') conditions.push('assigned_agent IS NOT NULL');
  if (filter.agent !== undefined) {
    params.push(filter.agent);
    conditions.push(`assigned_agent = $${params.length}`);
  }
  return { conditions, params };
}

/** The conditions on `conversation_messages c` of a history; none when it names a topic that cannot exist. */
function historyConditions(workspaceId: string, filter: HistoryFilter): { conditions: string[] | undefined; params: unknown[] } {
  if (filter.topicId !== undefined) {
    return isUuid(filter.topicId) ? { conditions: ['c.workspace_id = $1', 'c.topic_id = $2'], params: [workspaceId, filter.topicId] } : { conditions: undefined, params: [] };
  }
  return { conditions: ['c.workspace_id = $1', 'c.customer_id = $2'], params: [workspaceId, filter.customerId] };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
