import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import jStat from 'jstat';
import type { JourneyDescriptor } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore } from '@continuum/data';
import { countArms, countEntryConversions, seedExperimentPopulation, type ExperimentPopulation } from '@continuum/testing';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type GqlError = { message: string; extensions?: { code?: string; field?: string } };
type Interval = { lower: number; upper: number };
interface Arm {
  variant: string;
  control: boolean;
  weight: number | null;
  entered: number;
  converted: number;
  conversionRate: number | null;
  interval: Interval | null;
  upliftAbsolute: number | null;
  upliftRelative: number | null;
  upliftInterval: Interval | null;
  pValue: number | null;
  significant: boolean;
}
interface Results {
  winner?: unknown;
  journeyId: string;
  step: string;
  confidence: number;
  goal: { event: string; within: string; where: Record<string, unknown> | null; source: string };
  baseline: string | null;
  entered: number;
  variants: Arm[];
}

const RESULTS = `query($journeyId: String!, $step: String!, $from: DateTime, $to: DateTime, $confidence: Float, $goal: ExperimentGoalInput) {
  experimentResults(journeyId: $journeyId, step: $step, from: $from, to: $to, confidence: $confidence, goal: $goal) {
    journeyId step confidence baseline entered winner { variant }
    goal { event within where source }
    variants {
      variant control weight entered converted conversionRate
      interval { lower upper } upliftAbsolute upliftRelative upliftInterval { lower upper } pValue significant
    }
  }
}`;

const DAY = 24 * 60 * 60 * 1000;

/**
 * The independent computation: the Wilson interval as the roots of the score test's quadratic
 * (p − π)² = z² π(1 − π) / n, and the p-value of Pearson's chi-squared test of the 2×2 table, both with
 * jStat's distributions (the gateway uses stdlib's and the closed forms).
 */
function reference(arm: { entered: number; converted: number }, base: { entered: number; converted: number }, confidence: number) {
  const z = jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
  const n = arm.entered;
  const p = arm.converted / n;
  const [a, b, c] = [1 + (z * z) / n, -(2 * p + (z * z) / n), p * p];
  const root = Math.sqrt(b * b - 4 * a * c);
  const cells = [
    [arm.converted, arm.entered - arm.converted],
    [base.converted, base.entered - base.converted],
  ];
  const total = arm.entered + base.entered;
  let chi = 0;
  for (let r = 0; r < 2; r++) {
    for (let k = 0; k < 2; k++) {
      const expected = ([arm.entered, base.entered][r]! * (cells[0]![k]! + cells[1]![k]!)) / total;
      chi += (cells[r]![k]! - expected) ** 2 / expected;
    }
  }
  const q = base.converted / base.entered;
  const half = z * Math.sqrt((p * (1 - p)) / arm.entered + (q * (1 - q)) / base.entered);
  return { rate: p, lower: (-b - root) / (2 * a), upper: (-b + root) / (2 * a), pValue: 1 - jStat.chisquare.cdf(chi, 1), uplift: p - q, relative: (p - q) / q, upliftLower: p - q - half, upliftUpper: p - q + half };
}

