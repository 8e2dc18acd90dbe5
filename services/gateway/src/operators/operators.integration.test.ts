import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { JourneyCatalogueStore, WorkspaceStore } from '@continuum/data';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createJourneyWorker, journeyDescriptors, type JourneyWorker } from '@continuum/worker';
import { localIdOf, toGlobalId } from '../node/global-id';
import { journeyInstanceGlobalId } from '../node/journey-instance-id';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from '../test-support/gateway-fixture';

type GqlError = { message: string; extensions?: { code?: string; field?: string } };
type Result<T> = { data?: T; errors?: GqlError[] };
type PageInfo = { hasNextPage: boolean; endCursor: string | null };
type TimelineNode = { kind: string; at: string; id: string } & Record<string, unknown>;
type TimelinePage = { edges: Array<{ cursor: string; node: TimelineNode }>; pageInfo: PageInfo };
type InstanceNode = { id: string; workflowId: string; journeyId: string; userId: string; key: string; status: string; currentStep: string; exitReason: string | null; startedAt: string };
type InstancePage = { edges: Array<{ cursor: string; node: InstanceNode }>; pageInfo: PageInfo; totalCount: number };
type AuditNode = { id: string; action: string; actorName: string; actorKeyId: string | null; target: string; instance: { workflowId: string } | null; input: Record<string, unknown>; outcome: string; message: string | null; at: string };
type UserError = { code: string; field: string[] | null; message: string };
type ActionPayload = { auditEntry: AuditNode | null; userErrors: UserError[] };
type AuditPage = { edges: Array<{ cursor: string; node: AuditNode }>; pageInfo: PageInfo; totalCount: number };

