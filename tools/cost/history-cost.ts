import { temporal } from '@temporalio/proto';

const E = temporal.api.enums.v1.EventType;
type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The marker the TypeScript SDK (its core) records for each completed local activity. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
/** Search attribute the SDKs set for versioning; exempt from Action counting. */
const CHANGE_VERSION = 'TemporalChangeVersion';

/**
 * What one workflow execution (or several, summed) cost the Temporal server, counted from history.
 *
 * `actions` follows Temporal Cloud's definition of a billable Action (docs.temporal.io/cloud/actions,
 * "Temporal Cloud Actions"), restricted to what an Event History shows — as Temporal Cloud's own
 * "Billable Actions" estimate is: queries, activity heartbeats and rejected updates are not in a
 * history and are not counted (none of the scenarios measured here uses them).
 */
export interface HistoryCost {
  /** Billable Actions (see `actionsOf`). */
  actions: number;
  /** Every event in the history. */
  events: number;
  /** Workflow tasks the worker ran: completed + failed + timed out. */
  workflowTasks: number;
  /** Of those, the ones that failed or timed out (each is retried: the work is done twice). */
  failedWorkflowTasks: number;
  /** Activity tasks started (a retried attempt counts again). */
  activities: number;
  /** Local-activity markers (one per local activity that completed). */
  localActivities: number;
  /** Signals received (including the one of a signal-with-start). */
  signals: number;
  timers: number;
  /** Workflow tasks that recorded local-activity markers (each is one Action). */
  localActivityTasks: number;
  /** UpsertWorkflowSearchAttributes commands. */
  searchAttributeUpserts: number;
  /** Of those, the billable ones (not only `TemporalChangeVersion`, which `patched()` sets). */
  billableUpserts: number;
  childWorkflows: number;
  updates: number;
  continueAsNew: number;
}

export const EMPTY_COST: HistoryCost = {
  actions: 0,
  events: 0,
  workflowTasks: 0,
  failedWorkflowTasks: 0,
  activities: 0,
  localActivities: 0,
  localActivityTasks: 0,
  signals: 0,
  timers: 0,
  searchAttributeUpserts: 0,
  billableUpserts: 0,
  childWorkflows: 0,
  updates: 0,
  continueAsNew: 0,
};

/**
 * Counts one history. Billable Actions, per Temporal Cloud's definition:
 * - workflow started: 1 (a client start, a continue-as-new run, a child's start — the child's own
 *   start is counted in its parent, see below, so a child's history does not count it again);
 *   a signal-with-start is one Action in all, start and signal together;
 * - signal received: 1 each (from a client or from another workflow — counted where it arrives, so
 *   a scenario that sums every history involved counts each signal once); a signal a workflow sent
 *   that failed (no such workflow) is counted in the sender's history;
 * - timer started: 1 each (including the implicit timers of `condition(fn, timeout)`);
 * - search-attribute upsert: 1 per command, whatever the number of attributes; an upsert of only
 *   `TemporalChangeVersion` is exempt;
 * - activity started or retried: 1 per attempt (the started event carries the attempt number);
 * - local activities: 1 per workflow task that recorded any (all the markers of one workflow task
 *   are one Action);
 * - child workflow: 2 per start (starting it and its execution);
 * - update accepted: 1 each; workflow execution options updated: 1; Nexus operation scheduled or
 *   cancel requested: 1.
 * Workflow tasks, history events and patch markers are not Actions; they are counted for what they
 * cost the server and the worker.
 */
export function costOf(history: History): HistoryCost {
  const events = history.events ?? [];
  const cost: HistoryCost = { ...EMPTY_COST, events: events.length };
  const localActivityTasks = new Set<string>();
  let firstTaskStarted = false;
  let signalWithStart = false;
  for (const event of events) {
    switch (event.eventType) {
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        // A child's start was counted (twice) in its parent's StartChildWorkflowExecutionInitiated.
        if (!event.workflowExecutionStartedEventAttributes?.parentWorkflowExecution) cost.actions++;
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        firstTaskStarted = true;
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        cost.workflowTasks++;
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        cost.workflowTasks++;
        cost.failedWorkflowTasks++;
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        cost.signals++;
        // The signal of a signal-with-start arrives with the start, before any workflow task ran:
        // start and signal are one Action together.
        if (!firstTaskStarted && !signalWithStart && isFromClientStart(events)) signalWithStart = true;
        else cost.actions++;
        break;
      case E.EVENT_TYPE_TIMER_STARTED:
        cost.timers++;
        cost.actions++;
        break;
      case E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        cost.searchAttributeUpserts++;
        const fields = Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
        if (fields.some((field) => field !== CHANGE_VERSION)) {
          cost.billableUpserts++;
          cost.actions++;
        }
        break;
      }
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        cost.activities++;
        cost.actions += Math.max(1, event.activityTaskStartedEventAttributes?.attempt ?? 1);
        break;
      }
      case E.EVENT_TYPE_MARKER_RECORDED: {
        const marker = event.markerRecordedEventAttributes;
        if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) break;
        cost.localActivities++;
        localActivityTasks.add(String(marker.workflowTaskCompletedEventId ?? event.eventId));
        break;
      }
      case E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        cost.childWorkflows++;
        cost.actions += 2;
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        cost.updates++;
        cost.actions++;
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        cost.continueAsNew++;
        break;
      // A signal a workflow sent that reached no workflow: billed as sent, counted by no receiver.
      case E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED:
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED:
      case E.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED:
      case E.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED:
        cost.actions++;
        break;
    }
  }
  cost.localActivityTasks = localActivityTasks.size;
  cost.actions += localActivityTasks.size;
  return cost;
}

/** A run started by a client (not a continue-as-new, a child or a cron/retry): only those can be a signal-with-start. */
function isFromClientStart(events: readonly HistoryEvent[]): boolean {
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  return !!started && !started.parentWorkflowExecution && !started.continuedExecutionRunId;
}

/** Sums the costs of several histories (a scenario's workflows, or a chain of continue-as-new runs). */
export function sumCosts(costs: readonly HistoryCost[]): HistoryCost {
  const total: HistoryCost = { ...EMPTY_COST };
  for (const cost of costs) for (const key of Object.keys(total) as Array<keyof HistoryCost>) total[key] += cost[key];
  return total;
}
