import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDescriptor } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, EventStore, JourneyCatalogueStore, MAX_RETENTION_DAYS, RetentionStore, type DataSource } from '@continuum/data';
import { scriptFunnelPopulation, waitFor } from '@continuum/testing';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

// The gateway's retention job (RETENTION_INTERVAL_MS) drops the months past the retention while the
// same gateway routes tracked events into a journey (real Temporal dev server) and answers funnels.
const journey: JourneyDescriptor = {
  id: 'retention-journey',
  version: 1,
  workflowType: 'retentionJourney',
  description: 'retention',
  entry: { events: ['Entered'] },
  reentry: 'always',
  exitOn: [],
  listensTo: ['Entered'],
  settings: {},
  maxLifetime: '365 days',
  steps: [],
};

const OLD_MONTHS = ['201901', '201902', '201903', '201904'];

async function seedJourney(dataSource: DataSource): Promise<void> {
  await new JourneyCatalogueStore(dataSource).publish([journey], 'retention-test');
  await scriptFunnelPopulation(dataSource, DEFAULT_WORKSPACE_ID, 'retention-journey');
}

/** Months of 2019, as a retention run then would have made them, with routed events and journal entries in them. */
async function seedOldMonths(dataSource: DataSource): Promise<void> {
  // (the gateway's own run may hold the lock at that moment: tried again)
  while (!(await new RetentionStore(dataSource).run({ defaultDays: MAX_RETENTION_DAYS, now: new Date('2019-01-15T00:00:00Z') })).ran);
  const at = new Date('2019-02-10T00:00:00Z');
  await new EventStore(dataSource).acceptBatch(
    Array.from({ length: 20 }, (_, i) => ({ workspaceId: DEFAULT_WORKSPACE_ID, messageId: `old-${i}`, userId: `old-${i}`, type: 'track' as const, name: 'Viewed', properties: {}, timestamp: at, receivedAt: at, routedAt: at })),
  );
  await dataSource.query(
    `INSERT INTO journal_entries (workspace_id, instance_id, run_id, seq, journey_id, customer_id, type, step, at)
     SELECT $1, 'old-' || i, 'r', 1, 'retention-journey', 'old-' || i, 'entered', 'entry', $2 FROM generate_series(1, 50) AS i`,
    [DEFAULT_WORKSPACE_ID, at],
  );
}

describe('retention in the gateway (real PostgreSQL and Temporal)', () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await startGatewayFixture({ beforeStart: seedJourney, env: { RETENTION_INTERVAL_MS: '500', RETENTION_DAYS: '365' } });
  }, 180_000);
  afterAll(async () => {
    await gw?.teardown();
  });

  it('drops the months past RETENTION_DAYS while it routes events into a journey and answers funnels', async () => {
    const stats = `{ journeyStats(journeyId: "retention-journey", from: "2026-05-01T00:00:00Z", to: "2026-05-01T16:40:00Z") { entered completed exited active } }`;
    const before = await gw.graphql<{ journeyStats: Record<string, number> }>(stats);
    expect(before.errors).toBeUndefined();
    expect(before.data!.journeyStats).toEqual({ entered: 1_000, completed: 400, exited: 450, active: 150 });
    const retention = new RetentionStore(gw.dataSource);
    const oldPartitions = async () => (await retention.listPartitions()).filter((p) => OLD_MONTHS.some((month) => p.name.endsWith(`_p${month}`))).map((p) => p.name);

    // Seeded while the gateway runs: its job (every 500 ms) drops them while the loop below tracks and reads.
    await seedOldMonths(gw.dataSource);
    let tracked = 0;
    // Routing and funnels keep going until the job has dropped every old month, and a little after.
    for (let afterDrop = 0; afterDrop < 3; ) {
      const result = await gw.graphql<{ track: { deliveredTo: string[] } }>(`mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, {
        input: { userId: `live-${tracked}`, event: 'Entered' },
      });
      expect(result.errors).toBeUndefined();
      expect(result.data!.track.deliveredTo).toEqual([`journey/retention-journey/live-${tracked}/live-${tracked}`]);
      tracked += 1;
      const funnel = await gw.graphql<{ journeyStats: Record<string, number> }>(stats);
      expect(funnel.errors).toBeUndefined();
      expect(funnel.data!.journeyStats).toEqual(before.data!.journeyStats);
      if ((await oldPartitions()).length === 0) afterDrop += 1;
      expect(tracked).toBeLessThan(500);
    }
    expect(await gw.dataSource.query(`SELECT count(*)::int AS count FROM journal_entries WHERE instance_id LIKE 'old-%'`)).toEqual([{ count: 0 }]);
    expect(await gw.dataSource.query(`SELECT count(*)::int AS count FROM events WHERE message_id LIKE 'old-%'`)).toEqual([{ count: 0 }]);
    // Every event tracked meanwhile was routed.
    await waitFor('every tracked event routed', async () => (await gw.dataSource.query(`SELECT count(*)::int AS count FROM events WHERE routed_at IS NULL`))[0].count === 0, 30_000);
  }, 180_000);
});