const TIMELINE = `query($userId: String!, $first: Int!, $after: String, $from: DateTime, $to: DateTime, $order: TimelineOrder) {
  profile(userId: $userId) {
    timeline(first: $first, after: $after, from: $from, to: $to, order: $order) {
      edges { cursor node {
        __typename id at kind
        ... on ProfileEvent { messageId eventType: type name properties }
        ... on TimelineEntry { instance { workflowId journeyId } seq entryType: type step detail }
        ... on Message { instance { workflowId } step channel to body status }
        ... on OperatorAuditEntry { action instance { workflowId } actorName input outcome message }
      } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
const INSTANCES = `query($filter: JourneyInstanceFilterInput, $first: Int!, $after: String) {
  journeyInstances(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id workflowId journeyId userId key status currentStep exitReason startedAt } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;
const AUDIT_FIELDS = 'id action actorName actorKeyId target instance { workflowId } input outcome message at';
const PAYLOAD_FIELDS = `auditEntry { ${AUDIT_FIELDS} } userErrors { code field message }`;
const END = `mutation($input: EndJourneyInstanceInput!) { endJourneyInstance(input: $input) { ${PAYLOAD_FIELDS} } }`;
const DELIVER = `mutation($input: DeliverEventToInstanceInput!) { deliverEventToInstance(input: $input) { ${PAYLOAD_FIELDS} } }`;
const RERUN = `mutation($input: RerunFailedStepInput!) { rerunFailedStep(input: $input) { ${PAYLOAD_FIELDS} } }`;
const RETRY = `mutation($input: RetryFailedSendInput!) { retryFailedSend(input: $input) { ${PAYLOAD_FIELDS} } }`;
const AUDIT = `query($instanceId: ID, $first: Int!, $after: String) {
  operatorAudit(instanceId: $instanceId, first: $first, after: $after) { edges { cursor node { ${AUDIT_FIELDS} } } pageInfo { hasNextPage endCursor } totalCount }
}`;

// Observability and operator actions with every real part: PostgreSQL, a Temporal dev server, the
// gateway, a journey worker (bundled from source) and the Twilio emulator.
describe('journey observability and operator actions', () => {
  let gw: GatewayFixture;
  let emulator: TwilioEmulator;
  let worker: JourneyWorker;
  let running: Promise<void>;
  let brandKey: string;
  let emulatorPort: number;

  beforeAll(async () => {
    gw = await startGatewayFixture({ beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'operators-test') });
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    emulatorPort = Number(new URL(emulatorUrl).port);
    // Short enough for a cart to be reminded within the test; waiting carts get a workspace setting of an hour.
    const config = await workerConfigFor(gw, emulatorUrl, { ABANDONED_CART_IDLE_TIMEOUT: '2s' });
    worker = await createJourneyWorker(config);
    running = worker.run();
    const workspaces = new WorkspaceStore(gw.dataSource);
    const brand = await workspaces.createWorkspace('brand-o', 'Brand O');
    brandKey = await workspaces.createApiKey(brand.id, 'brand-operator');
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await emulator?.close();
    await gw?.teardown();
  });

  function graphql<T>(query: string, variables: Record<string, unknown> = {}, apiKey: string = gw.apiKey): Promise<Result<T>> {
    return gw.graphql<T>(query, variables, apiKey) as Promise<Result<T>>;
  }

  async function ok<T>(query: string, variables: Record<string, unknown> = {}, apiKey?: string): Promise<T> {
    const result = await graphql<T>(query, variables, apiKey);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  /** An operator action's payload: never a GraphQL error for a domain error. */
  async function act(mutation: string, input: Record<string, unknown>, apiKey?: string): Promise<ActionPayload> {
    const data = await ok<Record<string, ActionPayload>>(mutation, { input }, apiKey);
    return Object.values(data)[0]!;
  }

  async function identify(userId: string, traits: Record<string, unknown>) {
    await ok(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, { input: { userId, traits } });
  }

  async function track(userId: string, event: string, properties: Record<string, unknown>, messageId?: string) {
    const data = await ok<{ track: { deliveredTo: string[] } }>(`mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, {
      input: { userId, event, properties, ...(messageId ? { messageId } : {}) },
    });
    return data.track.deliveredTo;
  }

  async function timeline(userId: string, variables: Record<string, unknown> = {}): Promise<Result<{ profile: { timeline: TimelinePage } }>> {
    return graphql<{ profile: { timeline: TimelinePage } }>(TIMELINE, { userId, first: 100, ...variables });
  }

  type TimelineEntry = { type: string; step: string; detail: Record<string, unknown> };

  /** The latest run of a workflow id, its journal as a list. */
  async function instance(workflowId: string) {
    const data = await ok<{ journeyInstance: { status: string; currentStep: string; exitReason: string | null; timeline: { nodes: TimelineEntry[] } } | null }>(
      `query($workflowId: String!) { journeyInstance(workflowId: $workflowId) { status currentStep exitReason timeline(first: 100) { nodes { type step detail } } } }`,
      { workflowId },
    );
    return data.journeyInstance && { ...data.journeyInstance, timeline: data.journeyInstance.timeline.nodes };
  }

  /** The global id of the latest run of a workflow id (what operator actions take). */
  async function gid(workflowId: string): Promise<string> {
    const data = await ok<{ journeyInstance: { id: string } | null }>(`query($workflowId: String!) { journeyInstance(workflowId: $workflowId) { id } }`, { workflowId });
    return data.journeyInstance!.id;
  }

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const waitingStep = (id: string) => eventually(() => instance(id), (i) => i?.currentStep === 'wait-for-idle-cart', `${id} waiting`);

  describe('profile.timeline', () => {
    const cart = 'journey/abandoned-cart/ana/c1';

    beforeAll(async () => {
      await identify('ana', { first_name: 'Ana', phone: '+14155550101' });
      expect(await track('ana', 'Cart Updated', { cart_id: 'c1', items: [{ name: 'Red Shoes' }] }, 'ana-1')).toEqual([cart]);
      await eventually(() => instance(cart), (i) => i?.status === 'COMPLETED', 'the cart reminder');
      await track('ana', 'Viewed', { page: '/thanks' }, 'ana-2');
    });

    it('merges events, journey steps and messages, newest first', async () => {
      const { data, errors } = await timeline('ana');
      expect(errors).toBeUndefined();
      const nodes = data!.profile.timeline.edges.map((edge) => edge.node);
      const times = nodes.map((node) => Date.parse(node.at));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      expect(nodes[0]).toMatchObject({ kind: 'EVENT', messageId: 'ana-2', name: 'Viewed' });
      expect(nodes.at(-1)).toMatchObject({ kind: 'EVENT', eventType: 'IDENTIFY' });
      // Oldest to newest: identify, the entry event, the journey's steps around the SMS, then the last event.
      const chronological = [...nodes].reverse();
      const index = (predicate: (node: TimelineNode) => boolean) => chronological.findIndex(predicate);
      const entryEvent = index((node) => node.kind === 'EVENT' && node['messageId'] === 'ana-1');
      const entered = index((node) => node.kind === 'JOURNEY_STEP' && node['entryType'] === 'ENTERED');
      const waitEnded = index((node) => node.kind === 'JOURNEY_STEP' && node['entryType'] === 'WAIT_ENDED');
      const message = index((node) => node.kind === 'MESSAGE');
      const completed = index((node) => node.kind === 'JOURNEY_STEP' && node['entryType'] === 'COMPLETED');
      expect([entryEvent, entered, waitEnded, message, completed].every((i) => i >= 0)).toBe(true);
      expect(entryEvent).toBeLessThan(entered);
      expect(entered).toBeLessThan(waitEnded);
      expect(waitEnded).toBeLessThan(message);
      expect(message).toBeLessThan(completed);
      expect(chronological[message]).toMatchObject({ instance: { workflowId: cart }, step: 'cart-reminder-sms', channel: 'SMS', to: '+14155550101', status: expect.any(String) });
      expect(String(chronological[message]!['body'])).toContain('Red Shoes');
      expect(chronological[entered]).toMatchObject({ instance: { workflowId: cart, journeyId: 'abandoned-cart' }, seq: expect.any(Number) });
    });

    it('gives each item the global id of its entity, the one node(id:), Profile.events, Profile.messages and the run\'s journal give, with enum fields as enums', async () => {
      const nodes = (await timeline('ana')).data!.profile.timeline.edges.map((edge) => edge.node);
      const types = { EVENT: 'ProfileEvent', JOURNEY_STEP: 'TimelineEntry', MESSAGE: 'Message', OPERATOR_ACTION: 'OperatorAuditEntry' } as Record<string, string>;
      for (const node of nodes) expect(node['__typename']).toBe(types[node.kind]);
      const lists = await ok<{ profile: { events: { nodes: Array<{ id: string }> }; messages: { nodes: Array<{ id: string }> } }; journeyInstance: { timeline: { nodes: Array<{ id: string }> } } }>(
        `query($cart: String!) {
          profile(userId: "ana") { events(first: 100) { nodes { id } } messages(first: 100) { nodes { id } } }
          journeyInstance(workflowId: $cart) { timeline(first: 100) { nodes { id } } }
        }`,
        { cart },
      );
      const idsOf = (kind: string) => nodes.filter((node) => node.kind === kind).map((node) => node.id).sort();
      expect(idsOf('EVENT')).toEqual(lists.profile.events.nodes.map((node) => node.id).sort());
      expect(idsOf('MESSAGE')).toEqual(lists.profile.messages.nodes.map((node) => node.id).sort());
      expect(idsOf('JOURNEY_STEP')).toEqual(lists.journeyInstance.timeline.nodes.map((node) => node.id).sort());
      // node(id:) gives the same entity, under the same id and type, with the same time and kind.
      const again = await ok<{ nodes: Array<Record<string, unknown> | null> }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on TimelineItem { at kind } } }`,
        { ids: nodes.map((node) => node.id) },
      );
      expect(again.nodes).toEqual(nodes.map((node) => ({ __typename: node['__typename'], id: node.id, at: node.at, kind: node.kind })));

      // The closed sets are the entities' enums, not strings.
      expect(nodes.find((node) => node.kind === 'MESSAGE')).toMatchObject({ channel: 'SMS', status: expect.stringMatching(/^[A-Z_]+$/) });
      expect(nodes.find((node) => node.kind === 'JOURNEY_STEP')).toMatchObject({ entryType: expect.stringMatching(/^[A-Z_]+$/) });
      const fieldKinds = await ok<Record<string, { fields: Array<{ name: string; type: { kind: string; ofType: { kind: string; name: string } | null } }> } | null>>(
        `{ event: __type(name: "ProfileEvent") { ...fields } message: __type(name: "Message") { ...fields } entry: __type(name: "TimelineEntry") { ...fields }
           audit: __type(name: "OperatorAuditEntry") { ...fields } item: __type(name: "TimelineItem") { ...fields } old: __type(name: "TimelineEvent") { name } }
         fragment fields on __Type { fields { name type { kind ofType { kind name } } } }`,
      );
      const typeOf = (type: string, field: string) => fieldKinds[type]!.fields.find((f) => f.name === field)!.type.ofType;
      expect(typeOf('event', 'type')).toEqual({ kind: 'ENUM', name: 'TrackingCall' });
      expect(typeOf('message', 'channel')).toEqual({ kind: 'ENUM', name: 'Channel' });
      expect(typeOf('message', 'status')).toMatchObject({ kind: 'ENUM' });
      expect(typeOf('entry', 'type')).toMatchObject({ kind: 'ENUM' });
      expect(typeOf('audit', 'action')).toEqual({ kind: 'ENUM', name: 'OperatorAction' });
      expect(typeOf('audit', 'outcome')).toEqual({ kind: 'ENUM', name: 'OperatorActionOutcome' });
      for (const type of ['event', 'message', 'entry', 'audit', 'item']) expect(typeOf(type, 'kind')).toEqual({ kind: 'ENUM', name: 'TimelineKind' });
      expect(fieldKinds['old']).toBeNull();
    });

    it('pages with stable cursors in both orders and within a time window', async () => {
      const all = (await timeline('ana')).data!.profile.timeline.edges.map((edge) => edge.node);
      const collect = async (order: string) => {
        const seen: TimelineNode[] = [];
        let after: string | null = null;
        for (let pages = 0; pages < 20; pages++) {
          const page: TimelinePage = (await timeline('ana', { first: 3, after, order })).data!.profile.timeline;
          seen.push(...page.edges.map((edge) => edge.node));
          if (!page.pageInfo.hasNextPage) return seen;
          after = page.pageInfo.endCursor;
        }
        throw new Error('too many pages');
      };
      expect(await collect('NEWEST_FIRST')).toEqual(all);
      expect(await collect('OLDEST_FIRST')).toEqual([...all].reverse());

      // [from, to): the entry event and the journey, without identify or the last event.
      const entry = all.find((node) => node['messageId'] === 'ana-1')!;
      const last = all[0]!;
      const window = (await timeline('ana', { from: entry.at, to: last.at, order: 'OLDEST_FIRST' })).data!.profile.timeline.edges.map((edge) => edge.node);
      expect(window[0]).toMatchObject({ messageId: 'ana-1' });
      expect(window.some((node) => node.kind === 'MESSAGE')).toBe(true);
      expect(window.some((node) => node['messageId'] === 'ana-2' || node['eventType'] === 'IDENTIFY')).toBe(false);
    });

    it('rejects bad first, cursors and windows with BAD_USER_INPUT naming the argument', async () => {
      for (const first of [0, 101]) {
        expect((await timeline('ana', { first })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      }
      for (const after of ['nope', Buffer.from('{"at":"yesterday","kind":"EVENT","id":"1"}').toString('base64')]) {
        expect((await timeline('ana', { after })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      }
      const reversed = await timeline('ana', { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
      expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    });

    it('shows nothing of another workspace', async () => {
      const brand = await graphql<{ profile: null }>(TIMELINE, { userId: 'ana', first: 10 }, brandKey);
      expect(brand.data).toEqual({ profile: null });
    });
  });

  describe('operator actions on waiting instances', () => {
    const b1 = 'journey/abandoned-cart/bob/b1';
    const b2 = 'journey/abandoned-cart/bob/b2';

    beforeAll(async () => {
      // Carts entered from now on wait an hour: they stay waiting for the operator.
      await ok(`mutation($input: UpdateJourneySettingsInput!) { updateJourneySettings(input: $input) { userErrors { message } } }`, {
        input: { id: toGlobalId('Journey', 'abandoned-cart'), settings: { idleTimeout: '1 hour' } },
      });
      await identify('bob', { first_name: 'Bob', phone: '+14155550102' });
      expect(await track('bob', 'Cart Updated', { cart_id: 'b1', items: ['Hat'] })).toEqual([b1]);
      expect(await track('bob', 'Cart Updated', { cart_id: 'b2', items: ['Scarf'] })).toEqual([b2]);
      await Promise.all([waitingStep(b1), waitingStep(b2)]);
    });

    it('deliverEventToInstance reaches only that instance and stores the event', async () => {
      const delivered = await act(DELIVER, {
        id: await gid(b1),
        event: { event: 'Cart Updated', properties: { items: ['Hat', 'Gloves'] }, messageId: 'operator-b1-1' },
      });
      expect(delivered.userErrors).toEqual([]);
      expect(delivered.auditEntry).toMatchObject({ action: 'DELIVER_EVENT_TO_INSTANCE', target: b1, outcome: 'OK', actorName: 'fixture' });

      const resets = (id: string) => instance(id).then((i) => i!.timeline.filter((entry) => entry.type === 'TIMER_RESET'));
      await eventually(() => resets(b1), (entries) => entries.length === 1, 'the timer reset of b1');
      const live = await ok<{ journeyInstance: { live: { context: Record<string, unknown> } } }>(`query($id: ID!) { journeyInstance(id: $id) { live { context } } }`, { id: await gid(b1) });
      expect(live.journeyInstance.live.context).toMatchObject({ items: ['Hat', 'Gloves'] });
      expect(await resets(b2)).toEqual([]);

      const events = (await timeline('bob')).data!.profile.timeline.edges.map((edge) => edge.node).filter((node) => node.kind === 'EVENT');
      expect(events[0]).toMatchObject({ messageId: 'operator-b1-1', name: 'Cart Updated', properties: { items: ['Hat', 'Gloves'] } });
      const [{ routed }] = await gw.dataSource.query(`SELECT routed_at IS NOT NULL AS routed FROM events WHERE message_id = 'operator-b1-1'`);
      expect(routed).toBe(true);

      // The same messageId again is refused, audited as an error, and reaches no one.
      const again = await act(DELIVER, { id: await gid(b1), event: { event: 'Cart Updated', messageId: 'operator-b1-1' } });
      expect(again.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'event', 'messageId'], message: expect.stringMatching(/was accepted before/) }]);
      expect(again.auditEntry).toMatchObject({ action: 'DELIVER_EVENT_TO_INSTANCE', target: b1, outcome: 'ERROR', message: expect.stringMatching(/was accepted before/) });
      const [{ count }] = await gw.dataSource.query(`SELECT count(*)::int AS count FROM events WHERE message_id = 'operator-b1-1'`);
      expect(count).toBe(1);
      // A bad event is refused before anything is attempted: a user error under input.event, no audit entry.
      const blankName = await act(DELIVER, { id: await gid(b1), event: { event: '  ' } });
      expect(blankName).toEqual({ auditEntry: null, userErrors: [{ code: 'INVALID', field: ['input', 'event', 'event'], message: 'event: must not be empty' }] });
      expect(await resets(b1)).toHaveLength(1);
    });

    it('endJourneyInstance ends a waiting instance gracefully, visible in its timelines and the audit trail', async () => {
      const ended1 = await act(END, { id: await gid(b2), reason: 'customer asked us to stop' });
      expect(ended1.userErrors).toEqual([]);
      expect(ended1.auditEntry).toMatchObject({ action: 'END_JOURNEY_INSTANCE', target: b2, outcome: 'OK', input: { reason: 'customer asked us to stop', terminate: false } });

      const ended = await eventually(() => instance(b2), (i) => i?.status === 'EXITED', 'b2 to exit');
      // The journey journals the operator's reason, as a termination does.
      expect(ended).toMatchObject({ exitReason: 'ended by operator: customer asked us to stop' });
      expect(ended!.timeline.at(-1)).toMatchObject({ type: 'EXITED', detail: expect.objectContaining({ reason: 'ended by operator: customer asked us to stop' }) });
      // The operator's reason travels in the signal, so the Web UI history shows it too.
      const history = await gw.temporal.workflow.getHandle(b2).fetchHistory();
      const signal = (history.events ?? []).find((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'journeyControl');
      const payload = JSON.parse(Buffer.from(signal!.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!.data!).toString('utf8'));
      expect(payload).toEqual({ action: 'archive', reason: 'customer asked us to stop' });

      // In the customer's timeline: the operator action (with the reason), then the journey's exit.
      const nodes = (await timeline('bob', { order: 'OLDEST_FIRST' })).data!.profile.timeline.edges.map((edge) => edge.node);
      const action = nodes.findIndex((node) => node.kind === 'OPERATOR_ACTION' && node['action'] === 'END_JOURNEY_INSTANCE');
      const exit = nodes.findIndex((node) => node.kind === 'JOURNEY_STEP' && (node['instance'] as { workflowId: string } | null)?.workflowId === b2 && node['entryType'] === 'EXITED');
      expect(nodes[action]).toMatchObject({ instance: { workflowId: b2 }, actorName: 'fixture', outcome: 'OK', input: { reason: 'customer asked us to stop' } });
      // The very entry the mutation returned: one id for one entity.
      expect(nodes[action]!.id).toBe(ended1.auditEntry!.id);
      expect(action).toBeLessThan(exit);

      // b1 is untouched and still waiting.
      expect(await instance(b1)).toMatchObject({ status: 'ACTIVE', currentStep: 'wait-for-idle-cart' });
    });

    it('refuses to end an ended or unknown instance with a user error, and its audit entry says it failed', async () => {
      const again = await act(END, { id: await gid(b2), reason: 'twice' });
      expect(again.userErrors).toEqual([{ code: 'FAILED_PRECONDITION', field: ['input', 'id'], message: expect.stringMatching(/already exited/) }]);
      expect(again.auditEntry).toMatchObject({ action: 'END_JOURNEY_INSTANCE', target: b2, outcome: 'ERROR', message: expect.stringMatching(/already exited/) });
      const unknown = await act(END, { id: journeyInstanceGlobalId({ instanceId: 'journey/abandoned-cart/bob/nope', runId: 'r0' }), reason: 'x' });
      expect(unknown.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'id'], message: 'No journey instance "journey/abandoned-cart/bob/nope" (run r0) in this workspace' }]);
      expect(unknown.auditEntry).toMatchObject({ target: 'journey/abandoned-cart/bob/nope', outcome: 'ERROR' });
      const blank = await act(END, { id: await gid(b1), reason: '  ' });
      expect(blank).toEqual({ auditEntry: null, userErrors: [{ code: 'INVALID', field: ['input', 'reason'], message: 'reason: must be 1 to 500 characters' }] });
      // Another workspace's key cannot see, end or feed this instance.
      const foreign = await act(END, { id: await gid(b1), reason: 'not mine' }, brandKey);
      expect(foreign.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'id'] }]);
      expect(foreign.auditEntry).toMatchObject({ actorName: 'brand-operator', outcome: 'ERROR' });
      const foreignDeliver = await act(DELIVER, { id: await gid(b1), event: { event: 'Cart Updated' } }, brandKey);
      expect(foreignDeliver.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'id'] }]);
      expect(foreignDeliver.auditEntry).toMatchObject({ actorName: 'brand-operator', outcome: 'ERROR' });
      expect(await instance(b1)).toMatchObject({ status: 'ACTIVE' });
      expect((await gw.temporal.workflow.getHandle(b1).describe()).status.name).toBe('RUNNING');

      const audit = await ok<{ operatorAudit: AuditPage }>(AUDIT, { instanceId: await gid(b2), first: 10 });
      expect(audit.operatorAudit.edges.map((edge) => [edge.node.action, edge.node.outcome])).toEqual([
        ['END_JOURNEY_INSTANCE', 'ERROR'],
        ['END_JOURNEY_INSTANCE', 'OK'],
      ]);
      expect(audit.operatorAudit.edges[0]!.node.message).toMatch(/already exited/);
    });

    it('terminate: true ends a workflow in Temporal and closes its summary with the reason', async () => {
      const terminated = await act(END, { id: await gid(b1), reason: 'stuck on a bad deploy', terminate: true });
      expect(terminated.userErrors).toEqual([]);
      expect(terminated.auditEntry).toMatchObject({ outcome: 'OK', message: expect.stringMatching(/terminated/) });
      expect(await instance(b1)).toMatchObject({ status: 'EXITED', exitReason: 'terminated by operator: stuck on a bad deploy' });
      expect((await gw.temporal.workflow.getHandle(b1).describe()).status.name).toBe('TERMINATED');
    });

    it('operatorAudit lists who did what, newest first, per workspace, with pages', async () => {
      const all = await ok<{ operatorAudit: AuditPage }>(AUDIT, { first: 100 });
      const rows = all.operatorAudit.edges.map((edge) => edge.node);
      expect(all.operatorAudit.totalCount).toBe(rows.length);
      expect(rows.map((row) => row.action)).toContain('DELIVER_EVENT_TO_INSTANCE');
      expect(rows.every((row) => row.actorName === 'fixture' && row.actorKeyId)).toBe(true);
      expect(rows[0]).toMatchObject({ action: 'END_JOURNEY_INSTANCE', target: b1, outcome: 'OK', input: { terminate: true } });
      const ids = rows.map((row) => Number(localIdOf(row.id, 'OperatorAuditEntry', 'id')));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));

      const first = await ok<{ operatorAudit: AuditPage }>(AUDIT, { first: 2 });
      const second = await ok<{ operatorAudit: AuditPage }>(AUDIT, { first: 2, after: first.operatorAudit.pageInfo.endCursor });
      expect([...first.operatorAudit.edges, ...second.operatorAudit.edges].map((edge) => edge.node.id)).toEqual(rows.slice(0, 4).map((row) => row.id));

      const brand = await ok<{ operatorAudit: AuditPage }>(AUDIT, { first: 10 }, brandKey);
      expect(brand.operatorAudit.edges.map((edge) => edge.node.actorName)).toEqual(['brand-operator', 'brand-operator']);
      expect((await graphql(AUDIT, { first: 101 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });
  });

  describe('journeyInstances', () => {
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'];

    beforeAll(async () => {
      for (const key of keys) {
        await track('cara', 'Cart Updated', { cart_id: key, items: [key] });
        // Distinct entry times, so that the time filters below are exact.
        await waitingStep(`journey/abandoned-cart/cara/${key}`);
      }
    });

    async function list(variables: Record<string, unknown>, apiKey?: string) {
      return graphql<{ journeyInstances: InstancePage }>(INSTANCES, { first: 20, ...variables }, apiKey);
    }

    it('filters by customer and pages newest entry first across pages', async () => {
      const seen: InstanceNode[] = [];
      let after: string | null = null;
      const pages: number[] = [];
      for (;;) {
        const { data, errors } = await list({ filter: { userId: 'cara' }, first: 2, after });
        expect(errors).toBeUndefined();
        expect(data!.journeyInstances.totalCount).toBe(5);
        pages.push(data!.journeyInstances.edges.length);
        seen.push(...data!.journeyInstances.edges.map((edge) => edge.node));
        if (!data!.journeyInstances.pageInfo.hasNextPage) break;
        after = data!.journeyInstances.pageInfo.endCursor;
      }
      expect(pages).toEqual([2, 2, 1]);
      expect(seen.map((node) => node.key)).toEqual([...keys].reverse());
      expect(seen[0]).toMatchObject({ journeyId: 'abandoned-cart', userId: 'cara', status: 'ACTIVE', currentStep: 'wait-for-idle-cart' });
    });

    it('filters by journey, status, step, key and entry time', async () => {
      const keysOf = async (filter: Record<string, unknown>) => (await list({ filter })).data!.journeyInstances.edges.map((edge) => `${edge.node.userId}/${edge.node.key}`);
      expect(await keysOf({ journeyId: 'abandoned-cart', status: 'COMPLETED' })).toEqual(['ana/c1']);
      expect(await keysOf({ status: 'EXITED', userId: 'bob' })).toEqual(['bob/b2', 'bob/b1']);
      expect(await keysOf({ step: 'wait-for-idle-cart', userId: 'cara', key: 'k2' })).toEqual(['cara/k2']);
      expect(await keysOf({ journeyId: 'no-such-journey' })).toEqual([]);

      const cara = (await list({ filter: { userId: 'cara' } })).data!.journeyInstances.edges.map((edge) => edge.node);
      const k2 = cara.find((node) => node.key === 'k2')!;
      const k4 = cara.find((node) => node.key === 'k4')!;
      expect(await keysOf({ userId: 'cara', enteredAfter: k2.startedAt, enteredBefore: k4.startedAt })).toEqual(['cara/k3', 'cara/k2']);
      expect(await keysOf({ enteredAfter: k4.startedAt })).toEqual(['cara/k5', 'cara/k4']);
    });

    it('rejects bad input with BAD_USER_INPUT naming the argument', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ first: 0 }, 'first'],
        [{ first: 101 }, 'first'],
        [{ after: 'garbage' }, 'after'],
        [{ after: Buffer.from('{"startedAt":"2026","instanceId":"x","runId":"y"}').toString('base64') }, 'after'],
        [{ filter: { enteredAfter: '2026-02-01T00:00:00Z', enteredBefore: '2026-01-01T00:00:00Z' } }, 'filter.enteredAfter'],
      ];
      for (const [variables, field] of cases) {
        const { errors } = await list(variables);
        expect(errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
    });

    it("lists only the caller's workspace", async () => {
      const brand = await list({}, brandKey);
      expect(brand.data!.journeyInstances).toMatchObject({ edges: [], totalCount: 0 });
    });
  });
  describe('rerunFailedStep', () => {
    const d1 = 'journey/abandoned-cart/dan/d1';

    it('refuses an instance where nothing failed', async () => {
      const id = 'journey/abandoned-cart/cara/k1';
      const before = await gw.temporal.workflow.getHandle(id).describe();
      const { auditEntry, userErrors } = await act(RERUN, { id: await gid(id) });
      expect(userErrors).toEqual([{ code: 'FAILED_PRECONDITION', field: ['input', 'id'], message: expect.stringMatching(/nothing failed/) }]);
      expect(auditEntry).toMatchObject({ action: 'RERUN_FAILED_STEP', target: id, outcome: 'ERROR', message: expect.stringMatching(/nothing failed/) });
      // Nothing was reset: the same run goes on.
      expect((await gw.temporal.workflow.getHandle(id).describe()).runId).toBe(before.runId);
    });

    it('resets an instance stuck on a failing send to the task that scheduled it; the SMS goes out once', async () => {
      await ok(`mutation($input: UpdateJourneySettingsInput!) { updateJourneySettings(input: $input) { userErrors { message } } }`, {
        input: { id: toGlobalId('Journey', 'abandoned-cart'), settings: { idleTimeout: '1s' } },
      });
      await identify('dan', { first_name: 'Dan', phone: '+14155550104' });
      // Twilio is unreachable: the reminder's sendSms activity fails and is retried.
      await emulator.close();
      expect(await track('dan', 'Cart Updated', { cart_id: 'd1', items: ['Kite'] })).toEqual([d1]);
      const handle = gw.temporal.workflow.getHandle(d1);
      const stuck = await eventually(
        () => handle.describe(),
        (description) => (description.raw.pendingActivities?.[0]?.attempt ?? 0) >= 2,
        'a failing sendSms',
      );

      const rerun = await act(RERUN, { id: await gid(d1) });
      expect(rerun.userErrors).toEqual([]);
      expect(rerun.auditEntry).toMatchObject({ action: 'RERUN_FAILED_STEP', target: d1, outcome: 'OK' });
      expect(rerun.auditEntry!.message).toMatch(/activity sendSms is failing \(attempt \d+\).*reset to event \d+, new run/);
      const reset = await handle.describe();
      expect(reset.runId).not.toBe(stuck.runId);
      expect(reset.status.name).toBe('RUNNING');

      // Twilio is back: the re-run step sends, the journey completes, one outbox row, journaled once.
      emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
      await emulator.listen(emulatorPort, '127.0.0.1');
      const done = await eventually(() => instance(d1), (i) => i?.status === 'COMPLETED', 'd1 to complete', 45_000);
      expect(done!.timeline.filter((entry) => entry.type === 'MESSAGE_SENT')).toHaveLength(1);
      const rows = await gw.dataSource.query(`SELECT status FROM messages WHERE instance_id = $1`, [d1]);
      expect(rows).toHaveLength(1);
      expect(emulator.messages().filter((message) => message.to === '+14155550104')).toHaveLength(1);
    });
  });

  describe('retryFailedSend', () => {
    const e1 = 'journey/abandoned-cart/eva/e1';

    it('sends an undelivered message again, once per call, as a new outbox row; refuses what did not fail', async () => {
      await ok(`mutation($input: UpdateJourneySettingsInput!) { updateJourneySettings(input: $input) { userErrors { message } } }`, {
        input: { id: toGlobalId('Journey', 'abandoned-cart'), settings: { idleTimeout: '1s' } },
      });
      await identify('eva', { first_name: 'Eva', phone: '+14155550106' });
      expect(await track('eva', 'Cart Updated', { cart_id: 'e1', items: ['Lamp'] })).toEqual([e1]);
      await eventually(() => instance(e1), (i) => i?.status === 'COMPLETED', 'e1 to complete', 45_000);
      const [original] = (await gw.dataSource.query(`SELECT id, provider_id FROM messages WHERE instance_id = $1`, [e1])) as Array<{ id: string; provider_id: string }>;
      // The carrier reports it undelivered (as a signed status callback would record it).
      await gw.dataSource.query(`UPDATE messages SET status = 'undelivered', error_code = 30003 WHERE id = $1`, [original!.id]);

      const retried = await act(RETRY, { id: toGlobalId('Message', original!.id) });
      expect(retried.userErrors).toEqual([]);
      expect(retried.auditEntry).toMatchObject({ action: 'RETRY_FAILED_SEND', target: e1, outcome: 'OK', input: { messageId: original!.id, transactional: false } });
      expect(retried.auditEntry!.message).toMatch(/^sent again as cart-reminder-sms#retry-1: message .+, provider id SM/);
      const again = await act(RETRY, { id: toGlobalId('Message', original!.id) });
      expect(again.userErrors).toEqual([]);
      expect(again.auditEntry!.message).toMatch(/^sent again as cart-reminder-sms#retry-2/);
      const rows = (await gw.dataSource.query(`SELECT id, step, status FROM messages WHERE instance_id = $1 ORDER BY created_at`, [e1])) as Array<{ id: string; step: string; status: string }>;
      expect(rows.map((row) => row.step)).toEqual(['cart-reminder-sms', 'cart-reminder-sms#retry-1', 'cart-reminder-sms#retry-2']);
      expect(emulator.messages().filter((message) => message.to === '+14155550106').map((message) => message.body)).toEqual(
        Array(3).fill("Hi Eva, you left Lamp in your cart. Complete your order before it's gone!"),
      );

      const notFailed = await act(RETRY, { id: toGlobalId('Message', rows[1]!.id) });
      expect(notFailed.userErrors).toEqual([{ code: 'FAILED_PRECONDITION', field: ['input', 'id'], message: expect.stringMatching(/only a failed or undelivered message/) }]);
      expect(notFailed.auditEntry).toMatchObject({ action: 'RETRY_FAILED_SEND', target: e1, outcome: 'ERROR', message: expect.stringMatching(/only a failed or undelivered message/) });
      const unknown = await act(RETRY, { id: toGlobalId('Message', '00000000-0000-4000-8000-000000000000') });
      expect(unknown).toEqual({ auditEntry: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'], message: expect.stringMatching(/No message/) }] });
      const otherWorkspace = await act(RETRY, { id: toGlobalId('Message', original!.id) }, brandKey);
      expect(otherWorkspace.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'id'] }]);
      // None of the refusals sent anything.
      expect(await gw.dataSource.query(`SELECT count(*)::int AS count FROM messages WHERE instance_id = $1`, [e1])).toEqual([{ count: 3 }]);

      const audit = await ok<{ operatorAudit: AuditPage }>(AUDIT, { instanceId: await gid(e1), first: 10 });
      expect(audit.operatorAudit.edges.map(({ node }) => `${node.action}:${node.outcome}`)).toEqual([
        'RETRY_FAILED_SEND:ERROR',
        'RETRY_FAILED_SEND:OK',
        'RETRY_FAILED_SEND:OK',
      ]);

      // The same outbox message named by the transactional request that sent it: re-sent under the transactional purpose.
      const [request] = (await gw.dataSource.query(
        `INSERT INTO transactional_messages (workspace_id, idempotency_key, customer_id, channel, template, request, fingerprint, status, message_id, message_created_at)
         SELECT '00000000-0000-0000-0000-000000000001', 'retry-e1', 'eva', 'sms', 'receipt', '{}'::jsonb, 'f', 'sent', id, created_at FROM messages WHERE id = $1 RETURNING id`,
        [original!.id],
      )) as Array<{ id: string }>;
      const transactional = await act(RETRY, { id: toGlobalId('TransactionalMessage', request!.id) });
      expect(transactional.userErrors).toEqual([]);
      expect(transactional.auditEntry).toMatchObject({ action: 'RETRY_FAILED_SEND', outcome: 'OK', input: { messageId: original!.id, transactional: true } });
      const unknownRequest = await act(RETRY, { id: toGlobalId('TransactionalMessage', '00000000-0000-4000-8000-000000000000') });
      expect(unknownRequest).toEqual({ auditEntry: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'], message: expect.stringMatching(/No transactional message/) }] });
      const notAMessage = await act(RETRY, { id: await gid(e1) });
      expect(notAMessage).toEqual({ auditEntry: null, userErrors: [{ code: 'INVALID', field: ['input', 'id'], message: expect.stringMatching(/not of a Message or TransactionalMessage/) }] });
    });
  });
});
