import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, ExperimentStore } from '@continuum/data';
import { createJourneyTestKit, undeclaredNextSteps, undeclaredSteps, type InstanceUnderTest, type JourneyTestKit } from '@continuum/testing';
import { assign, assignmentRoll } from './experiment';
import * as journeys from './test-support/experiment-journeys';
import { offerExperiment, winnerExperiment } from './test-support/experiment-journeys';

const DAY = 24 * 60 * 60 * 1000;
const ARMS = { variants: [{ id: 'ten-off' }, { id: 'free-shipping' }], control: { id: 'holdout', weight: 1 } };
const WINNER_ARMS = { variants: [{ id: 'a' }, { id: 'b' }], control: { id: 'holdout', weight: 1 } };

/** The first `count` customers (`xp-<n>`) the experiment puts in each arm, found with the library's own hash. */
function customersByArm(count: number, experiment = { journeyId: 'offer-experiment', step: 'offer-test', arms: ARMS as typeof ARMS | typeof WINNER_ARMS, prefix: 'xp' }): Record<string, string[]> {
  const found: Record<string, string[]> = Object.fromEntries([...experiment.arms.variants, experiment.arms.control].map((arm) => [arm.id, []]));
  for (let n = 0; Object.values(found).some((list) => list.length < count); n++) {
    const customerId = `${experiment.prefix}-${n}`;
    const { variant } = assign(experiment.arms, assignmentRoll({ workspaceId: DEFAULT_WORKSPACE_ID, journeyId: experiment.journeyId, step: experiment.step, customerId }), experiment.step);
    if (found[variant]!.length < count) found[variant]!.push(customerId);
  }
  return found;
}

