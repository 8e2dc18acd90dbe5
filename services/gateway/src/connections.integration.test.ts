import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { AudienceStore, BroadcastStore, ConversationStore, DEFAULT_WORKSPACE_ID, InboxStore, JournalStore, JourneyInstanceSearchStore, MessageStore, OperatorAuditStore } from '@continuum/data';
import { toGlobalId } from './node/global-id';
import { startGatewayFixture, type GatewayFixture } from './test-support/gateway-fixture';
import { TemplateStore } from '@continuum/data';
import { journeyInstanceGlobalId } from './node/journey-instance-id';

type Node = Record<string, unknown>;
type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
type Connection = { edges: Array<{ cursor: string; node: Node }>; nodes: Node[]; pageInfo: PageInfo; totalCount: number };
type GqlError = { message: string; extensions?: { code?: string; field?: string } };

/** How to reach one connection: the query with the page arguments and selection put in, and where its result is. */
interface Subject {
  name: string;
  query: (pageArgs: string, selection: string) => string;
  pick: (data: Record<string, unknown>) => Connection;
  /** The fields that identify a node, and the key they make. */
  fields: string;
  key: (node: Node) => string;
  /** Every item, in the connection's order. */
  expected: () => string[];
}

const USER = 'paging-walker';
const JOURNEY = 'paging-journey';
const PROFILE_COHORT = 'paging-cohort';
const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const VARIABLES = '$first: Int, $after: String, $last: Int, $before: String';
const PAGE_ARGS = 'first: $first, after: $after, last: $last, before: $before';

