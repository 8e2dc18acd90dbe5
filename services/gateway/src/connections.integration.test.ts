import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_WORKSPACE_ID, InboxStore, JournalStore, JourneyInstanceSearchStore, OperatorAuditStore } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from './test-support/gateway-fixture';
import { toGlobalId } from './node/global-id';
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

  beforeAll(async () => {
    gw = await startGatewayFixture();
    const identify = `mutation($input: IdentifyInput!) { identify(input: $input) { messageId } }`;
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
    const store = new InboxStore(gw.dataSource);
    for (let i = 1; i <= 5; i++) {
      const message = await store.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: USER, messageId: null, body: `inbox ${i}` });
      inbox.unshift(message.id);
    }
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
      name: 'Profile.timeline',
      query: (args, selection) => `query(${VARIABLES}) { profile(userId: "${USER}") { timeline(${args}, order: OLDEST_FIRST) { ${selection} } } }`,
      pick: (data) => (data['profile'] as Record<string, unknown>)['timeline'] as Connection,
      fields: 'id kind at',
      key: (node) => `${node['kind'] as string}:${node['id'] as string}`,
      // 7 events, 6 journey steps, 5 operator actions (the inbox rows are not messages of the outbox).
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
  ];

  async function page(subject: Subject, variables: Record<string, unknown>): Promise<Connection> {
    const selection = `edges { cursor node { ${subject.fields} } } nodes { ${subject.fields} } ${PAGE_INFO} totalCount`;
    const extra = subject.name === 'operatorAudit' ? { instanceId: journeyInstanceGlobalId({ instanceId: instances[0]!, runId: 'r1' }) } : {};
    const result = await gw.graphql<Record<string, unknown>>(subject.query(PAGE_ARGS, selection), { ...variables, ...extra });
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
        expect(all).toHaveLength(7 + 6 + 5);
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
      const extra = subject.name === 'operatorAudit' ? { instanceId: journeyInstanceGlobalId({ instanceId: instances[0]!, runId: 'r1' }) } : {};
      for (const [variables, argument] of cases) {
        const result = await gw.graphql(subject.query(PAGE_ARGS, `${PAGE_INFO}`), { ...variables, ...extra });
        const error = result.errors?.[0] as GqlError | undefined;
        expect(error?.extensions?.code, `${subject.name} ${JSON.stringify(variables)}`).toBe('BAD_USER_INPUT');
        expect(error?.extensions?.field, `${subject.name} ${JSON.stringify(variables)}`).toBe(argument);
        expect(error?.message).toMatch(new RegExp(`^${argument}: `));
      }
    });
  }
});
