import { ActivityCancellationType, CancellationScope, condition, continueAsNew, isCancellation, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  broadcastControlSignal,
  TemporalScheduledStartTimeKey,
  type BroadcastActivities,
  type BroadcastBatchInput,
  type BroadcastBatchResult,
  type BroadcastRunInput,
  type BroadcastRunPlan,
} from '@continuum/contracts';

/** Members per batch activity: its history is 1 activity per page, whatever the audience's size. */
const PAGE = 200;
/** Batches per run before continue-as-new (history stays in the low hundreds of events). */
const BATCHES_PER_RUN = 25;
/** Runs record themselves as a run of their broadcast (own recipients and progress); runs started before did not. */
const RUNS_PATCH = 'continuum.broadcast-runs';
/** Queued members not due yet when looked at (the database's clock is behind ours) are looked at again after this. */
const MIN_QUEUE_WAIT_MS = 1_000;
/**
 * A page shorter than PAGE is the audience's last: runs stop reading there instead of asking for an
 * empty page (one activity task, one workflow task and three history events fewer per run); runs
 * that read the empty page before replay as they ran.
 */
const LAST_PAGE_PATCH = 'continuum.broadcast-last-page';
/**
 * The run's last batch completes the run itself (`completesRun`), instead of an activity of its own
 * after it: a one-page broadcast costs 3 actions instead of 4. Runs that started before end as they ran.
 */
const BATCH_COMPLETES_PATCH = 'continuum.broadcast-batch-completes';

/**
 * One run of a broadcast (a one-off broadcast's only run, or one occurrence of a recurring
 * broadcast's schedule): every member of the audience gets the template, or enters the journey,
 * once in this run, page by page — each message through the outbox keyed by (this run, member), so a
 * retried batch or a restarted worker reaches no one twice — at the broadcast's rate, with consent,
 * caps and quiet hours applied per member by the batch activity. Members inside their quiet hours are
 * skipped or, when the broadcast queues them, recorded as queued and sent by a later batch once their
 * window has ended: this workflow sleeps until the earliest is due, no activity waits for hours.
 * `broadcastControl` pauses, resumes or cancels: the batch under way is cancelled and stops at its
 * next member. Bounded for any audience size: one activity per page and continue-as-new every few pages.
 */
