import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];
type PendingActivity = NonNullable<WorkflowExecutionDescription['raw']['pendingActivities']>[number];
/** An int64 of the API, as the history hands it out (a Long). */
type EventId = NonNullable<HistoryEvent['eventId']>;

/** What failed in a workflow run and the workflow task to reset it to (a WorkflowTaskCompleted event). */
export interface FailurePoint {
  what: string;
  resetTo: EventId;
}

export type FailureSearch = { found: FailurePoint } | { nothing: string };

const idOf = (event: HistoryEvent) => Number(event.eventId ?? 0);

/**
 * Finds why a run is stuck or failed, and the last completed workflow task before that, so that a
 * reset re-runs the failing step: a workflow task that keeps failing (a bug, non-determinism), an
 * activity being retried after failures, or a run that failed outright.
 */
export function findFailurePoint(status: string, events: HistoryEvent[], pending: PendingActivity[]): FailureSearch {
  const completedBefore = (eventId: number): EventId | undefined =>
    events.filter((event) => event.workflowTaskCompletedEventAttributes && idOf(event) < eventId).at(-1)?.eventId ?? undefined;
  const point = (what: string, before: number, resetTo = completedBefore(before)): FailureSearch =>
    resetTo == null ? { nothing: `${what}, but no workflow task completed before it to reset to` } : { found: { what, resetTo } };

  if (status === 'FAILED') {
    const failed = events.find((event) => event.workflowExecutionFailedEventAttributes);
    const message = failed?.workflowExecutionFailedEventAttributes?.failure?.message ?? 'unknown failure';
    return point(`the run failed: ${message}`, failed ? idOf(failed) : Number.MAX_SAFE_INTEGER);
  }
  if (status !== 'RUNNING') return { nothing: `the workflow is ${status.toLowerCase()}, not running or failed` };

  const lastTask = events.filter((event) => event.workflowTaskCompletedEventAttributes || event.workflowTaskFailedEventAttributes).at(-1);
  if (lastTask?.workflowTaskFailedEventAttributes) {
    return point(`a workflow task is failing: ${lastTask.workflowTaskFailedEventAttributes.failure?.message ?? 'unknown failure'}`, idOf(lastTask));
  }
  const failing = pending.find((activity) => (activity.attempt ?? 1) > 1 && activity.lastFailure);
  if (failing) {
    const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes?.activityId === failing.activityId);
    const what = `activity ${failing.activityType?.name ?? failing.activityId} is failing (attempt ${failing.attempt}): ${failing.lastFailure?.message ?? ''}`;
    const scheduledBy = scheduled?.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId;
    return point(what, scheduled ? idOf(scheduled) : Number.MAX_SAFE_INTEGER, scheduledBy ?? undefined);
  }
  return { nothing: 'nothing failed: no failing workflow task or activity' };
}

/**
 * Puts each failure's real message back where findFailurePoint reads it: failures carry their
 * message as an (encrypted) payload, and the history shows "Encoded failure" until it is decoded.
 */
export async function decodeFailureMessages(converter: LoadedDataConverter, events: HistoryEvent[], pending: PendingActivity[]): Promise<void> {
  const failures = [
    ...events.flatMap((event) => [event.workflowExecutionFailedEventAttributes?.failure, event.workflowTaskFailedEventAttributes?.failure]),
    ...pending.map((activity) => activity.lastFailure),
  ];
  for (const failure of failures) {
    if (!failure?.encodedAttributes) continue;
    const error = await decodeOptionalFailureToOptionalError(converter, failure).catch(() => undefined);
    if (error?.message) failure.message = error.message;
  }
}