/** Every figure of the results against the counts from the seeded rows and the independent computation. */
function expectMatches(results: Results, expected: Record<string, { entered: number; converted: number }>, confidence: number) {
  const order = ['sms', 'email', 'holdout'];
  expect(results.variants.map((arm) => arm.variant)).toEqual(order);
  expect(results.baseline).toBe('holdout');
  expect(results.entered).toBe(order.reduce((sum, id) => sum + expected[id]!.entered, 0));
  const base = expected['holdout']!;
  for (const arm of results.variants) {
    const counts = expected[arm.variant]!;
    expect({ variant: arm.variant, entered: arm.entered, converted: arm.converted }).toEqual({ variant: arm.variant, ...counts });
    const ref = reference(counts, base, confidence);
    expect(arm.conversionRate).toBeCloseTo(ref.rate, 12);
    expect(arm.interval!.lower).toBeCloseTo(ref.lower, 9);
    expect(arm.interval!.upper).toBeCloseTo(ref.upper, 9);
    if (arm.variant === 'holdout') {
      expect(arm).toMatchObject({ control: true, weight: 20, upliftAbsolute: null, upliftRelative: null, upliftInterval: null, pValue: null, significant: false });
      continue;
    }
    expect(arm.control).toBe(false);
    expect(arm.weight).toBe(40);
    expect(arm.upliftAbsolute).toBeCloseTo(ref.uplift, 12);
    expect(arm.upliftRelative).toBeCloseTo(ref.relative, 12);
    expect(arm.upliftInterval!.lower).toBeCloseTo(ref.upliftLower, 9);
    expect(arm.upliftInterval!.upper).toBeCloseTo(ref.upliftUpper, 9);
    expect(Math.abs(arm.pValue! - ref.pValue)).toBeLessThan(1e-9 + 1e-6 * ref.pValue);
    expect(arm.significant).toBe(ref.pValue < 1 - confidence);
  }
}

