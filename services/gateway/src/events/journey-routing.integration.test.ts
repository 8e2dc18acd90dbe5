import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerEventSignal, journeyWorkflowId, type CustomerEvent, type JourneyDescriptor } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore } from '@continuum/data';
import { reentryRefusal, startJourneyInstance } from '@continuum/temporal';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

// Routing from the catalogue: entry filters, keyed instances and every re-entry policy, against a
// real PostgreSQL and Temporal dev server. No worker runs: instances stay Running until terminated,
// which stands for "ended" where a policy needs it.
const journey = (id: string, extra: Partial<JourneyDescriptor>): JourneyDescriptor => ({
  id,
  version: 1,
  workflowType: id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
  description: id,
  entry: { events: ['Entered'] },
  reentry: 'always',
  exitOn: [],
  listensTo: ['Entered'],
  settings: {},
  maxLifetime: '365 days',
  steps: [],
  ...extra,
});

describe('journey routing from the catalogue', () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await startGatewayFixture({
      beforeStart: (dataSource) =>
        new JourneyCatalogueStore(dataSource).publish(
          [
            journey('keyed-always', { key: 'properties.order_id' }),
            journey('once-per-customer', { reentry: 'once' }),
            journey('cool-down', { reentry: { after: '1 hour' } }),
            journey('big-spenders', { entry: { events: ['Entered'], where: { 'properties.total': { gte: 50 }, 'traits.plan': 'pro' } } }),
          ],
          'routing-test',
        ),
    });
  });
  afterAll(async () => {
    await gw?.teardown();
  });

  const track = async (userId: string, properties: Record<string, unknown> = {}) => {
    const result = await gw.graphql<{ track: { deliveredTo: string[] } }>(
      `mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`,
      { input: { userId, event: 'Entered', properties } },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.track.deliveredTo.sort();
  };
  const end = (workflowId: string) => gw.temporal.workflow.getHandle(workflowId).terminate('test: instance ended');

  it('runs one instance per key side by side, and a burst of one key makes one instance', async () => {
    expect(await track('kim', { order_id: 'o1' })).toContain('journey/keyed-always/kim/o1');
    expect(await track('kim', { order_id: 'o2' })).toContain('journey/keyed-always/kim/o2');
    expect(await track('kim', { order_id: 'o1' })).toContain('journey/keyed-always/kim/o1');
    const runs = [];
    for await (const execution of gw.temporal.workflow.list({ query: `WorkflowId = 'journey/keyed-always/kim/o1'` })) runs.push(execution.runId);
    expect(runs).toHaveLength(1);
  });

  it('always: a new instance once the previous one for that key has ended', async () => {
    await end('journey/keyed-always/kim/o1');
    expect(await track('kim', { order_id: 'o1' })).toContain('journey/keyed-always/kim/o1');
    expect((await gw.temporal.workflow.getHandle('journey/keyed-always/kim/o1').describe()).status.name).toBe('RUNNING');
  });

  it('once: a customer enters once ever (remembered in PostgreSQL); events still reach the running instance', async () => {
    expect(await track('olga')).toContain('journey/once-per-customer/olga/olga');
    expect(await track('olga')).toContain('journey/once-per-customer/olga/olga'); // correlated while running
    await end('journey/once-per-customer/olga/olga');
    expect(await track('olga')).not.toContain('journey/once-per-customer/olga/olga');
    const [row] = await gw.dataSource.query(`SELECT count(*)::int AS n FROM journey_entries WHERE journey_id = 'once-per-customer' AND customer_id = 'olga'`);
    expect(row.n).toBe(1);
  });

  it('once: a first entry event arriving while another entrant is starting the instance reaches it; after it ended, a third is refused', async () => {
    // Another entrant (a second gateway, or a journey broadcast) has claimed the customer's one entry
    // and is about to start the instance when this gateway routes the customer's next entry event.
    const descriptor = journey('once-per-customer', { reentry: 'once' });
    const workflowId = journeyWorkflowId(descriptor.id, 'ines', 'ines');
    const catalogue = new JourneyCatalogueStore(gw.dataSource);
    expect(await reentryRefusal(descriptor, catalogue, { workspaceId: DEFAULT_WORKSPACE_ID, userId: 'ines', workflowId })).toBeUndefined();
    expect(await track('ines')).toContain(workflowId);
    const now = new Date().toISOString();
    const first: CustomerEvent = { messageId: 'ines-first', workspaceId: DEFAULT_WORKSPACE_ID, userId: 'ines', type: 'track', event: 'Entered', properties: {}, timestamp: now, receivedAt: now };
    await startJourneyInstance(gw.temporal, { descriptor, taskQueue: 'journeys', customer: 'ines', key: 'ines', workflowId, event: first });
    // One instance (one run) holds both events.
    const runs: string[] = [];
    for await (const execution of gw.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(execution.runId);
    expect(runs).toHaveLength(1);
    const { events } = await gw.temporal.workflow.getHandle(workflowId).fetchHistory();
    const signals = (events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === customerEventSignal.name);
    expect(signals).toHaveLength(2);
    await end(workflowId);
    expect(await track('ines')).not.toContain(workflowId);
    expect((await gw.temporal.workflow.getHandle(workflowId).describe()).status.name).toBe('TERMINATED');
  });

  it('after a cool-down: no re-entry until it has passed since the last instance ended', async () => {
    const id = 'journey/cool-down/carl/carl';
    const ended = (minutesAgo: number) =>
      gw.dataSource.query(
        `INSERT INTO journey_instances (instance_id, run_id, workspace_id, journey_id, customer_id, instance_key, status, current_step, started_at, updated_at, ended_at)
         VALUES ($1, $2, $3, 'cool-down', 'carl', 'carl', 'completed', 'done', now() - interval '1 day', now(), now() - make_interval(mins => $4))`,
        [id, `run-${minutesAgo}`, DEFAULT_WORKSPACE_ID, minutesAgo],
      );
    await ended(10);
    expect(await track('carl')).not.toContain(id);
    await gw.dataSource.query(`DELETE FROM journey_instances WHERE instance_id = $1`, [id]);
    await ended(120);
    expect(await track('carl')).toContain(id);
  });

  it('enters only when the entry filter holds on properties and traits', async () => {
    await gw.graphql(`mutation { identify(input: { userId: "pia", traits: { plan: "pro" } }) { duplicate } }`);
    await gw.graphql(`mutation { identify(input: { userId: "fred", traits: { plan: "free" } }) { duplicate } }`);
    expect(await track('pia', { total: 10 })).not.toContain('journey/big-spenders/pia/pia');
    expect(await track('fred', { total: 80 })).not.toContain('journey/big-spenders/fred/fred');
    expect(await track('pia', { total: 80 })).toContain('journey/big-spenders/pia/pia');
  });
});
