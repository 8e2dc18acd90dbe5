import { ActivityCancellationType, CancellationScope, condition, continueAsNew, isCancellation, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { broadcastControlSignal, type BroadcastActivities, type BroadcastRunInput } from '@continuum/contracts';

/** Members per batch activity: its history is 1 activity per page, whatever the audience's size. */
const PAGE = 200;
/** Batches per run before continue-as-new (history stays in the low hundreds of events). */
const BATCHES_PER_RUN = 25;

/**
 * One broadcast: every member of the audience gets the template once, page by page, each message
 * through the outbox keyed by (this run, member) — a retried batch or a restarted worker sends no
 * one twice — at the broadcast's rate, with consent, caps and quiet hours applied per member by the
 * batch activity. `broadcastControl` pauses, resumes or cancels: the batch under way is cancelled and
 * stops at its next member.
 * Bounded for any audience size: one activity per page and continue-as-new every few pages.
 */
export async function broadcastRun(input: BroadcastRunInput): Promise<{ status: 'completed' | 'cancelled'; batches: number }> {
  const activities = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '1 minute',
    retry: { maximumInterval: '1 minute' },
    // A pause waits until the batch has really stopped sending.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  let after = input.carried?.after;
  let batches = input.carried?.batches ?? 0;
  let paused = input.carried?.paused ?? false;
  let cancelled = false;
  let batch: CancellationScope | undefined;
  setHandler(broadcastControlSignal, ({ action }) => {
    if (action === 'pause') paused = true;
    else if (action === 'resume') paused = false;
    else cancelled = true;
    // The batch under way stops at its next member (its outbox keeps what it sent).
    if (action !== 'resume') batch?.cancel();
  });
  for (let inRun = 0; ; inRun++) {
    if (paused && !cancelled) {
      await activities.setBroadcastStatus({ broadcastId: input.broadcastId, status: 'paused' });
      await condition(() => !paused || cancelled);
      if (!cancelled) await activities.setBroadcastStatus({ broadcastId: input.broadcastId, status: 'running' });
    }
    if (cancelled) {
      await activities.setBroadcastStatus({ broadcastId: input.broadcastId, status: 'cancelled' });
      return { status: 'cancelled', batches };
    }
    if (inRun >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof broadcastRun>({ ...input, carried: { after, batches, paused } });
    }
    let page: { count: number; last?: string };
    try {
      batch = new CancellationScope();
      page = await batch.run(() =>
        activities.sendBroadcastBatch({
          broadcastId: input.broadcastId,
          workspaceId: input.workspaceId,
          audienceId: input.audienceId,
          template: input.template,
          channel: input.channel,
          ratePerSecond: input.ratePerSecond,
          instanceId: workflowInfo().workflowId,
          runId: workflowInfo().firstExecutionRunId,
          ...(after !== undefined ? { after } : {}),
          limit: PAGE,
        }),
      );
    } catch (error) {
      // Paused or cancelled mid-batch.
      // (The page starts again after a resume; members it already reached are not reached again.)
      if (isCancellation(error) && (paused || cancelled)) continue;
      throw error;
    } finally {
      batch = undefined;
    }
    if (page.count === 0) break;
    batches += 1;
    after = page.last;
  }
  await activities.setBroadcastStatus({ broadcastId: input.broadcastId, status: 'completed' });
  return { status: 'completed', batches };
}
