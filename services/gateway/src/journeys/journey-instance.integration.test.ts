import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore, JournalStore, JourneyStatsStore, OperatorAuditStore, WorkspaceStore } from '@continuum/data';
import { journeyDescriptors } from '@continuum/worker';
import { toGlobalId } from '../node/global-id';
import { journeyInstanceGlobalId } from '../node/journey-instance-id';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type GqlError = { message: string; extensions?: { code?: string; field?: string } };
type Page = { edges: Array<{ cursor: string; node: { seq: number } }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; totalCount: number };

const JOURNEY = 'abandoned-cart';
const USER = 'ji-ana';
const WORKFLOW = `journey/${JOURNEY}/${USER}/cart-1`;
const STEPS = 7;

// JourneyInstance, one Node per run, and its timeline connection and relations, against a real PostgreSQL.
describe('JourneyInstance (GraphQL, real PostgreSQL)', () => {
  let gw: GatewayFixture;
  let brandKey: string;
  const first = { instanceId: WORKFLOW, runId: 'run-1' };
  const second = { instanceId: WORKFLOW, runId: 'run-2' };

  beforeAll(async () => {
    gw = await startGatewayFixture({ beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'journey-instance-test') });
    const workspaces = new WorkspaceStore(gw.dataSource);
    brandKey = await workspaces.createApiKey((await workspaces.createWorkspace('brand-ji', 'Brand JI')).id, 'test');
    await gw.graphql(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, { input: { userId: USER, messageId: 'ji-identify', traits: { name: 'Ana' } } });
    const journal = new JournalStore(gw.dataSource);
    const at = new Date('2026-03-01T10:00:00.000Z');
    // The first run exits after STEPS entries; the re-entry (a second run of the same workflow id) has one.
    for (let seq = 1; seq <= STEPS; seq++) {
      const last = seq === STEPS;
      await journal.record({
        workspaceId: DEFAULT_WORKSPACE_ID, ...first, seq, journeyId: JOURNEY, customerId: USER, key: 'cart-1',
        type: seq === 1 ? 'entered' : last ? 'exited' : 'wait.started', step: last ? 'exit' : `step-${seq}`,
        status: last ? 'exited' : 'active', detail: last ? { reason: 'archived' } : { n: seq }, at: new Date(at.getTime() + seq * 1000),
      });
    }
    await journal.record({
      workspaceId: DEFAULT_WORKSPACE_ID, ...second, seq: 1, journeyId: JOURNEY, customerId: USER, key: 'cart-1',
      type: 'entered', step: 'entry', status: 'active', detail: {}, at: new Date(at.getTime() + 60_000),
    });
  });
  afterAll(() => gw?.teardown());

  function graphql<T>(query: string, variables: Record<string, unknown> = {}, apiKey: string = gw.apiKey) {
    return gw.graphql<T>(query, variables, apiKey) as Promise<{ data?: T; errors?: GqlError[] }>;
  }

  it('gives each run its own global id, which node(id:) and journeyInstance(id:) find', async () => {
    const id = journeyInstanceGlobalId(first);
    const byNode = await graphql<{ node: Record<string, unknown> }>(
      `query($id: ID!) { node(id: $id) { __typename id ... on JourneyInstance { workflowId runId status exitReason userId journeyId } } }`,
      { id },
    );
    expect(byNode.errors).toBeUndefined();
    expect(byNode.data!.node).toEqual({ __typename: 'JourneyInstance', id, workflowId: WORKFLOW, runId: 'run-1', status: 'EXITED', exitReason: 'archived', userId: USER, journeyId: JOURNEY });
    const byId = await graphql<{ journeyInstance: { id: string; runId: string } }>(`query($id: ID!) { journeyInstance(id: $id) { id runId } }`, { id: journeyInstanceGlobalId(second) });
    expect(byId.data!.journeyInstance).toEqual({ id: journeyInstanceGlobalId(second), runId: 'run-2' });
    // By workflow id: the latest run.
    const latest = await graphql<{ journeyInstance: { id: string; status: string } }>(`query($w: String!) { journeyInstance(workflowId: $w) { id status } }`, { w: WORKFLOW });
    expect(latest.data!.journeyInstance).toEqual({ id: journeyInstanceGlobalId(second), status: 'ACTIVE' });
    // journeyInstances hands out the same ids: one object per run in a normalising cache.
    const listed = await graphql<{ journeyInstances: { nodes: Array<{ id: string }> } }>(`query($u: String!) { journeyInstances(filter: { userId: $u }) { nodes { id } } }`, { u: USER });
    expect(listed.data!.journeyInstances.nodes.map((node) => node.id).sort()).toEqual([id, journeyInstanceGlobalId(second)].sort());
  });

  it("returns null for another workspace's instance and for a run that does not exist", async () => {
    const foreign = await graphql<{ node: unknown; journeyInstance: unknown }>(
      `query($id: ID!) { node(id: $id) { id } journeyInstance(id: $id) { id } }`,
      { id: journeyInstanceGlobalId(first) },
      brandKey,
    );
    expect(foreign).toEqual({ data: { node: null, journeyInstance: null } });
    const missing = await graphql(`query($id: ID!) { journeyInstance(id: $id) { id } }`, { id: journeyInstanceGlobalId({ instanceId: WORKFLOW, runId: 'run-9' }) });
    expect(missing).toEqual({ data: { journeyInstance: null } });
  });

  it('refuses a bad id, or both or neither of id and workflowId, naming the argument', async () => {
    const wrongType = await graphql(`query($id: ID!) { journeyInstance(id: $id) { id } }`, { id: toGlobalId('Profile', USER) });
    expect(wrongType.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const noRun = await graphql(`query($id: ID!) { journeyInstance(id: $id) { id } }`, { id: toGlobalId('JourneyInstance', WORKFLOW) });
    expect(noRun.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const neither = await graphql(`{ journeyInstance { id } }`);
    expect(neither.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const both = await graphql(`query($id: ID!) { journeyInstance(id: $id, workflowId: "x") { id } }`, { id: journeyInstanceGlobalId(first) });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'workflowId' });
  });

  it('resolves the customer and the journey as objects', async () => {
    const { data, errors } = await graphql<{ journeyInstance: { customer: { userId: string } | null; journey: { key: string } | null } }>(
      `query($id: ID!) { journeyInstance(id: $id) { customer { userId } journey { key } } }`,
      { id: journeyInstanceGlobalId(first) },
    );
    expect(errors).toBeUndefined();
    expect(data!.journeyInstance).toEqual({ customer: { userId: USER }, journey: { key: JOURNEY } });
  });

  it('pages the timeline of one run forward and backward, with totalCount', async () => {
    const TIMELINE = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      journeyInstance(id: $id) { timeline(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { seq } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } } }`;
    const page = async (variables: Record<string, unknown>) => {
      const { data, errors } = await graphql<{ journeyInstance: { timeline: Page } }>(TIMELINE, { id: journeyInstanceGlobalId(first), ...variables });
      expect(errors).toBeUndefined();
      return data!.journeyInstance.timeline;
    };
    const forward: number[] = [];
    let after: string | null = null;
    for (;;) {
      const p: Page = await page({ first: 3, after });
      expect(p.totalCount).toBe(STEPS);
      forward.push(...p.edges.map((edge) => edge.node.seq));
      expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(forward).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const backward: number[] = [];
    let before: string | null = null;
    for (;;) {
      const p: Page = await page({ last: 3, before });
      backward.unshift(...p.edges.map((edge) => edge.node.seq));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(backward).toEqual(forward);
    const bad = await graphql(TIMELINE, { id: journeyInstanceGlobalId(first), after: 'nope' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('gives a journal entry a global id that node(id:) finds', async () => {
    const { data } = await graphql<{ journeyInstance: { timeline: { nodes: Array<{ id: string; seq: number; type: string }> } } }>(
      `query($id: ID!) { journeyInstance(id: $id) { timeline(last: 1) { nodes { id seq type } } } }`,
      { id: journeyInstanceGlobalId(first) },
    );
    const entry = data!.journeyInstance.timeline.nodes[0]!;
    expect(entry).toMatchObject({ seq: STEPS, type: 'EXITED' });
    const found = await graphql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { __typename ... on TimelineEntry { seq type } } }`, { id: entry.id });
    expect(found.data!.node).toEqual({ __typename: 'TimelineEntry', seq: STEPS, type: 'EXITED' });
    expect((await graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: entry.id }, brandKey)).data).toEqual({ node: null });
  });

  it("gives an operator audit entry a global id, with the instance it acted on; operatorAudit(instanceId:) takes the instance's global id", async () => {
    const [key]: Array<{ id: string }> = await gw.dataSource.query(`SELECT id FROM api_keys WHERE workspace_id = $1 LIMIT 1`, [DEFAULT_WORKSPACE_ID]);
    const row = await new OperatorAuditStore(gw.dataSource).record({
      workspaceId: DEFAULT_WORKSPACE_ID, actorKeyId: key!.id, action: 'endJourneyInstance', target: WORKFLOW, instanceId: WORKFLOW, runId: 'run-1',
      customerId: USER, input: { reason: 'test' }, outcome: 'error', message: 'already exited',
    });
    const id = toGlobalId('OperatorAuditEntry', row.id);
    const { data, errors } = await graphql<{ node: unknown }>(
      `query($id: ID!) { node(id: $id) { __typename id ... on OperatorAuditEntry { action outcome target instance { id runId } } } }`,
      { id },
    );
    expect(errors).toBeUndefined();
    expect(data!.node).toEqual({ __typename: 'OperatorAuditEntry', id, action: 'END_JOURNEY_INSTANCE', outcome: 'ERROR', target: WORKFLOW, instance: { id: journeyInstanceGlobalId(first), runId: 'run-1' } });
    expect((await graphql(`query($id: ID!) { node(id: $id) { id } }`, { id }, brandKey)).data).toEqual({ node: null });

    const AUDIT = `query($instanceId: ID) { operatorAudit(instanceId: $instanceId) { nodes { id } totalCount } }`;
    expect((await graphql(AUDIT, { instanceId: journeyInstanceGlobalId(first) })).data).toEqual({ operatorAudit: { nodes: [{ id }], totalCount: 1 } });
    // The other run of the same workflow id has no actions.
    expect((await graphql(AUDIT, { instanceId: journeyInstanceGlobalId(second) })).data).toEqual({ operatorAudit: { nodes: [], totalCount: 0 } });
    const bad = await graphql(AUDIT, { instanceId: WORKFLOW });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'instanceId' });
  });

  it('draws the journey graph in one query: steps with labelled moves, active now and reached in the window', async () => {
    const journal = new JournalStore(gw.dataSource);
    const paths: Array<[string, string[], 'active' | 'completed' | 'exited']> = [
      ['g1', ['entry', 'wait-for-idle-cart', 'cart-reminder-sms', 'done'], 'completed'],
      ['g2', ['entry', 'wait-for-idle-cart'], 'active'],
      ['g3', ['entry', 'wait-for-idle-cart', 'exit'], 'exited'],
    ];
    for (const [key, steps, end] of paths) {
      for (const [index, step] of steps.entries()) {
        const last = index === steps.length - 1;
        await journal.record({
          workspaceId: DEFAULT_WORKSPACE_ID, instanceId: `journey/${JOURNEY}/ji-bob/${key}`, runId: `run-${key}`, seq: index + 1, journeyId: JOURNEY, customerId: 'ji-bob', key,
          type: index === 0 ? 'entered' : 'wait.started', step, status: last ? end : 'active', detail: {}, at: new Date(Date.UTC(2025, 0, 10, 0, index)),
        });
      }
    }
    const GRAPH = `query($key: String!, $from: DateTime, $to: DateTime) { journey(key: $key) { steps(from: $from, to: $to) { step kind active reached next { from to label } } } }`;
    const store = gw.app.get(JourneyStatsStore, { strict: false });
    const counted = vi.spyOn(store, 'stepCounts');
    try {
      const { data, errors } = await graphql<{ journey: { steps: Array<{ step: string; kind: string; active: number; reached: number; next: unknown[] }> } }>(GRAPH, {
        key: JOURNEY, from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z',
      });
      expect(errors).toBeUndefined();
      expect(counted).toHaveBeenCalledTimes(1);
      const byStep = Object.fromEntries(data!.journey.steps.map(({ step, kind, active, reached }) => [step, { kind, active, reached }]));
      expect(byStep).toEqual({
        // The second run of the first cart is active at entry now; it entered outside the window.
        entry: { kind: 'ENTRY', active: 1, reached: 3 },
        'wait-for-idle-cart': { kind: 'HOLD_UNTIL_IDLE', active: 1, reached: 3 },
        'cart-reminder-sms': { kind: 'SEND', active: 0, reached: 1 },
        done: { kind: 'COMPLETE', active: 0, reached: 1 },
        exit: { kind: 'EXIT', active: 0, reached: 1 },
      });
      expect(data!.journey.steps.find((node) => node.step === 'wait-for-idle-cart')!.next).toEqual([
        { from: 'wait-for-idle-cart', to: 'cart-reminder-sms', label: 'idle timeout' },
      ]);
      // Without counts selected, no count query runs.
      counted.mockClear();
      expect((await graphql(`{ journey(key: "${JOURNEY}") { steps { step next { to } } } }`)).errors).toBeUndefined();
      expect(counted).not.toHaveBeenCalled();
    } finally {
      counted.mockRestore();
    }
    const reversed = await graphql(GRAPH, { key: JOURNEY, from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' });
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });
});
