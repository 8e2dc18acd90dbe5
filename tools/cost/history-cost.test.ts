import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { costOf, EMPTY_COST, sumCosts } from './history-cost';

const E = temporal.api.enums.v1.EventType;
/** An event as a plain object (numbers for ids), as `History.fromObject` takes it. */
type Event = Record<string, unknown>;
const load = (path: string) => temporal.api.history.v1.History.decode(readFileSync(join(__dirname, '..', '..', path)));
const history = (events: Event[]) => temporal.api.history.v1.History.fromObject({ events: events.map((event, index) => ({ eventId: index + 1, ...event })) });
const task = (): Event[] => [{ eventType: E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED }, { eventType: E.EVENT_TYPE_WORKFLOW_TASK_STARTED }, { eventType: E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED }];
const marker = (name: string, task: number): Event => ({ eventType: E.EVENT_TYPE_MARKER_RECORDED, markerRecordedEventAttributes: { markerName: name, workflowTaskCompletedEventId: task } });
const upsert = (...keys: string[]): Event => ({
  eventType: E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  upsertWorkflowSearchAttributesEventAttributes: { searchAttributes: { indexedFields: Object.fromEntries(keys.map((key) => [key, {}])) } },
});

describe('costOf (Temporal Cloud actions and the rest, from a history)', () => {
  it('counts a recorded abandoned cart (3 updates, 1 SMS, recorded before the reads were local) event by event', () => {
    // Start + signal-with-start (1), 2 more signals, 3 timers, 3 activities (settings, profile, SMS),
    // local-activity markers in 6 workflow tasks (6), 4 upserts of the journey's attributes.
    expect(costOf(load('workflows/journeys/histories/abandoned-cart-three-updates.history.pb'))).toEqual({
      ...EMPTY_COST,
      actions: 1 + 2 + 3 + 3 + 6 + 4,
      events: 52,
      workflowTasks: 7,
      activities: 3,
      localActivities: 7,
      localActivityTasks: 6,
      signals: 3,
      timers: 3,
      searchAttributeUpserts: 4,
      billableUpserts: 4,
    });
  });

  it('counts a signal-with-start as one action, a later signal as one more', () => {
    const signal = { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED };
    const started = { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, workflowExecutionStartedEventAttributes: {} };
    expect(costOf(history([started, { eventType: E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED }, signal, ...task().slice(1), signal])).actions).toBe(2);
    // A plain start, then a signal once a task ran: two actions for the two requests.
    expect(costOf(history([started, ...task(), signal])).actions).toBe(2);
  });

  it('counts local activities once per workflow task, activity retries per attempt, children twice, and exempts the versioning attribute', () => {
    const cost = costOf(
      history([
        { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, workflowExecutionStartedEventAttributes: {} },
        ...task(), // completed = 4
        marker('core_local_activity', 4),
        marker('core_local_activity', 4),
        marker('core_patch', 4),
        upsert('TemporalChangeVersion'),
        upsert('JourneyStep', 'JourneyStatus'),
        { eventType: E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED },
        { eventType: E.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { attempt: 3 } },
        { eventType: E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED },
        ...task(), // completed = 15
        marker('core_local_activity', 15),
        { eventType: E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED },
        { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED },
        { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW },
      ]),
    );
    // start 1 + local activities in 2 tasks 2 + 1 billable upsert + 3 attempts + child 2 + update 1
    expect(cost).toMatchObject({ actions: 1 + 2 + 1 + 3 + 2 + 1, localActivities: 3, localActivityTasks: 2, searchAttributeUpserts: 2, billableUpserts: 1, activities: 1, childWorkflows: 1, updates: 1, continueAsNew: 1, workflowTasks: 2 });
  });

  it("does not count a child's start in its own history (its parent paid for it), nor a continued run's first signal as a signal-with-start", () => {
    const child = { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, workflowExecutionStartedEventAttributes: { parentWorkflowExecution: { workflowId: 'p' } } };
    expect(costOf(history([child, ...task()])).actions).toBe(0);
    const continued = { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, workflowExecutionStartedEventAttributes: { continuedExecutionRunId: 'r1' } };
    expect(costOf(history([continued, { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED }, ...task()])).actions).toBe(2);
  });

  it('counts a signal a workflow sent to no workflow where it was sent (no receiver counts it)', () => {
    expect(costOf(history([{ eventType: E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED }, { eventType: E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED }])).actions).toBe(1);
  });

  it('counts failed and timed-out workflow tasks as tasks run, and as failures', () => {
    const cost = costOf(history([{ eventType: E.EVENT_TYPE_WORKFLOW_TASK_FAILED }, { eventType: E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT }, ...task()]));
    expect(cost).toMatchObject({ workflowTasks: 3, failedWorkflowTasks: 2 });
  });

  it('sums several histories field by field', () => {
    const one = costOf(load('workflows/journeys/histories/abandoned-cart-order-completed.history.pb'));
    expect(sumCosts([one, one])).toEqual(Object.fromEntries(Object.entries(one).map(([key, value]) => [key, value * 2])));
  });
});
