import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  customerRef,
  journeyWorkflowId,
  matchesFilter,
  TASK_PRIORITY,
  type BroadcastAction,
  type BroadcastActivities,
  type BroadcastBatchInput,
  type BroadcastBatchResult,
  type BroadcastRunPlan,
  type CustomerEvent,
  type JourneyDescriptor,
  type MessagingPolicy,
  type SendOutcome,
} from '@continuum/contracts';
import type { AudienceStore, BroadcastStore, JourneyCatalogueStore, ProfileStore, RecipientOutcome, SendRateLimiter } from '@continuum/data';
import { quietHoursAt } from '@continuum/domain';
import { instanceKeyAt, isOnceRefusal, reentryRefusal, startJourneyInstance } from '@continuum/temporal';
import type { OutboxSend } from './messaging-activities';

/** Longest single wait for the broadcast's next slot before heartbeating again. */
const SLOT_WAIT_MS = 5_000;
/** Members a batch handles at once (fewer at low rates, so none waits long for its slot). */
const MAX_CONCURRENCY = 16;
/** Kept on each journey instance a broadcast started: a retried batch knows the instance is its own. */
export const BROADCAST_RUN_MEMO = 'broadcastRun';

type Profile = Awaited<ReturnType<ProfileStore['get']>>;

export interface BroadcastActivityDeps {
  audiences: AudienceStore;
  broadcasts: BroadcastStore;
  profiles: ProfileStore;
  /** The outbox send, with a hook just before the provider call (where the broadcast's rate applies). */
  messaging: { sendMessage: OutboxSend };
  limiter: SendRateLimiter;
  /** One policy for every workspace, or each workspace's own (read once per batch). */
  policy: MessagingPolicy | ((workspaceId: string) => Promise<MessagingPolicy>);
  /** Journey broadcasts: the catalogue (entry rule, re-entry memory) and the task queue journeys run on. */
  journeys: { catalogue: Pick<JourneyCatalogueStore, 'list' | 'workspaceJourney' | 'claimFirstEntry' | 'lastEndedAt'>; taskQueue: string };
  /** Default: the activity's own client (the worker's connection). */
  client?: () => Client;
  /** At most this many members at once per batch (default 16). */
  concurrency?: number;
}

/**
 * Broadcast runs: each page of members gets the template through the outbox (keyed by the run and
 * the member, so a retried batch sends no one twice; consent, caps and the sender's rate applied
 * there), or is enrolled in a journey as the gateway enters one, paced at the broadcast's own rate.
 * Members inside their quiet hours are skipped, or queued until their window ends and sent by a
 * later batch. Each member's outcome is recorded once per run; progress is heartbeated, so a retry
 * resumes where it stopped.
 */
