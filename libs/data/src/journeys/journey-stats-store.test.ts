import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, scriptFunnelPopulation, type FunnelPopulation, type TestDatabase } from '@continuum/testing';
import { DEFAULT_WORKSPACE_ID, JournalStore, JourneyCatalogueStore, JourneyStatsStore, WorkspaceStore } from '../index';

// The funnel of a scripted population of 1,000 instances with known outcomes (see scriptFunnelPopulation).
describe('JourneyStatsStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: JourneyStatsStore;
  let population: FunnelPopulation;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new JourneyStatsStore(db.dataSource);
    population = await scriptFunnelPopulation(db.dataSource, DEFAULT_WORKSPACE_ID);
  });
  afterAll(() => db?.teardown());

  it('counts outcomes, exit reasons, steps, messages per channel and conversions of the cohort', async () => {
    const { journeyId, from, to, goal } = population;
    const stats = await store.stats({ workspaceId: DEFAULT_WORKSPACE_ID, journeyId, from, to, version: 3, goal });
    expect(stats).toMatchObject({ entered: 1_000, active: 150, completed: 400, exited: 450 });
    expect(stats.exitedByReason).toEqual([
      { reason: 'Order Completed', count: 350 },
      { reason: 'archived', count: 100 },
    ]);
    expect(stats.steps).toEqual([
      { step: 'entry', instances: 1_000 },
      { step: 'wait', instances: 1_000 },
      { step: 'reminder', instances: 680 },
      { step: 'done', instances: 400 },
    ]);
    expect(stats.messages).toEqual([
      { channel: 'sms', total: 700, pending: 70, inFlight: 70, delivered: 420, undelivered: 70, failed: 70, deliveryRate: 420 / 630, failureRate: 140 / 630 },
      { channel: 'whatsapp', total: 50, pending: 0, inFlight: 0, delivered: 50, undelivered: 0, failed: 0, deliveryRate: 1, failureRate: 0 },
    ]);
    expect(stats.conversion).toEqual({ event: 'Order Completed', withinMs: goal.withinMs, messaged: 610, converted: 200, rate: 200 / 610 });
  });

  it('narrows the cohort by time range and version', async () => {
    const { journeyId, from } = population;
    const workspaceId = DEFAULT_WORKSPACE_ID;
    // The first 100 minutes: instances 0–99, all completed; 80 sent a message, all among the 200 converted.
    const early = await store.stats({ workspaceId, journeyId, from, to: new Date(from.getTime() + 100 * 60_000), goal: population.goal });
    expect(early).toMatchObject({ entered: 100, completed: 100, exited: 0, active: 0 });
    expect(early.conversion).toMatchObject({ messaged: 80, converted: 80 });
    expect((await store.stats({ workspaceId, journeyId, from: population.from, to: population.to, version: 2 })).entered).toBe(0);
    const old = await store.stats({ workspaceId, journeyId, version: 2, goal: population.goal });
    expect(old).toMatchObject({ entered: 30, completed: 30, steps: [{ step: 'entry', instances: 30 }, { step: 'reminder', instances: 30 }] });
    expect(old.conversion).toMatchObject({ messaged: 30, converted: 30 });
    const all = await store.stats({ workspaceId, journeyId });
    expect(all).toMatchObject({ entered: 1_030, conversion: null });
    expect((await store.stats({ workspaceId, journeyId: 'other-journey', from, to: population.to })).messages).toMatchObject([{ channel: 'sms', total: 40, failed: 40, failureRate: 1 }]);
  });

  it("keeps another workspace's rows out and answers zeros for an empty cohort", async () => {
    const brand = await new WorkspaceStore(db.dataSource).createWorkspace('brand-stats', 'Brand Stats');
    const stats = await store.stats({ workspaceId: brand.id, journeyId: population.journeyId, goal: population.goal });
    expect(stats).toEqual({
      entered: 0,
      active: 0,
      completed: 0,
      exited: 0,
      exitedByReason: [],
      steps: [],
      messages: [],
      conversion: { event: 'Order Completed', withinMs: population.goal.withinMs, messaged: 0, converted: 0, rate: null },
    });
  });

  it('records the catalogue version an instance entered with', async () => {
    await new JourneyCatalogueStore(db.dataSource).publish(
      [{ id: 'versioned', version: 7, workflowType: 'versionedJourney' } as never],
      'stats-test',
    );
    const journal = new JournalStore(db.dataSource);
    const base = { workspaceId: DEFAULT_WORKSPACE_ID, instanceId: 'journey/versioned/v/v', runId: 'r1', journeyId: 'versioned', customerId: 'v', key: 'v', detail: {} };
    await journal.record({ ...base, seq: 1, type: 'entered', step: 'entry', status: 'active', at: new Date('2026-05-02T00:00:00Z') });
    await new JourneyCatalogueStore(db.dataSource).publish([{ id: 'versioned', version: 8, workflowType: 'versionedJourney' } as never], 'stats-test');
    await journal.record({ ...base, seq: 2, type: 'completed', step: 'done', status: 'completed', at: new Date('2026-05-02T00:01:00Z') });
    // A step whose write lands late never moves updated_at back (the funnel bounds the journal by it).
    await journal.record({ ...base, seq: 3, type: 'message.sent', step: 'remind', status: 'completed', at: new Date('2026-05-02T00:00:30Z') });
    const instance = await journal.getInstance(DEFAULT_WORKSPACE_ID, base.instanceId);
    expect(instance).toMatchObject({ journeyVersion: 7, updatedAt: new Date('2026-05-02T00:01:00Z') });
    expect((await store.stats({ workspaceId: DEFAULT_WORKSPACE_ID, journeyId: 'versioned' })).steps).toHaveLength(3);
    expect((await store.stats({ workspaceId: DEFAULT_WORKSPACE_ID, journeyId: 'versioned', version: 7 })).completed).toBe(1);
  });
});