// experimentResults through GraphQL over an experiment of 10,000 seeded customers in the real PostgreSQL.
describe('experimentResults (GraphQL, real PostgreSQL, 10,000 customers)', () => {
  let gw: GatewayFixture;
  let population: ExperimentPopulation;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      beforeStart: async (ds) => {
        const steps = [
          { id: 'entry', kind: 'entry', label: 'Entry' },
          { id: 'offer-test', kind: 'experiment', label: 'Offer test' },
          { id: 'another-test', kind: 'experiment', label: 'Another test' },
          { id: 'offer', kind: 'send', label: 'Offer' },
        ];
        const goal = { event: 'Order Completed', where: { 'properties.total': { gte: 20 } }, within: '7 days' };
        const common = { version: 1, description: 'An offer, tested', entry: { events: ['Offer Eligible'] }, reentry: 'always', exitOn: [], listensTo: ['Offer Eligible'], settings: {}, maxLifetime: '365 days', steps } as const;
        await new JourneyCatalogueStore(ds).publish(
          [
            { ...common, id: 'experiment-test', workflowType: 'experimentTest', goal } as unknown as JourneyDescriptor,
            { ...common, id: 'no-goal-test', workflowType: 'noGoalTest' } as unknown as JourneyDescriptor,
          ],
          'experiment-test',
        );
        population = await seedExperimentPopulation(ds, DEFAULT_WORKSPACE_ID);
      },
    });
  }, 300_000);
  afterAll(() => gw?.teardown());

  const results = async (variables: Record<string, unknown>) => gw.graphql<{ experimentResults: Results | null }>(RESULTS, variables);

  it("matches an independent computation: counts from the seeded rows, Wilson intervals and chi-squared p-values (jStat); the experiment's goal", async () => {
    const { data, errors } = await results({ journeyId: 'experiment-test', step: 'offer-test' });
    expect(errors).toBeUndefined();
    const answer = data!.experimentResults!;
    expect(answer).toMatchObject({ journeyId: 'experiment-test', step: 'offer-test', confidence: 0.95 });
    expect(answer.goal).toEqual({ event: 'Order Completed', within: '7 days', where: { 'properties.total': { gte: 20 } }, source: 'EXPERIMENT' });
    const expected = countArms(population, { event: 'Order Completed', minTotal: 20, withinMs: 7 * DAY });
    expectMatches(answer, expected, 0.95);
    // The population is what it says: 10,000 customers, the control group about a fifth, sms ahead of it.
    expect(answer.entered).toBe(10_000);
    expect(expected['holdout']!.entered).toBeGreaterThan(1_800);
    expect(expected['holdout']!.entered).toBeLessThan(2_200);
    expect(answer.variants[0]!.significant).toBe(true);
    console.log(
      'experiment of 10,000: ' +
        answer.variants
          .map((arm) => `${arm.variant} ${arm.converted}/${arm.entered} = ${(arm.conversionRate! * 100).toFixed(2)} % [${(arm.interval!.lower * 100).toFixed(2)}, ${(arm.interval!.upper * 100).toFixed(2)}]${arm.pValue === null ? '' : ` p = ${arm.pValue.toPrecision(3)}`}`)
          .join('; '),
    );
  });

  it('measures another goal and confidence when asked, and only customers assigned in a window', async () => {
    const wide = await results({ journeyId: 'experiment-test', step: 'offer-test', confidence: 0.99, goal: { event: 'Order Completed', within: '30 days' } });
    expect(wide.errors).toBeUndefined();
    expect(wide.data!.experimentResults!.goal).toEqual({ event: 'Order Completed', within: '30 days', where: null, source: 'ARGUMENT' });
    expectMatches(wide.data!.experimentResults!, countArms(population, { event: 'Order Completed', withinMs: 30 * DAY }), 0.99);

    const from = new Date(population.from.getTime() + 2_000 * 60_000);
    const to = new Date(population.from.getTime() + 6_000 * 60_000);
    const windowed = await results({ journeyId: 'experiment-test', step: 'offer-test', from: from.toISOString(), to: to.toISOString() });
    expect(windowed.errors).toBeUndefined();
    const expected = countArms(population, { event: 'Order Completed', minTotal: 20, withinMs: 7 * DAY }, { from: from.getTime(), to: to.getTime() });
    expect(windowed.data!.experimentResults!.entered).toBe(4_000);
    expectMatches(windowed.data!.experimentResults!, expected, 0.95);
  });

  it("journeyStats.goalConversion counts the journey's declared goal after entry; Journey.goal shows it", async () => {
    const { data, errors } = await gw.graphql<{ journeyStats: { entered: number; goalConversion: Record<string, unknown> }; journey: { goal: unknown } }>(
      `{ journeyStats(journeyId: "experiment-test") { entered goalConversion { goal { event within where source } entered converted rate } }
         journey(key: "experiment-test") { goal { event within where source } } }`,
    );
    expect(errors).toBeUndefined();
    const expected = countEntryConversions(population, { event: 'Order Completed', minTotal: 20, withinMs: 7 * DAY });
    const goal = { event: 'Order Completed', within: '7 days', where: { 'properties.total': { gte: 20 } }, source: 'JOURNEY' };
    expect(data!.journeyStats.goalConversion).toEqual({ goal, ...expected, rate: expected.converted / expected.entered });
    expect(data!.journeyStats.entered).toBe(expected.entered);
    expect(data!.journey.goal).toEqual(goal);
    const none = await gw.graphql<{ journeyStats: { goalConversion: unknown } }>(`{ journeyStats(journeyId: "no-goal-test") { goalConversion { converted } } }`);
    expect(none.data!.journeyStats.goalConversion).toBeNull();
  });

  it("shows the winner rule's decision and leaves its entries out of the arms", async () => {
    const before = (await results({ journeyId: 'experiment-test', step: 'offer-test' })).data!.experimentResults!;
    expect(before.winner).toBeNull();
    const figures = { alpha: 0.05, minPerArm: 100, arms: [], pValues: { holdout: 0.00001 } };
    for (let n = 0; n < 3; n++) {
      const at = new Date(population.to.getTime() + n * 60_000);
      await gw.dataSource.query(
        `INSERT INTO journal_entries (workspace_id, instance_id, run_id, seq, journey_id, customer_id, type, step, detail, at)
         VALUES ($1, $2, 'winner-run', 2, 'experiment-test', $3, 'experiment.assigned', 'offer-test', $4::jsonb, $5)`,
        [DEFAULT_WORKSPACE_ID, `journey/experiment-test/late-${n}/late-${n}`, `late-${n}`, JSON.stringify({ variant: 'sms', control: false, weights: population.weights, controlId: 'holdout', goal: population.goal, rule: 'winner', winner: figures }), at],
      );
      await gw.dataSource.query(`INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, $2, $3, 'track', 'Order Completed', '{"total": 50}', $4, $4)`, [
        DEFAULT_WORKSPACE_ID,
        `late-order-${n}`,
        `late-${n}`,
        new Date(at.getTime() + 60_000),
      ]);
    }
    const after = await gw.graphql<{ experimentResults: Results & { winner: unknown } }>(
      `{ experimentResults(journeyId: "experiment-test", step: "offer-test") { entered winner { variant decidedAt entries figures } variants { variant entered converted pValue } } }`,
    );
    expect(after.errors).toBeUndefined();
    expect(after.data!.experimentResults.winner).toEqual({ variant: 'sms', decidedAt: population.to.toISOString(), entries: 3, figures });
    expect(after.data!.experimentResults.entered).toBe(before.entered);
    expect(after.data!.experimentResults.variants).toEqual(before.variants.map(({ variant, entered, converted, pValue }) => ({ variant, entered, converted, pValue })));
  });

  it('answers any arguments with results or BAD_USER_INPUT naming the argument, never an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant('offer-test'), fc.constant('offer'), fc.string({ maxLength: 12 })),
        fc.option(fc.double({ min: -2, max: 2, noNaN: true }), { nil: undefined }),
        fc.option(fc.record({ event: fc.oneof(fc.constant('Order Completed'), fc.string({ maxLength: 8 })), within: fc.oneof(fc.constantFrom('7 days', '12h', '0s', '-1 day'), fc.string({ maxLength: 8 })) }), { nil: undefined }),
        async (step, confidence, goal) => {
          const { data, errors } = await results({ journeyId: 'experiment-test', step, ...(confidence !== undefined ? { confidence } : {}), ...(goal ? { goal } : {}) });
          if (!errors) {
            expect(data!.experimentResults!.step).toBe(step);
            return;
          }
          expect(errors).toHaveLength(1);
          expect((errors[0] as GqlError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: expect.stringMatching(/^(step|confidence|goal\.event|goal\.within)$/) });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('answers null for an unknown journey and refuses bad input naming the field', async () => {
    const fieldOf = async (variables: Record<string, unknown>) => {
      const { errors } = await results(variables);
      return { ...(errors as GqlError[] | undefined)?.[0]?.extensions, message: (errors as GqlError[] | undefined)?.[0]?.message };
    };
    expect(await results({ journeyId: 'no-such-journey', step: 'offer-test' })).toEqual({ data: { experimentResults: null } });
    expect(await fieldOf({ journeyId: 'experiment-test', step: 'offer' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'step', message: expect.stringContaining('offer-test, another-test') });
    expect(await fieldOf({ journeyId: 'experiment-test', step: 'offer-test', confidence: 1.5 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'confidence' });
    expect(await fieldOf({ journeyId: 'experiment-test', step: 'offer-test', goal: { event: 'Order Completed', within: 'a week' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'goal.within' });
    expect(await fieldOf({ journeyId: 'experiment-test', step: 'offer-test', goal: { event: ' ', within: '1 day' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'goal.event' });
    expect(await fieldOf({ journeyId: 'experiment-test', step: 'offer-test', from: population.to.toISOString(), to: population.from.toISOString() })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    // Nobody assigned yet and no goal anywhere: the goal must be given.
    expect(await fieldOf({ journeyId: 'no-goal-test', step: 'offer-test' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'goal' });
    const empty = await results({ journeyId: 'no-goal-test', step: 'offer-test', goal: { event: 'Order Completed', within: '1 day' } });
    expect(empty.data!.experimentResults).toMatchObject({ baseline: null, entered: 0, variants: [] });
  });
});