export function createBroadcastActivities(deps: BroadcastActivityDeps): BroadcastActivities {
  const client = deps.client ?? (() => Context.current().client);

  /** The run a batch belongs to: its id, or (runs started before runs were recorded) found by workflow id. */
  const runOf = async (input: BroadcastBatchInput): Promise<string> => {
    if (input.broadcastRunId) return input.broadcastRunId;
    const run = await deps.broadcasts.runByWorkflowId(input.instanceId);
    if (!run) throw ApplicationFailure.nonRetryable(`No run of broadcast ${input.broadcastId} for ${input.instanceId}`, 'BroadcastRunNotFound');
    return run.id;
  };

  /** Members of this batch at once, in order; the heartbeat says how far the finished prefix reaches. */
  const forMembers = async (customerIds: string[], ratePerSecond: number, each: (customerId: string, beat: () => void) => Promise<void>): Promise<void> => {
    const context = Context.current();
    // Every lane waits for its slot on the same cancellation signal.
    setMaxListeners(MAX_CONCURRENCY + 10, context.cancellationSignal);
    const finished = new Array<boolean>(customerIds.length).fill(false);
    let prefix = 0;
    const beat = () => context.heartbeat({ last: prefix > 0 ? customerIds[prefix - 1] : undefined });
    let next = 0;
    let failure: { error: unknown } | undefined;
    const lane = async () => {
      while (!failure && next < customerIds.length) {
        const index = next++;
        try {
          // Paused or cancelled (the run cancels this activity) or a worker shutting down: stop here;
          // a retry resumes after the last heartbeat and skips members already recorded.
          if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? new Error('cancelled');
          await each(customerIds[index]!, beat);
        } catch (error) {
          failure ??= { error };
          return;
        }
        finished[index] = true;
        while (prefix < finished.length && finished[prefix]) prefix += 1;
        beat();
      }
    };
    const lanes = Math.max(1, Math.min(deps.concurrency ?? MAX_CONCURRENCY, Math.ceil(ratePerSecond / 2)));
    await Promise.all(Array.from({ length: Math.min(lanes, customerIds.length) }, lane));
    if (failure) throw failure.error;
  };

  /** The next audience page after `after` (or where a previous attempt's heartbeat got to), without members this run has reached. */
  const audiencePage = async (input: BroadcastBatchInput, runId: string) => {
    const resumed = (Context.current().info.heartbeatDetails as { last?: string } | undefined)?.last;
    const after = resumed ?? input.after;
    // (A keyset window fetches one member more, which says whether more follow: not needed here.)
    const members = (await deps.audiences.members(input.audienceId, { limit: input.limit, ...(after !== undefined ? { after } : {}) })).slice(0, input.limit);
    const reached = await deps.broadcasts.reached(runId, members.map((member) => member.customerId));
    const last = members.at(-1)?.customerId ?? after;
    return { count: members.length, last, pending: members.map((member) => member.customerId).filter((customerId) => !reached.has(customerId)) };
  };

  /** What a batch answers; the run's last batch, when asked to (`completesRun`), completes the run. */
  const result = async (input: BroadcastBatchInput, runId: string, page: { count: number; last?: string }): Promise<BroadcastBatchResult> => {
    const queuedDueAt = await deps.broadcasts.nextQueuedAt(runId);
    const last = input.source === 'queued' || page.count < input.limit;
    // (A retried batch whose first attempt completed the run says so again.)
    const completed =
      input.completesRun === true && last && !queuedDueAt && ((await deps.broadcasts.completeRunIfRunning(runId)) || (await deps.broadcasts.runStatus(runId)) === 'completed');
    return {
      count: page.count,
      ...(page.last !== undefined ? { last: page.last } : {}),
      ...(queuedDueAt ? { queuedDueAt: queuedDueAt.getTime() } : {}),
      ...(completed ? { completed } : {}),
    };
  };

  const paceFor = (input: BroadcastBatchInput, beat: () => void) => () =>
    paced(deps.limiter, `broadcast:${input.broadcastId}`, input.ratePerSecond, Context.current().cancellationSignal, beat);

  /** One member's template through the outbox, paced at the broadcast's rate just before the provider call. */
  const sendTemplate = async (
    input: BroadcastBatchInput,
    action: Extract<BroadcastAction, { kind: 'template' }>,
    customerId: string,
    profile: Profile,
    beat: () => void,
  ): Promise<RecipientOutcome> => {
    const sent: SendOutcome = await deps.messaging
      .sendMessage(
        {
          workspaceId: input.workspaceId,
          customerId,
          instanceId: input.instanceId,
          runId: input.runId,
          journeyId: 'broadcast',
          step: `member:${customerId}`,
          channel: action.channel,
          template: {
            name: action.template,
            payload: { profile: { traits: profile?.traits ?? {}, identities: { userId: customerId } }, broadcast: { id: input.broadcastId } },
          },
          purpose: 'marketing',
        },
        // The broadcast's rate, as close to the provider call as it gets (members skipped by rule take no slot).
        { beforeProviderCall: paceFor(input, beat) },
      )
      .catch((error: unknown) => {
        // A request refused for good is this member's failure; anything else retries the batch.
        if (error instanceof ApplicationFailure && error.nonRetryable) return { status: 'failed' as const, reason: error.message };
        throw error;
      });
    if (sent.status === 'sent') return { customerId, outcome: 'sent', messageId: sent.messageId };
    if (sent.status === 'skipped') return { customerId, outcome: 'skipped', reason: sent.rule ?? sent.reason };
    return { customerId, outcome: 'failed', reason: sent.errorCode ? `error ${sent.errorCode}` : sent.reason, messageId: sent.messageId ?? null };
  };

  const templateOf = (input: BroadcastBatchInput): Extract<BroadcastAction, { kind: 'template' }> => {
    if (input.action?.kind === 'template') return input.action;
    if (input.template && input.channel) return { kind: 'template', template: input.template, channel: input.channel, quietHours: 'skip' };
    throw ApplicationFailure.nonRetryable(`Broadcast ${input.broadcastId} has no template to send`, 'InvalidBroadcast');
  };

  return {
    async openBroadcastRun({ broadcastId, workflowId, scheduledAt }): Promise<BroadcastRunPlan> {
      const opened = await deps.broadcasts.openRun(broadcastId, workflowId, new Date(scheduledAt));
      if (!opened) throw ApplicationFailure.nonRetryable(`No broadcast ${broadcastId}`, 'BroadcastNotFound');
      const { run, broadcast } = opened;
      const action: BroadcastAction =
        broadcast.journeyId !== null && broadcast.entry !== null
          ? { kind: 'journey', journeyId: broadcast.journeyId, event: broadcast.entry.event, properties: broadcast.entry.properties }
          : { kind: 'template', template: broadcast.template!, channel: broadcast.channel as Extract<BroadcastAction, { kind: 'template' }>['channel'], quietHours: broadcast.quietHours };
      return {
        runId: run.id,
        number: run.number,
        audienceId: broadcast.audienceId,
        workspaceSlug: broadcast.workspaceSlug,
        ratePerSecond: broadcast.ratePerSecond,
        action,
        paused: broadcast.status === 'paused' || run.status === 'paused',
        cancelled: broadcast.status === 'cancelled' || run.status === 'cancelled',
      };
    },

    async sendBroadcastBatch(input) {
      const runId = await runOf(input);
      const action = templateOf(input);
      const policy = typeof deps.policy === 'function' ? await deps.policy(input.workspaceId) : deps.policy;
      const quiet = (profile: Profile) => quietHoursAt(Date.now(), policy, profile);
      if (input.source === 'queued') {
        // Members whose quiet hours have ended: sent now (or queued again if they are quiet once more).
        const due = await deps.broadcasts.dueQueued(runId, input.limit);
        await forMembers(due, input.ratePerSecond, async (customerId, beat) => {
          const profile = await deps.profiles.get(input.workspaceId, customerId);
          const still = quiet(profile);
          const outcome: RecipientOutcome = still
            ? { customerId, outcome: 'queued', reason: 'quiet-hours', dueAt: new Date(still.endsAt) }
            : await sendTemplate(input, action, customerId, profile, beat);
          await deps.broadcasts.settleQueued(runId, [outcome]);
        });
        return result(input, runId, { count: due.length });
      }
      const page = await audiencePage(input, runId);
      await forMembers(page.pending, input.ratePerSecond, async (customerId, beat) => {
        const profile = await deps.profiles.get(input.workspaceId, customerId);
        const inside = quiet(profile);
        const outcome: RecipientOutcome = !inside
          ? await sendTemplate(input, action, customerId, profile, beat)
          : action.quietHours === 'queue'
            ? { customerId, outcome: 'queued', reason: 'quiet-hours', dueAt: new Date(inside.endsAt) }
            : { customerId, outcome: 'skipped', reason: 'quiet-hours' };
        await deps.broadcasts.record(input.broadcastId, runId, [outcome]);
      });
      return result(input, runId, page);
    },

    async enrolBroadcastBatch(input) {
      const runId = await runOf(input);
      const action = input.action;
      if (action?.kind !== 'journey') throw ApplicationFailure.nonRetryable(`Broadcast ${input.broadcastId} has no journey to enrol in`, 'InvalidBroadcast');
      const page = await audiencePage(input, runId);
      if (page.pending.length === 0) return result(input, runId, page);
      const descriptor: JourneyDescriptor | undefined = (await deps.journeys.catalogue.list()).find((entry) => entry.descriptor.id === action.journeyId)?.descriptor;
      const status = (await deps.journeys.catalogue.workspaceJourney(input.workspaceId, action.journeyId)).status;
      const workspaceSlug = input.workspaceSlug;
      if (workspaceSlug === undefined) throw ApplicationFailure.nonRetryable(`enrolBroadcastBatch: workspaceSlug is required`, 'InvalidBroadcast');
      await forMembers(page.pending, input.ratePerSecond, async (customerId, beat) => {
        let outcome: RecipientOutcome;
        if (!descriptor) outcome = { customerId, outcome: 'skipped', reason: 'journey-not-in-catalogue' };
        else if (status !== 'published') outcome = { customerId, outcome: 'skipped', reason: `journey-${status}` };
        else outcome = await enrol(deps, client(), { input, runId, action, descriptor, workspaceSlug, customerId, pace: paceFor(input, beat) });
        await deps.broadcasts.record(input.broadcastId, runId, [outcome]);
      });
      return result(input, runId, page);
    },

    async setBroadcastStatus({ broadcastId, broadcastRunId, status }) {
      const runId = broadcastRunId ?? (await deps.broadcasts.runByWorkflowId(Context.current().info.workflowExecution.workflowId))?.id;
      if (!runId) {
        await deps.broadcasts.setStatus(broadcastId, status);
        return {};
      }
      if (await deps.broadcasts.setRunStatus(runId, status)) return {};
      // The run did not move: it had ended (its last batch completed it, or it was cancelled).
      const now = await deps.broadcasts.runStatus(runId);
      return now === 'completed' || now === 'cancelled' ? { ended: now } : {};
    },
  };
}