export async function broadcastRun(input: BroadcastRunInput): Promise<{ status: 'completed' | 'cancelled'; batches: number }> {
  const activities = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '1 minute',
    retry: { maximumInterval: '1 minute' },
    // A pause waits until the batch has really stopped sending.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const carried = input.carried;
  let after = carried?.after;
  let batches = carried?.batches ?? 0;
  let paused = carried?.paused ?? false;
  let cancelled = false;
  let phase = carried?.phase ?? 'audience';
  let queuedDueAt = carried?.queuedDueAt;
  let controlled = false;
  let batch: CancellationScope | undefined;
  setHandler(broadcastControlSignal, ({ action }) => {
    controlled = true;
    if (action === 'pause') paused = true;
    else if (action === 'resume') paused = false;
    else cancelled = true;
    // The batch under way stops at its next member (its outbox keeps what it sent).
    if (action !== 'resume') batch?.cancel();
  });

  // Asked once, as the run starts: a run that replays from before the change keeps ending as it did.
  const batchCompletes = patched(BATCH_COMPLETES_PATCH);
  let plan: BroadcastRunPlan | undefined = carried?.run;
  if (!plan && patched(RUNS_PATCH)) {
    plan = await activities.openBroadcastRun({ broadcastId: input.broadcastId, workflowId: workflowInfo().workflowId, scheduledAt: scheduledAt().toISOString() });
    // The broadcast was paused or cancelled as this run started (its schedule fired meanwhile). A
    // signal received meanwhile was sent after this run was recorded, so it is the later word.
    if (!controlled) paused = plan.paused;
    if (plan.cancelled) cancelled = true;
  }
  const status = async (value: 'running' | 'paused' | 'cancelled' | 'completed'): Promise<'completed' | 'cancelled' | undefined> =>
    (await activities.setBroadcastStatus({ broadcastId: input.broadcastId, ...(plan ? { broadcastRunId: plan.runId } : {}), status: value }))?.ended;
  const batchInput = (source: 'audience' | 'queued'): BroadcastBatchInput => ({
    broadcastId: input.broadcastId,
    workspaceId: input.workspaceId,
    instanceId: workflowInfo().workflowId,
    runId: workflowInfo().firstExecutionRunId,
    limit: PAGE,
    source,
    ...(after !== undefined && source === 'audience' ? { after } : {}),
    ...(plan
      ? { broadcastRunId: plan.runId, workspaceSlug: plan.workspaceSlug, audienceId: plan.audienceId, action: plan.action, ratePerSecond: plan.ratePerSecond }
      : // A run started before runs were recorded: a template, quiet hours skipped.
        { audienceId: input.audienceId!, template: input.template!, channel: input.channel!, ratePerSecond: input.ratePerSecond! }),
    // The batch that may be the run's last: the audience's next page, or queued members once every page is read.
    ...(batchCompletes && plan && (source === 'audience' || phase === 'queued') ? { completesRun: true } : {}),
  });
  const runBatch = async (source: 'audience' | 'queued'): Promise<BroadcastBatchResult | undefined> => {
    try {
      batch = new CancellationScope();
      return await batch.run(() => (plan?.action.kind === 'journey' ? activities.enrolBroadcastBatch(batchInput(source)) : activities.sendBroadcastBatch(batchInput(source))));
    } catch (error) {
      // Paused or cancelled mid-batch.
      // (The page starts again after a resume; members it already reached are not reached again.)
      if (isCancellation(error) && (paused || cancelled)) return undefined;
      throw error;
    } finally {
      batch = undefined;
    }
  };

  for (let inRun = 0; ; inRun++) {
    if (paused && !cancelled) {
      // A pause that came while the last batch completed the run finds it ended: nothing is left to pause.
      const ended = await status('paused');
      if (ended && batchCompletes) return { status: ended, batches };
      await condition(() => !paused || cancelled);
      if (!cancelled) await status('running');
    }
    if (cancelled) {
      await status('cancelled');
      return { status: 'cancelled', batches };
    }
    if (inRun >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof broadcastRun>({
        ...input,
        carried: { after, batches, paused, phase, ...(plan ? { run: plan } : {}), ...(queuedDueAt !== undefined ? { queuedDueAt } : {}) },
      });
    }
    const queuedDue = queuedDueAt !== undefined && queuedDueAt <= Date.now();
    if (phase === 'audience' || queuedDue) {
      const source = queuedDue ? 'queued' : 'audience';
      const page = await runBatch(source);
      if (!page) continue;
      if (page.count > 0) batches += 1;
      // Every member has been read and none waits: the batch recorded the run completed.
      if (page.completed) return { status: 'completed', batches };
      queuedDueAt = page.queuedDueAt;
      if (source === 'queued' && page.count === 0 && queuedDueAt !== undefined) queuedDueAt = Math.max(queuedDueAt, Date.now() + MIN_QUEUE_WAIT_MS);
      if (source === 'audience') {
        if (page.count === 0) phase = 'queued';
        else after = page.last;
        if (page.count > 0 && page.count < PAGE && patched(LAST_PAGE_PATCH)) phase = 'queued';
      }
      // Every member has been read and none waits for their quiet hours to end. A pause that came
      // during the last page still shows (the run ends once resumed), as when an empty page ended it.
      if (phase === 'queued' && queuedDueAt === undefined && !paused) break;
      continue;
    }
    if (queuedDueAt === undefined) break;
    // Only queued members are left: sleep until the earliest is due (or a pause or cancel).
    await condition(() => paused || cancelled, queuedDueAt - Date.now());
  }
  await status('completed');
  return { status: 'completed', batches };
}

/** The occurrence a Schedule started this run for; otherwise when the run started. */
function scheduledAt(): Date {
  const info = workflowInfo();
  return info.typedSearchAttributes.get(TemporalScheduledStartTimeKey) ?? info.runStartTime;
}