// Every connection of the gateway, walked page by page in both directions against a real PostgreSQL.
describe('Relay connections, forward and backward', () => {
  let gw: GatewayFixture;
  const profiles: string[] = [];
  const events: string[] = [];
  const instances: string[] = [];
  const audit: string[] = [];
  const inbox: string[] = [];
  const audienceNames: string[] = [];
  const members: string[] = [];
  const broadcastNames: string[] = [];
  const runNumbers: string[] = [];
  let recurringBroadcast = '';
  const messages: string[] = [];
  const conversation = { queue: [] as string[], topics: [] as string[], messages: [] as string[], topicMessages: [] as string[], topicId: '' };

  beforeAll(async () => {
    // Every connection walked both ways is a few hundred requests in seconds: above the default rate limit.
    gw = await startGatewayFixture({ env: { GRAPHQL_RATE_LIMIT_PER_SECOND: '1000', GRAPHQL_RATE_LIMIT_BURST: '5000' } });
    const identify = `mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`;
    // Seven customers of one cohort (the profile search), and seven identify events of one customer.
    for (let i = 1; i <= 7; i++) {
      const userId = `paging-${String(i).padStart(2, '0')}`;
      expect((await gw.graphql(identify, { input: { userId, messageId: `pg-profile-${i}`, traits: { cohort: PROFILE_COHORT } } })).errors).toBeUndefined();
      profiles.push(userId);
      expect((await gw.graphql(identify, { input: { userId: USER, messageId: `pg-event-${i}`, traits: { step: i } } })).errors).toBeUndefined();
    }
    const accepted: Array<{ messageId: string }> = await gw.dataSource.query(
      `SELECT message_id AS "messageId" FROM events WHERE workspace_id = $1 AND user_id = $2 ORDER BY id DESC`,
      [DEFAULT_WORKSPACE_ID, USER],
    );
    events.push(...accepted.map((row) => row.messageId)); // newest first: the order of acceptance
    expect([...events].sort()).toEqual(Array.from({ length: 7 }, (_, i) => `pg-event-${i + 1}`));
    const journal = new JournalStore(gw.dataSource);
    const at = new Date('2026-03-01T10:00:00.000Z');
    for (let i = 1; i <= 6; i++) {
      const instanceId = `journey/${JOURNEY}/${USER}/k${i}`;
      await journal.record({
        workspaceId: DEFAULT_WORKSPACE_ID,
        instanceId,
        runId: 'r1',
        seq: 1,
        journeyId: JOURNEY,
        customerId: USER,
        key: `k${i}`,
        type: 'entered',
        step: 'entry',
        status: 'active',
        detail: {},
        // Two share a start time: the instance id orders them.
        at: new Date(at.getTime() + Math.min(i, 5) * 60_000),
      });
    }
    const found: Array<{ id: string }> = await gw.dataSource.query(
      `SELECT instance_id AS id FROM journey_instances WHERE journey_id = $1 ORDER BY started_at DESC, instance_id DESC, run_id DESC`,
      [JOURNEY],
    );
    instances.push(...found.map((row) => row.id));
    const [key]: Array<{ id: string }> = await gw.dataSource.query(`SELECT id FROM api_keys WHERE workspace_id = $1 LIMIT 1`, [DEFAULT_WORKSPACE_ID]);
    const audits = new OperatorAuditStore(gw.dataSource);
    for (let i = 1; i <= 5; i++) {
      const row = await audits.record({
        workspaceId: DEFAULT_WORKSPACE_ID,
        actorKeyId: key!.id,
        action: 'endJourneyInstance',
        target: instances[0]!,
        instanceId: instances[0]!,
        runId: 'r1',
        customerId: USER,
        input: { n: i },
        outcome: 'ok',
      });
      audit.unshift(toGlobalId('OperatorAuditEntry', row.id));
    }
    const outbox = new MessageStore(gw.dataSource);
    for (let i = 1; i <= 5; i++) {
      await outbox.claim({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: USER, instanceId: instances[0]!, runId: 'r1', step: `send-${i}`, channel: 'sms', to: '+14155550100', body: `outbox ${i}` });
    }
    const sent: Array<{ step: string }> = await gw.dataSource.query(
      `SELECT step FROM messages WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at DESC, id DESC`,
      [DEFAULT_WORKSPACE_ID, USER],
    );
    messages.push(...sent.map((row) => row.step));
    const store = new InboxStore(gw.dataSource);
    for (let i = 1; i <= 5; i++) {
      const message = await store.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: USER, messageId: null, body: `inbox ${i}` });
      inbox.unshift(toGlobalId('InboxMessage', message.id));
    }
    // Audiences (by name), the members of one (the seven of the cohort), broadcasts to it (newest
    // first) and the runs of one (latest first), written through the stores: no workflow runs them.
    const audiences = new AudienceStore(gw.dataSource);
    const cohort = await audiences.save(DEFAULT_WORKSPACE_ID, 'paging-members', { trait: 'cohort', eq: PROFILE_COHORT });
    await audiences.evaluate(cohort);
    for (let i = 1; i <= 4; i++) await audiences.save(DEFAULT_WORKSPACE_ID, `paging-audience-${i}`, { event: `Paging ${i}` });
    const names: Array<{ name: string }> = await gw.dataSource.query(`SELECT name FROM audiences WHERE workspace_id = $1 ORDER BY name`, [DEFAULT_WORKSPACE_ID]);
    audienceNames.push(...names.map((row) => row.name));
    const memberRows: Array<{ id: string }> = await gw.dataSource.query(`SELECT customer_id AS id FROM audience_members WHERE audience_id = $1 ORDER BY customer_id`, [cohort.id]);
    members.push(...memberRows.map((row) => row.id));
    expect(members).toHaveLength(7);
    const broadcasts = new BroadcastStore(gw.dataSource);
    let recurring = '';
    for (let i = 1; i <= 5; i++) {
      const broadcast = await broadcasts.create(DEFAULT_WORKSPACE_ID, {
        name: `paging-broadcast-${i}`,
        audienceId: cohort.id,
        template: 'paging',
        channel: 'sms',
        ratePerSecond: 1,
        schedule: { cron: '0 9 * * MON', timeZone: 'UTC' },
      });
      recurring = broadcast.id;
    }
    const created: Array<{ name: string }> = await gw.dataSource.query(`SELECT name FROM broadcasts WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC`, [DEFAULT_WORKSPACE_ID]);
    broadcastNames.push(...created.map((row) => row.name));
    for (let i = 1; i <= 6; i++) await broadcasts.openRun(recurring, `broadcast/default/${recurring}-${i}`, new Date(Date.UTC(2026, 0, i)));
    runNumbers.push(...['6', '5', '4', '3', '2', '1']);
    recurringBroadcast = recurring;
    await seedConversation();
  });

  /**
   * Six topics of USER (three escalated, two of them at the same time) and eight messages (two
   * pairs at the same time, four in the first topic), written as the conversation activity does.
   */
  async function seedConversation(): Promise<void> {
    const at = (minute: number) => new Date(Date.parse('2026-04-01T09:00:00.000Z') + minute * 60_000).toISOString();
    const topics = Array.from({ length: 6 }, (_, i) => ({
      id: randomUUID(),
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: USER,
      intent: 'support' as const,
      status: i < 3 ? ('human' as const) : ('automated' as const),
      channel: 'sms' as const,
      openedAt: at(Math.min(i, 4)),
      lastMessageAt: at(30),
      ...(i < 3 ? { escalatedAt: at(10 + Math.min(i, 1)), escalationReason: 'vip' } : {}),
      reopened: 0,
      facts: {},
    }));
    const messages = Array.from({ length: 8 }, (_, i) => ({
      id: `paging-message-${i}`,
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: USER,
      topicId: i % 2 === 0 ? topics[0]!.id : null,
      direction: 'in' as const,
      author: 'customer',
      channel: 'sms' as const,
      body: `message ${i}`,
      at: at(Math.floor(i / 2) * 2 + (i % 4 === 3 ? 0 : i % 2)),
    }));
    await new ConversationStore(gw.dataSource).record({ topics, messages });
    const byTime = <T extends { id: string }>(rows: T[], time: (row: T) => string, descending: boolean) =>
      [...rows].sort((a, b) => (time(a) === time(b) ? (a.id < b.id ? -1 : 1) : time(a) < time(b) ? -1 : 1) * (descending ? -1 : 1));
    const topicGid = (topic: { id: string }) => toGlobalId('ConversationTopic', topic.id);
    const messageGid = (message: { id: string }) => toGlobalId('ConversationMessage', message.id);
    conversation.queue = byTime(topics.slice(0, 3), (topic) => topic.escalatedAt!, false).map(topicGid);
    conversation.topics = byTime(topics, (topic) => topic.openedAt, true).map(topicGid);
    conversation.messages = byTime(messages, (message) => message.at, false).map(messageGid);
    conversation.topicMessages = byTime(messages.filter((message) => message.topicId !== null), (message) => message.at, false).map(messageGid);
    conversation.topicId = topicGid(topics[0]!);
  }

  // Templates: six locales of one name (templates), five versions of one locale (MessageTemplate.versions).
  const TEMPLATE = 'paging-template';
  const templateLocales = ['de', 'en', 'es', 'fr', 'it', 'pt'];
  const templateVersions = ['5', '4', '3', '2', '1'];
  let afterDe = '';
  beforeAll(async () => {
    const templates = new TemplateStore(gw.dataSource);
    for (const locale of templateLocales) await templates.publish(DEFAULT_WORKSPACE_ID, { name: TEMPLATE, locale, channel: 'sms', body: `Hi ${locale}`, createdBy: 'test' });
    for (let v = 2; v <= 5; v++) await templates.publish(DEFAULT_WORKSPACE_ID, { name: TEMPLATE, locale: 'en', channel: 'sms', body: `Hi en v${v}`, createdBy: 'test' });
    const first = await gw.graphql<{ templates: { pageInfo: { endCursor: string } } }>(`{ templates(name: "${TEMPLATE}", first: 1) { pageInfo { endCursor } } }`);
    afterDe = first.data!.templates.pageInfo.endCursor;
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  const subjects: Subject[] = [
    {
      name: 'searchProfiles',
      query: (args, selection) => `query(${VARIABLES}) { searchProfiles(query: { trait: { name: "cohort", value: "${PROFILE_COHORT}" } }, ${args}) { ${selection} } }`,
      pick: (data) => data['searchProfiles'] as Connection,
      fields: 'userId',
      key: (node) => node['userId'] as string,
      expected: () => profiles,
    },
    {
      name: 'Profile.events',
      query: (args, selection) => `query(${VARIABLES}) { profile(userId: "${USER}") { events(${args}) { ${selection} } } }`,
      pick: (data) => (data['profile'] as Record<string, unknown>)['events'] as Connection,
      fields: 'messageId',
      key: (node) => node['messageId'] as string,
      expected: () => events,
    },
    {
      name: 'Profile.messages',
      query: (args, selection) => `query(${VARIABLES}) { profile(userId: "${USER}") { messages(${args}) { ${selection} } } }`,
      pick: (data) => (data['profile'] as Record<string, unknown>)['messages'] as Connection,
      fields: 'step',
      key: (node) => node['step'] as string,
      expected: () => messages,
    },
    {
      name: 'Profile.journeyInstances',
      query: (args, selection) => `query(${VARIABLES}) { profile(userId: "${USER}") { journeyInstances(${args}) { ${selection} } } }`,
      pick: (data) => (data['profile'] as Record<string, unknown>)['journeyInstances'] as Connection,
      fields: 'key',
      key: (node) => `journey/${JOURNEY}/${USER}/${node['key'] as string}`,
      expected: () => instances,
    },
    {
      name: 'Profile.timeline',
      query: (args, selection) => `query(${VARIABLES}) { profile(userId: "${USER}") { timeline(${args}, order: OLDEST_FIRST) { ${selection} } } }`,
      pick: (data) => (data['profile'] as Record<string, unknown>)['timeline'] as Connection,
      fields: 'id kind at',
      key: (node) => `${node['kind'] as string}:${node['id'] as string}`,
      // 7 events, 6 journey steps, 5 operator actions, 5 outbox messages (the inbox rows are not messages of the outbox).
      expected: () => [],
    },
    {
      name: 'journeyInstances',
      query: (args, selection) => `query(${VARIABLES}) { journeyInstances(filter: { journeyId: "${JOURNEY}" }, ${args}) { ${selection} } }`,
      pick: (data) => data['journeyInstances'] as Connection,
      fields: 'workflowId',
      key: (node) => node['workflowId'] as string,
      expected: () => instances,
    },
    {
      name: 'operatorAudit',
      query: (args, selection) => `query(${VARIABLES}, $instanceId: ID) { operatorAudit(instanceId: $instanceId, ${args}) { ${selection} } }`,
      pick: (data) => data['operatorAudit'] as Connection,
      fields: 'id',
      key: (node) => node['id'] as string,
      expected: () => audit,
    },
    {
      name: 'inbox',
      query: (args, selection) => `query(${VARIABLES}) { inbox(userId: "${USER}", ${args}) { ${selection} } }`,
      pick: (data) => data['inbox'] as Connection,
      fields: 'id',
      key: (node) => node['id'] as string,
      expected: () => inbox,
    },
    {
      name: 'audiences',
      query: (args, selection) => `query(${VARIABLES}) { audiences(${args}) { ${selection} } }`,
      pick: (data) => data['audiences'] as Connection,
      fields: 'name',
      key: (node) => node['name'] as string,
      expected: () => audienceNames,
    },
    {
      name: 'Audience.members',
      query: (args, selection) => `query(${VARIABLES}) { audience(name: "paging-members") { members(${args}) { ${selection} } } }`,
      pick: (data) => (data['audience'] as Record<string, unknown>)['members'] as Connection,
      fields: 'userId',
      key: (node) => node['userId'] as string,
      expected: () => members,
    },
    {
      name: 'broadcasts',
      query: (args, selection) => `query(${VARIABLES}) { broadcasts(${args}) { ${selection} } }`,
      pick: (data) => data['broadcasts'] as Connection,
      fields: 'name',
      key: (node) => node['name'] as string,
      expected: () => broadcastNames,
    },
    {
      name: 'Broadcast.runs',
      query: (args, selection) => `query(${VARIABLES}, $broadcast: ID!) { broadcast(id: $broadcast) { runs(${args}) { ${selection} } } }`,
      pick: (data) => (data['broadcast'] as Record<string, unknown>)['runs'] as Connection,
      fields: 'number',
      key: (node) => String(node['number']),
      expected: () => runNumbers,
    },
    {
      name: 'agentQueue',
      query: (args, selection) => `query(${VARIABLES}) { agentQueue(state: ALL, ${args}) { ${selection} } }`,
      pick: (data) => data['agentQueue'] as Connection,
      fields: 'id',
      key: (node) => node['id'] as string,
      expected: () => conversation.queue,
    },
    {
      name: 'Conversation.topics',
      query: (args, selection) => `query(${VARIABLES}) { conversation(userId: "${USER}") { topics(${args}) { ${selection} } } }`,
      pick: (data) => (data['conversation'] as Record<string, unknown>)['topics'] as Connection,
      fields: 'id',
      key: (node) => node['id'] as string,
      expected: () => conversation.topics,
    },
    {
      name: 'Conversation.messages',
      query: (args, selection) => `query(${VARIABLES}) { conversation(userId: "${USER}") { messages(${args}) { ${selection} } } }`,
      pick: (data) => (data['conversation'] as Record<string, unknown>)['messages'] as Connection,
      fields: 'id',
      key: (node) => node['id'] as string,
      expected: () => conversation.messages,
    },
    {
      name: 'ConversationTopic.messages',
      query: (args, selection) => `query(${VARIABLES}) { topic(id: "${conversation.topicId}") { messages(${args}) { ${selection} } } }`,
      pick: (data) => (data['topic'] as Record<string, unknown>)['messages'] as Connection,
      fields: 'id',
      key: (node) => node['id'] as string,
      expected: () => conversation.topicMessages,
    },
    {
      name: 'templates',
      query: (args, selection) => `query(${VARIABLES}) { templates(name: "${TEMPLATE}", ${args}) { ${selection} } }`,
      pick: (data) => data['templates'] as Connection,
      fields: 'locale',
      key: (node) => node['locale'] as string,
      expected: () => templateLocales,
    },
    {
      name: 'MessageTemplate.versions',
      // Of the template in "en" (the page after "de"), the one with five versions.
      query: (args, selection) => `query(${VARIABLES}) { templates(name: "${TEMPLATE}", first: 1, after: "${afterDe}") { nodes { versions(${args}) { ${selection} } } } }`,
      pick: (data) => (data['templates'] as { nodes: Array<Record<string, unknown>> }).nodes[0]!['versions'] as Connection,
      fields: 'version',
      key: (node) => String(node['version']),
      expected: () => templateVersions,
    },
  ];

  /** Variables a subject's query needs besides the page arguments. */
  const extraOf = (subject: Subject): Record<string, unknown> =>
    subject.name === 'operatorAudit'
      ? { instanceId: journeyInstanceGlobalId({ instanceId: instances[0]!, runId: 'r1' }) }
      : subject.name === 'Broadcast.runs' ? { broadcast: toGlobalId('Broadcast', recurringBroadcast) } : {};

  async function page(subject: Subject, variables: Record<string, unknown>): Promise<Connection> {
    const selection = `edges { cursor node { ${subject.fields} } } nodes { ${subject.fields} } ${PAGE_INFO} totalCount`;
    const result = await gw.graphql<Record<string, unknown>>(subject.query(PAGE_ARGS, selection), { ...variables, ...extraOf(subject) });
    expect(result.errors, subject.name).toBeUndefined();
    const connection = subject.pick(result.data!);
    expect(connection.nodes.map(subject.key)).toEqual(connection.edges.map((edge) => subject.key(edge.node)));
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
    return connection;
  }

  async function walkForward(subject: Subject, size: number): Promise<{ pages: string[][]; totals: number[] }> {
    const pages: string[][] = [];
    const totals: number[] = [];
    let after: string | null = null;
    for (let n = 0; n < 50; n++) {
      const p = await page(subject, { first: size, after });
      expect(p.pageInfo.hasPreviousPage).toBe(n > 0);
      pages.push(p.nodes.map(subject.key));
      totals.push(p.totalCount);
      if (!p.pageInfo.hasNextPage) return { pages, totals };
      expect(p.nodes).toHaveLength(size);
      after = p.pageInfo.endCursor;
    }
    throw new Error('too many pages');
  }

  async function walkBackward(subject: Subject, size: number): Promise<{ pages: string[][]; totals: number[] }> {
    const pages: string[][] = [];
    const totals: number[] = [];
    let before: string | null = null;
    for (let n = 0; n < 50; n++) {
      const p = await page(subject, { last: size, before });
      expect(p.pageInfo.hasNextPage).toBe(n > 0);
      pages.unshift(p.nodes.map(subject.key));
      totals.push(p.totalCount);
      if (!p.pageInfo.hasPreviousPage) return { pages, totals };
      expect(p.nodes).toHaveLength(size);
      before = p.pageInfo.startCursor;
    }
    throw new Error('too many pages');
  }

  it('counts only when a query selects totalCount', async () => {
    const store = gw.app.get(JourneyInstanceSearchStore, { strict: false });
    const count = vi.spyOn(store, 'count');
    try {
      const journeys = subjects.find((subject) => subject.name === 'journeyInstances')!;
      const withoutTotal = await gw.graphql<Record<string, unknown>>(journeys.query(PAGE_ARGS, `nodes { workflowId } ${PAGE_INFO}`), { first: 2 });
      expect(withoutTotal.errors).toBeUndefined();
      expect(journeys.pick(withoutTotal.data!).nodes).toHaveLength(2);
      expect(count).not.toHaveBeenCalled();
      expect(journeys.pick((await gw.graphql<Record<string, unknown>>(journeys.query(PAGE_ARGS, 'totalCount'), { first: 2 })).data!).totalCount).toBe(instances.length);
      expect(count).toHaveBeenCalledTimes(1);
    } finally {
      count.mockRestore();
    }
  });

  for (const subject of subjects) {
    it(`${subject.name}: every page forward and backward gives the same items in the same order, with the right flags and totalCount`, async () => {
      const all = (await page(subject, { first: 100 })).nodes.map(subject.key);
      if (subject.name === 'Profile.timeline') {
        expect(all).toHaveLength(7 + 6 + 5 + 5);
        expect(all.filter((key) => key.startsWith('EVENT:'))).toHaveLength(7);
      } else {
        expect(all).toEqual(subject.expected());
      }
      for (const size of [1, 2, 3, 100]) {
        const forward = await walkForward(subject, size);
        const backward = await walkBackward(subject, size);
        expect(forward.pages.flat(), `first: ${size}`).toEqual(all);
        expect(backward.pages.flat(), `last: ${size}`).toEqual(all);
        // Pages line up when the size divides the list (forward pages start at the start, backward ones end at the end).
        if (all.length % size === 0) expect(backward.pages).toEqual(forward.pages);
        expect(new Set([...forward.totals, ...backward.totals])).toEqual(new Set([all.length]));
      }
      // last: 2 is the last two, in the connection's order.
      expect((await page(subject, { last: 2 })).nodes.map(subject.key)).toEqual(all.slice(-2));
    });

    it(`${subject.name}: refuses bad page arguments with BAD_USER_INPUT naming the argument`, async () => {
      const { edges } = await page(subject, { first: 2 });
      const cursor = edges[0]!.cursor;
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ first: 0 }, 'first'],
        [{ first: 101 }, 'first'],
        [{ last: 0 }, 'last'],
        [{ last: 101 }, 'last'],
        [{ first: 2, last: 2 }, 'last'],
        [{ first: 2, after: cursor, before: cursor }, 'before'],
        [{ last: 2, after: cursor }, 'after'],
        [{ first: 2, before: cursor }, 'before'],
        [{ first: 2, after: 'not-a-cursor' }, 'after'],
        [{ last: 2, before: 'not-a-cursor' }, 'before'],
      ];
      for (const [variables, argument] of cases) {
        const result = await gw.graphql(subject.query(PAGE_ARGS, `${PAGE_INFO}`), { ...variables, ...extraOf(subject) });
        const error = result.errors?.[0] as GqlError | undefined;
        expect(error?.extensions?.code, `${subject.name} ${JSON.stringify(variables)}`).toBe('BAD_USER_INPUT');
        expect(error?.extensions?.field, `${subject.name} ${JSON.stringify(variables)}`).toBe(argument);
        expect(error?.message).toMatch(new RegExp(`^${argument}: `));
      }
    });
  }
});