/**
 * Enrols one member as the gateway enters a journey: the entry filter, the re-entry policy, then
 * signalWithStart on `journey/<journeyId>/<customer>/<key>` with the broadcast's entry event. A
 * member whose instance is already running is left in it (skipped); an instance an earlier attempt
 * of this run started (its memo says so) counts as entered.
 */
async function enrol(
  deps: BroadcastActivityDeps,
  client: Client,
  options: {
    input: BroadcastBatchInput;
    runId: string;
    action: Extract<BroadcastAction, { kind: 'journey' }>;
    descriptor: JourneyDescriptor;
    workspaceSlug: string;
    customerId: string;
    pace: () => Promise<void>;
  },
): Promise<RecipientOutcome> {
  const { input, runId, action, descriptor, customerId } = options;
  const now = new Date().toISOString();
  const event: CustomerEvent = {
    // The same member in the same run is the same event: an instance ignores it the second time.
    messageId: `broadcast:${runId}:${customerId}`,
    workspaceId: input.workspaceId,
    userId: customerId,
    type: 'track',
    event: action.event,
    properties: { ...action.properties, broadcast_id: input.broadcastId, broadcast_run_id: runId },
    timestamp: now,
    receivedAt: now,
  };
  const key = descriptor.key ? instanceKeyAt(descriptor.key, event) : customerId;
  if (key === undefined) return { customerId, outcome: 'skipped', reason: 'no-instance-key' };
  if (descriptor.entry.where) {
    const needsTraits = Object.keys(descriptor.entry.where).some((path) => path.startsWith('traits.'));
    const traits = needsTraits ? ((await deps.profiles.get(input.workspaceId, customerId))?.traits ?? {}) : {};
    if (!matchesFilter(descriptor.entry.where, { event: event.event, properties: event.properties, traits, context: {} })) {
      return { customerId, outcome: 'skipped', reason: 'entry-filter' };
    }
  }
  const customer = customerRef(options.workspaceSlug, customerId);
  const workflowId = journeyWorkflowId(descriptor.id, customer, key);
  const latest = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });
  if (latest?.memo?.[BROADCAST_RUN_MEMO] === runId) return { customerId, outcome: 'entered' };
  if (latest?.status.name === 'RUNNING') return { customerId, outcome: 'skipped', reason: 'already-in-journey' };
  const refusal = await reentryRefusal(descriptor, deps.journeys.catalogue, { workspaceId: input.workspaceId, userId: customerId, workflowId });
  if (refusal) return { customerId, outcome: 'skipped', reason: refusal };
  await options.pace();
  try {
    await startJourneyInstance(client, {
      descriptor,
      taskQueue: deps.journeys.taskQueue,
      customer,
      key,
      workflowId,
      event,
      memo: { [BROADCAST_RUN_MEMO]: runId },
      priorityKey: TASK_PRIORITY.bulk,
    });
  } catch (error) {
    // `once`: the instance this entry belonged to ran and closed meanwhile.
    if (isOnceRefusal(descriptor, error)) return { customerId, outcome: 'skipped', reason: 'reentry-once' };
    throw error;
  }
  return { customerId, outcome: 'entered' };
}

/** Waits for the broadcast's next slot at its rate (shared by every worker), heartbeating meanwhile. */
async function paced(limiter: SendRateLimiter, key: string, ratePerSecond: number, signal: AbortSignal, heartbeat: () => void): Promise<void> {
  for (;;) {
    const slot = await limiter.reserve(key, ratePerSecond, SLOT_WAIT_MS);
    if (slot.reserved) {
      if (slot.waitMs > 0) await sleep(slot.waitMs, undefined, { signal });
      return;
    }
    heartbeat();
    await sleep(Math.min(slot.retryAfterMs, SLOT_WAIT_MS), undefined, { signal });
  }
}
