import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDescriptor } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore } from '@continuum/data';
import { scriptFunnelPopulation, type FunnelPopulation } from '@continuum/testing';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type GqlError = { message: string; extensions?: { code?: string; field?: string } };

const STATS = `query($journeyId: String!, $from: DateTime, $to: DateTime, $version: Int, $goal: GoalInput) {
  journeyStats(journeyId: $journeyId, from: $from, to: $to, version: $version, goal: $goal) {
    journeyId version from to entered active completed exited
    exitedByReason { reason count }
    steps { step instances }
    messages { channel total pending inFlight delivered undelivered failed deliveryRate failureRate }
    conversion { event within messaged converted rate }
  }
}`;

// journeyStats through GraphQL over the scripted population of 1,000 instances with known outcomes.
describe('journeyStats (GraphQL, real PostgreSQL)', () => {
  let gw: GatewayFixture;
  let population: FunnelPopulation;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      beforeStart: async (ds) => {
        await new JourneyCatalogueStore(ds).publish([{ id: 'funnel-test', version: 3, workflowType: 'funnelTestJourney' } as JourneyDescriptor], 'stats-test');
        population = await scriptFunnelPopulation(ds, DEFAULT_WORKSPACE_ID);
      },
    });
  });
  afterAll(() => gw?.teardown());

  const stats = (variables: Record<string, unknown>) => gw.graphql<{ journeyStats: Record<string, unknown> }>(STATS, variables);

  it('answers the funnel of the cohort with exact counts', async () => {
    const { data, errors } = await stats({
      journeyId: 'funnel-test',
      from: population.from.toISOString(),
      to: population.to.toISOString(),
      version: 3,
      goal: { event: 'Order Completed', within: '7 days' },
    });
    expect(errors).toBeUndefined();
    expect(data?.journeyStats).toEqual({
      journeyId: 'funnel-test',
      version: 3,
      from: population.from.toISOString(),
      to: population.to.toISOString(),
      entered: 1000,
      active: 150,
      completed: 400,
      exited: 450,
      exitedByReason: [
        { reason: 'Order Completed', count: 350 },
        { reason: 'archived', count: 100 },
      ],
      steps: [
        { step: 'entry', instances: 1000 },
        { step: 'wait', instances: 1000 },
        { step: 'reminder', instances: 680 },
        { step: 'done', instances: 400 },
      ],
      messages: [
        { channel: 'SMS', total: 700, pending: 70, inFlight: 70, delivered: 420, undelivered: 70, failed: 70, deliveryRate: 420 / 630, failureRate: 140 / 630 },
        { channel: 'WHATSAPP', total: 50, pending: 0, inFlight: 0, delivered: 50, undelivered: 0, failed: 0, deliveryRate: 1, failureRate: 0 },
      ],
      conversion: { event: 'Order Completed', within: '7 days', messaged: 610, converted: 200, rate: 200 / 610 },
    });
    // A wider window takes in the 50 goal events eight days after the send.
    const wider = await stats({ journeyId: 'funnel-test', goal: { event: 'Order Completed', within: '9d' }, version: 3 });
    expect(wider.data?.journeyStats['conversion']).toMatchObject({ messaged: 610, converted: 250 });
  });

  it('answers null for an unknown journey; rejects a reversed window and a bad duration naming the field', async () => {
    const codeOf = (errors?: GqlError[]) => errors?.[0]?.extensions;
    expect(await stats({ journeyId: 'no-such-journey' })).toEqual({ data: { journeyStats: null } });
    const reversed = await stats({ journeyId: 'funnel-test', from: population.to.toISOString(), to: population.from.toISOString() });
    expect(codeOf(reversed.errors)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    const badWindow = await stats({ journeyId: 'funnel-test', goal: { event: 'Order Completed', within: 'a week' } });
    expect(codeOf(badWindow.errors)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'goal.within' });
    expect(badWindow.errors?.[0]?.message).toContain('goal.within');
  });
});