// Experiments run for real: time-skipping Temporal, the worker's activities, embedded PostgreSQL and
// the Twilio emulator; then the goal counted from the journal the run wrote.
describe('journey.experiment', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ workflowsPath: join(__dirname, 'test-support/experiment-journeys.ts'), journeysModule: journeys });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('assigns the same arm on re-entry, sends the control group nothing, and counts goal conversions per arm', async () => {
    const arms = customersByArm(2);
    const customers = Object.values(arms).flat();
    const phoneOf = (customer: string) => `+1415555${String(1000 + Number(customer.slice(3))).padStart(4, '0')}`;
    for (const customer of customers) await kit.identify(customer, { phone: phoneOf(customer) });
    const variantOf = (customer: string) => Object.entries(arms).find(([, list]) => list.includes(customer))![0];

    await kit.run(async () => {
      for (const round of [1, 2]) {
        const instances: Array<[string, InstanceUnderTest]> = [];
        for (const customer of customers) instances.push([customer, await kit.enter(offerExperiment, customer, 'Offer Eligible')]);
        for (const [customer, instance] of instances) {
          expect(await instance.result()).toMatchObject({ status: 'completed' });
          const all = await instance.journal();
          const journal = all.filter((line) => line.runId === journalRunOf(all, round));
          const assigned = journal.find((line) => line.type === 'experiment.assigned')!;
          const control = variantOf(customer) === 'holdout';
          expect(assigned.detail).toEqual({
            variant: variantOf(customer),
            control,
            weights: { 'ten-off': 1, 'free-shipping': 1, holdout: 1 },
            controlId: 'holdout',
            goal: { event: 'Order Completed', within: '7 days' },
          });
          const sends = journal.filter((line) => line.type === 'message.sent' || line.type === 'message.skipped');
          if (control) {
            expect(sends.map((line) => [line.type, line.step, line.detail['rule']])).toEqual([
              ['message.skipped', 'offer-sms', 'control-group'],
              ['message.skipped', 'reminder-sms', 'control-group'],
            ]);
          } else {
            expect(sends.map((line) => [line.type, line.step])).toEqual([
              ['message.sent', 'offer-sms'],
              ['message.sent', 'reminder-sms'],
            ]);
          }
          expect(undeclaredSteps(offerExperiment, journal)).toEqual([]);
          if (round === 2 && customer === customers[0]) await expect(kit.replay(await instance.handle.fetchHistory())).resolves.toBeUndefined();
        }
      }
    });

    // What the provider received: two messages per entry for a variant's customers, nothing for the control group.
    for (const customer of customers) {
      const received = kit.messagesTo(phoneOf(customer));
      if (variantOf(customer) === 'holdout') expect(received).toEqual([]);
      else {
        expect(received).toHaveLength(4);
        expect(received[0]!.body).toBe(variantOf(customer) === 'ten-off' ? 'Hi! 10% off your next order' : 'Hi! Free shipping on your next order');
      }
    }

    // Goal events, written as the gateway stores them: a ten-off and a holdout customer order within the
    // 7 days after their second assignment, a free-shipping customer 10 days after (outside).
    const { dataSource } = kit.bed;
    const store = new ExperimentStore(dataSource);
    const assignedAt = async (customer: string) => {
      const rows: Array<{ at: Date }> = await dataSource.query(
        `SELECT max(at) AS at FROM journal_entries WHERE workspace_id = $1 AND customer_id = $2 AND type = 'experiment.assigned'`,
        [DEFAULT_WORKSPACE_ID, customer],
      );
      return new Date(rows[0]!.at).getTime();
    };
    const order = async (customer: string, after: number) =>
      dataSource.query(
        `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, $2, $3, 'track', 'Order Completed', '{}', $4, $4)`,
        [DEFAULT_WORKSPACE_ID, `order-${customer}`, customer, new Date((await assignedAt(customer)) + after)],
      );
    await order(arms['ten-off']![0]!, 2 * DAY);
    await order(arms['holdout']![0]!, 3 * DAY);
    await order(arms['free-shipping']![0]!, 10 * DAY);
    const declaration = await store.declaration({ workspaceId: DEFAULT_WORKSPACE_ID, journeyId: 'offer-experiment', step: 'offer-test' });
    expect(declaration).toEqual({ weights: { 'ten-off': 1, 'free-shipping': 1, holdout: 1 }, controlId: 'holdout', goal: { event: 'Order Completed', within: '7 days' } });
    const counted = await store.arms({ workspaceId: DEFAULT_WORKSPACE_ID, journeyId: 'offer-experiment', step: 'offer-test', goal: { event: 'Order Completed', withinMs: 7 * DAY } });
    expect(counted).toEqual([
      { variant: 'free-shipping', control: false, entered: 2, converted: 0 },
      { variant: 'holdout', control: true, entered: 2, converted: 1 },
      { variant: 'ten-off', control: false, entered: 2, converted: 1 },
    ]);
    // The journey's own goal, from entry: instances whose customer ordered within 7 days of their start
    // (counted here from the rows; how far apart the two rounds are depends on the test server's skips).
    const instances: Array<{ customer_id: string; started_at: Date }> = await dataSource.query(
      `SELECT customer_id, started_at FROM journey_instances WHERE workspace_id = $1 AND journey_id = 'offer-experiment'`,
      [DEFAULT_WORKSPACE_ID],
    );
    const orders: Array<{ user_id: string; timestamp: Date }> = await dataSource.query(`SELECT user_id, timestamp FROM events WHERE workspace_id = $1 AND name = 'Order Completed'`, [DEFAULT_WORKSPACE_ID]);
    const converted = instances.filter((instance) =>
      orders.some((o) => o.user_id === instance.customer_id && o.timestamp.getTime() > instance.started_at.getTime() && o.timestamp.getTime() <= instance.started_at.getTime() + 7 * DAY),
    ).length;
    expect(instances).toHaveLength(12);
    expect(converted).toBeGreaterThanOrEqual(2);
    expect(await store.entryConversion({ workspaceId: DEFAULT_WORKSPACE_ID, journeyId: 'offer-experiment', goal: { event: 'Order Completed', withinMs: 7 * DAY } })).toEqual({ entered: 12, converted });
  });

  it('sends later entries down the winner once it is significant, journaled with the figures, outside the results', async () => {
    // 200 customers per arm already assigned, written as the journal holds them: a converts 30 %, b and the control 10 %.
    const { dataSource } = kit.bed;
    const start = (await kit.now()) - 30 * DAY;
    const rows: unknown[][] = [];
    const orders: unknown[][] = [];
    const weights = { a: 1, b: 1, holdout: 1 };
    for (const [arm, rate] of [['a', 0.3], ['b', 0.1], ['holdout', 0.1]] as const) {
      for (let n = 0; n < 200; n++) {
        const customer = `seeded-${arm}-${n}`;
        const at = new Date(start + n * 60_000);
        rows.push([`journey/winner-experiment/${customer}/${customer}`, customer, JSON.stringify({ variant: arm, control: arm === 'holdout', weights, controlId: 'holdout', goal: { event: 'Order Completed', within: '7 days' } }), at]);
        if (n < rate * 200) orders.push([`seeded-order-${customer}`, customer, new Date(at.getTime() + DAY)]);
      }
    }
    for (const row of rows) {
      await dataSource.query(
        `INSERT INTO journal_entries (workspace_id, instance_id, run_id, seq, journey_id, customer_id, type, step, detail, at) VALUES ($1, $2, 'seeded', 1, 'winner-experiment', $3, 'experiment.assigned', 'subject-test', $4::jsonb, $5)`,
        [DEFAULT_WORKSPACE_ID, ...row],
      );
    }
    for (const order of orders) {
      await dataSource.query(`INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, $2, $3, 'track', 'Order Completed', '{}', $4, $4)`, [DEFAULT_WORKSPACE_ID, ...order]);
    }
    // Two customers the hash puts in the control group and one in b: all three go down a.
    const arms = customersByArm(2, { journeyId: 'winner-experiment', step: 'subject-test', arms: WINNER_ARMS, prefix: 'win' });
    const entering = [...arms['holdout']!, arms['b']![0]!];
    const phoneOf = (customer: string) => `+1415556${String(1000 + Number(customer.slice(4))).padStart(4, '0')}`;
    for (const customer of entering) await kit.identify(customer, { phone: phoneOf(customer) });
    await kit.run(async () => {
      for (const customer of entering) {
        const instance = await kit.enter(winnerExperiment, customer, 'Cart Abandoned');
        expect(await instance.result()).toMatchObject({ status: 'completed', context: {} });
        const assigned = (await instance.journal()).find((line) => line.type === 'experiment.assigned')!;
        expect(assigned.detail).toMatchObject({ variant: 'a', control: false, rule: 'winner', winner: { alpha: 0.05, minPerArm: 50 } });
        const figures = assigned.detail['winner'] as { arms: unknown[]; pValues: Record<string, number> };
        expect(figures.arms).toEqual([
          { variant: 'a', control: false, entered: 200, converted: 60 },
          { variant: 'b', control: false, entered: 200, converted: 20 },
          { variant: 'holdout', control: true, entered: 200, converted: 20 },
        ]);
        expect(figures.pValues['b']).toBeLessThan(0.025);
        expect(kit.messagesTo(phoneOf(customer)).map((message) => message.body)).toEqual(['Your cart misses you']);
      }
    });
    // The winner's entries are not assignments: the results count only the 600 randomised customers.
    const counted = await new ExperimentStore(dataSource).arms({ workspaceId: DEFAULT_WORKSPACE_ID, journeyId: 'winner-experiment', step: 'subject-test', goal: { event: 'Order Completed', withinMs: 7 * DAY } });
    expect(counted.map((arm) => [arm.variant, arm.entered, arm.converted])).toEqual([
      ['a', 200, 60],
      ['b', 200, 20],
      ['holdout', 200, 20],
    ]);
  });

  it('publishes the goal and the experiment step in the catalogue', () => {
    expect(offerExperiment.descriptor.goal).toEqual({ event: 'Order Completed', within: '7 days' });
    expect(offerExperiment.descriptor.steps.find((step) => step.id === 'offer-test')).toMatchObject({ kind: 'experiment', next: ['offer-sms'] });
    expect(offerExperiment.stepCheck.undeclared).toEqual([]);
    expect(undeclaredNextSteps(offerExperiment)).toEqual([]);
  });
});

/** The run id of an instance's `round`-th run (runs in the order they journaled). */
function journalRunOf(journal: Array<{ runId: string }>, round: number): string {
  return [...new Set(journal.map((line) => line.runId))][round - 1]!;
}
