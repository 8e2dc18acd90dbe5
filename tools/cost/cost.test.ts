import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import type { HistoryCost } from './history-cost';
import { measureScenarios, SCENARIOS, type ScenarioCost } from './test-support/scenarios';

/**
 * The price per journey's budgets: what each scenario costs today, counted from its histories
 * (`npm run cost` prints the table; docs/performance.md, "Price per journey"). A change that makes a
 * scenario cost more actions, history events, workflow tasks or local activities fails here: raise the budget only on
 * purpose, with the reason in the commit. Lower it when a change makes a scenario cheaper.
 */
// localActivities: the worker's round trips (not billed apart: a task's local activities are one action) —
// cart 10 → 7 with continuum.batched-journal, → 6 with continuum.send-reads; onboarding 11 → 7 → 6.
const BUDGETS: Record<string, Pick<HistoryCost, 'actions' | 'events' | 'workflowTasks' | 'localActivities'>> = {
  // 40 events (50 before continuum.baseline-2026-12): one patch marker and one exempt TemporalChangeVersion upsert for
  // every change a new instance passes, instead of a pair per change (six in a cart); onboarding 36 → 28, the
  // exit 23 → 19, the conversation 71 → 61. Before that, continuum.send-reads: 49 → 50 (one local-activity marker
  // fewer, its own patch pair more).
  'abandoned-cart': { actions: 15, events: 40, workflowTasks: 5, localActivities: 6 },
  // 23 events (was 22): patch continuum.batched-journal writes 4 entries by 3 local activities (one marker
  // fewer) and adds its own marker and the exempt TemporalChangeVersion upsert; actions unchanged.
  'cart-exits': { actions: 7, events: 19, workflowTasks: 2, localActivities: 3 },
  onboarding: { actions: 9, events: 28, workflowTasks: 3, localActivities: 6 },
  // 4 → 3 actions, 27 → 21 events, 4 → 3 tasks: the last batch completes the run (continuum.broadcast-batch-completes).
  'broadcast-member': { actions: 3, events: 21, workflowTasks: 3, localActivities: 0 },
  // The conversation's patch continuum.known-facts added its marker and the exempt TemporalChangeVersion upsert (70 → 72 events).
  // 17 → 12 actions, 61 → 47 events, 9 → 6 tasks: the topic's agent starts with its first message in its input
  // (continuum.topic-start-with-events: no failed probe signal, no signal to it, no wait of its own for it) and
  // its wait for that message, already there, neither upserts nor journals (continuum.ready-waits).
  'conversation-message': { actions: 12, events: 47, workflowTasks: 6, localActivities: 7 },
  // 4 → 2 actions, 15 → 13 events, 2 → 0 local activities: the profile read, the send and the outcome's record in
  // one activity (continuum.transactional-one-activity); its marker and exempt upsert are the 2 events above the floor.
  'transactional-send': { actions: 2, events: 13, workflowTasks: 2, localActivities: 0 },
};

const budgeted = (cost: HistoryCost) => ({ actions: cost.actions, events: cost.events, workflowTasks: cost.workflowTasks, localActivities: cost.localActivities });

// Each scenario runs for real (time-skipping Temporal, the worker's real activities, PostgreSQL, the
// Twilio emulator) and as its hand-written floor, twice: counts must not depend on timing.
describe('price per journey: budgets (counts from histories)', { timeout: 300_000 }, () => {
  let kit: JourneyTestKit;
  let first: ScenarioCost[];
  let second: ScenarioCost[];
  beforeAll(async () => {
    kit = await createJourneyTestKit();
    first = await measureScenarios(kit);
    second = await measureScenarios(kit);
  }, 600_000);
  afterAll(async () => {
    await kit?.teardown();
  });

  it('has a budget for every scenario', () => {
    expect(Object.keys(BUDGETS).sort()).toEqual(SCENARIOS.map((scenario) => scenario.id).sort());
  });

  it.each(SCENARIOS.map((scenario) => scenario.id))('%s stays within its budget of actions, history events, workflow tasks and local activities', (id) => {
    const cost = first.find((each) => each.id === id)!;
    const budget = BUDGETS[id]!;
    expect(cost.ours.actions, `${id}: actions`).toBeLessThanOrEqual(budget.actions);
    expect(cost.ours.events, `${id}: history events`).toBeLessThanOrEqual(budget.events);
    expect(cost.ours.workflowTasks, `${id}: workflow tasks`).toBeLessThanOrEqual(budget.workflowTasks);
    expect(cost.ours.localActivities, `${id}: local activities`).toBeLessThanOrEqual(budget.localActivities);
  });

  it('counts the same on a second run of every scenario (counts, not timings)', () => {
    expect(second.map((each) => ({ id: each.id, ours: budgeted(each.ours), floor: budgeted(each.floor) }))).toEqual(
      first.map((each) => ({ id: each.id, ours: budgeted(each.ours), floor: budgeted(each.floor) })),
    );
  });

  it('the floor of each scenario costs what plain Temporal code costs: a start, its signals, its timers and one activity per send', () => {
    const floor = Object.fromEntries(first.map((each) => [each.id, each.floor.actions]));
    // signal-with-start + 2 more updates + 3 idle timers + 1 send
    expect(floor['abandoned-cart']).toBe(7);
    // signal-with-start + the order + 1 timer
    expect(floor['cart-exits']).toBe(3);
    // signal-with-start + 1 read (time zone) + 1 timer + 1 send
    expect(floor['onboarding']).toBe(4);
    // start + 1 send
    expect(floor['broadcast-member']).toBe(2);
    expect(floor['conversation-message']).toBe(2);
    expect(floor['transactional-send']).toBe(2);
  });
});
