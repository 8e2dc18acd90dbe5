import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { percentile, round, type Row } from './lib';

const E = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const millis = (event: HistoryEvent): number => Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);

/** Where one instance's time went after `from` (ms epoch), from its history. */
interface Phases {
  /** `from` until the first workflow task after it started (the worker picked the instance up). */
  pickup: number;
  /** Workflow tasks after `from`: schedule to start (queued) and start to complete (the worker ran them). */
  taskQueued: number[];
  taskRunning: number[];
  /** Activities after `from`, by type: schedule to start and start to complete. */
  activityQueued: Map<string, number[]>;
  activityRunning: Map<string, number[]>;
  /** The first task's start until the instance closed. */
  pickedToClosed: number;
  workflowTasks: number;
  /** Workflow tasks that timed out (e.g. not picked from the sticky queue in time, then put back on the normal queue). */
  taskTimeouts: number;
  /** Workflow tasks started from the worker's sticky queue (its cache) and from the normal queue (replaying history). */
  stickyTasks: number;
  normalTasks: number;
}

function phasesOf(events: HistoryEvent[], from: number): Phases | undefined {
  const scheduled = new Map<number, number>();
  const activityType = new Map<number, string>();
  const started = new Map<number, number>();
  const sticky = new Set<number>();
  const phases: Phases = { pickup: NaN, taskQueued: [], taskRunning: [], activityQueued: new Map(), activityRunning: new Map(), pickedToClosed: NaN, workflowTasks: 0, taskTimeouts: 0, stickyTasks: 0, normalTasks: 0 };
  const push = (map: Map<string, number[]>, key: string, value: number) => map.set(key, [...(map.get(key) ?? []), value]);
  let firstStart: number | undefined;
  for (const event of events) {
    const at = millis(event);
    const id = Number(event.eventId);
    switch (event.eventType) {
      case E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
      case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        scheduled.set(id, at);
        if (event.workflowTaskScheduledEventAttributes?.taskQueue?.kind === temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_STICKY) sticky.add(id);
        if (event.activityTaskScheduledEventAttributes) activityType.set(id, event.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_STARTED: {
        const scheduledId = Number(event.workflowTaskStartedEventAttributes?.scheduledEventId);
        const s = scheduled.get(scheduledId);
        started.set(id, at);
        if (s === undefined || at < from) break;
        firstStart ??= at;
        if (sticky.has(scheduledId)) phases.stickyTasks++;
        else phases.normalTasks++;
        phases.taskQueued.push(at - Math.max(s, from));
        break;
      }
      case E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case E.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT: {
        const attrs = event.workflowTaskCompletedEventAttributes ?? event.workflowTaskFailedEventAttributes ?? event.workflowTaskTimedOutEventAttributes;
        if (event.eventType === E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT && millis(event) >= from) phases.taskTimeouts++;
        const s = started.get(Number(attrs?.startedEventId));
        if (s === undefined || s < from) break;
        phases.workflowTasks++;
        phases.taskRunning.push(at - s);
        break;
      }
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const scheduledId = Number(event.activityTaskStartedEventAttributes?.scheduledEventId);
        const s = scheduled.get(scheduledId);
        started.set(id, at);
        if (s === undefined || at < from) break;
        push(phases.activityQueued, activityType.get(scheduledId) ?? '?', at - Math.max(s, from));
        break;
      }
      case E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case E.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case E.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attrs = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
        const s = started.get(Number(attrs?.startedEventId));
        if (s === undefined || s < from) break;
        push(phases.activityRunning, activityType.get(Number(attrs?.scheduledEventId)) ?? '?', at - s);
        break;
      }
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        if (firstStart !== undefined) phases.pickedToClosed = at - firstStart;
        break;
      default:
        break;
    }
  }
  if (firstStart === undefined) return undefined;
  phases.pickup = firstStart - from;
  return phases;
}

const stats = (label: string, values: number[], unit = 'ms'): Row[] =>
  values.length === 0
    ? []
    : [
        { what: `${label}, p50`, value: round(percentile(values, 50)), unit },
        { what: `${label}, p95`, value: round(percentile(values, 95)), unit },
      ];

/**
 * Reads the histories of `workflowIds` (their latest runs) and says where their time went after
 * `from`: how long until a worker picked each up, how long its workflow tasks and activities waited
 * in the task queue versus ran. Sampled: reading every history would take as long as the run.
 */
export async function historyPhases(client: Client, workflowIds: string[], from: number, label: string): Promise<{ rows: Row[]; sampled: number }> {
  const all: Phases[] = [];
  for (const id of workflowIds) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const phases = phasesOf(history.events ?? [], from);
    if (phases) all.push(phases);
    // BENCH_HISTORY_DUMP=1: one instance's events with their time after `from`, on stderr.
    if (process.env['BENCH_HISTORY_DUMP'] === '1' && id === workflowIds[0]) {
      for (const event of history.events ?? []) {
        const kind = event.workflowTaskScheduledEventAttributes?.taskQueue?.kind === temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_STICKY ? ' (sticky)' : '';
        console.error(`  ${id} #${String(event.eventId)} ${E[event.eventType ?? 0]}${kind} ${((millis(event) - from) / 1000).toFixed(3)} s`);
      }
    }
  }
  const mean = (pick: (p: Phases) => number) => round(all.reduce((sum, p) => sum + pick(p), 0) / Math.max(1, all.length), 2);
  const flat = (pick: (p: Phases) => number[]) => all.flatMap(pick);
  const byType = (pick: (p: Phases) => Map<string, number[]>) => {
    const merged = new Map<string, number[]>();
    for (const p of all) for (const [type, values] of pick(p)) merged.set(type, [...(merged.get(type) ?? []), ...values]);
    return [...merged].sort(([a], [b]) => a.localeCompare(b));
  };
  const rows: Row[] = [
    ...stats(`${label}: until a worker picked the instance up`, all.map((p) => p.pickup)),
    ...stats(`${label}: first workflow task started to instance closed`, all.map((p) => p.pickedToClosed).filter((v) => !Number.isNaN(v))),
    { what: `${label}: workflow tasks per instance (mean)`, value: mean((p) => p.workflowTasks), unit: 'tasks' },
    { what: `${label}: of which from the sticky queue (the worker's cache)`, value: mean((p) => p.stickyTasks), unit: 'tasks' },
    { what: `${label}: of which from the normal queue (history replayed)`, value: mean((p) => p.normalTasks), unit: 'tasks' },
    { what: `${label}: workflow tasks timed out per instance (a sticky task not picked in time goes back to the normal queue)`, value: mean((p) => p.taskTimeouts), unit: 'tasks' },
    ...stats(`${label}: workflow task queued (scheduled to started)`, flat((p) => p.taskQueued)),
    ...stats(`${label}: workflow task running (started to completed)`, flat((p) => p.taskRunning)),
    ...byType((p) => p.activityQueued).flatMap(([type, values]) => stats(`${label}: activity ${type} queued`, values)),
    ...byType((p) => p.activityRunning).flatMap(([type, values]) => stats(`${label}: activity ${type} running`, values)),
  ];
  return { rows, sampled: all.length };
}
