import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import {
  LOOKUP_ERROR_TYPES,
  type DeliveryWatchActivities,
  type ExperimentActivities,
  type JournalActivities,
  type JourneySettingsActivities,
  type LookupActivities,
  type MessagingActivities,
  type MessagingPolicyActivities,
  type ProfileActivities,
  type RequestActivities,
  type SendTimeActivities,
  REQUEST_FINAL_ERROR_TYPES,
} from '@continuum/contracts';
import { continuumPatched } from './patches';

// The activities a journey reaches, and the patch ids that keep running instances replaying as they ran.

export const journalActivities = proxyLocalActivities<JournalActivities>({ startToCloseTimeout: '30 seconds' });
export type Reads = ProfileActivities & JourneySettingsActivities & MessagingPolicyActivities;
const remoteReads = proxyActivities<Reads>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
/**
 * The profile, settings and policy reads are short PostgreSQL reads: as local activities they run
 * inside the workflow task that asks for them, instead of costing an activity task and another
 * workflow task each on the Temporal server (the fire-out of many waiting journeys was bound by
 * those round trips: bench `waiting`). Past a minute of retries they back off on durable timers.
 */
const localReads = proxyLocalActivities<Reads>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds' },
});
/** Instances that made a read as an activity before this change keep doing so where they replay it. */
export const LOCAL_READS_PATCH = 'continuum.local-reads';
export const reads = (): Reads => (continuumPatched(LOCAL_READS_PATCH) ? localReads : remoteReads);
/** Instances that waited for a delivery before reports were signalled only for awaited messages wait as they did. */
export const AWAITED_DELIVERIES_PATCH = 'continuum.awaited-deliveries';
/** Instances that started before quiet hours applied to journey sends replay without them. */
export const QUIET_HOURS_PATCH = 'continuum.quiet-hours';
/** Instances that upserted their search attributes at every step before they were upserted once per wait, send or end. */
export const COALESCED_ATTRIBUTES_PATCH = 'continuum.coalesced-attributes';
/** Instances that journaled each timer reset at once before resets waited for the next entry. */
export const DEFERRED_RESETS_PATCH = 'continuum.deferred-resets';
/**
 * Timer resets are journaled at once again (the operator's timeline shows each as it happens); only
 * instances that started while resets were deferred keep deferring them.
 */
export const LIVE_RESETS_PATCH = 'continuum.live-resets';
/** Instances that waited for a reply before a reply arriving during the send counted replay as they waited. */
export const REPLIES_DURING_SEND_PATCH = 'continuum.replies-during-send';
/**
 * Journal entries are kept until the instance next blocks (waits, sends, looks up, requests,
 * continues as new, ends or fails) and written then, together, by one local activity — instead of one
 * local activity each. Instances that started before write each at once, as they did.
 */
export const BATCHED_JOURNAL_PATCH = 'continuum.batched-journal';
/**
 * A send reads the profile and the messaging policy it decides on in one local activity
 * (`getSendReads`) instead of two; instances that read them apart before keep doing so.
 */
export const SEND_READS_PATCH = 'continuum.send-reads';
/**
 * A wait whose event is already here (a journey started with its first events, a reply that came
 * during the send) does not block: it neither upserts the step nor writes the journal before it —
 * those go with the next wait, send or end, in the same workflow task. Instances that did before keep doing so.
 */
export const READY_WAITS_PATCH = 'continuum.ready-waits';
export const deliveryWatch = proxyLocalActivities<DeliveryWatchActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds' },
});
/** An experiment's winner rule: counts the experiment's results (a PostgreSQL read). */
export const experimentReads = proxyLocalActivities<ExperimentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
/** Send-time optimisation: bounded PostgreSQL reads of engagement (a market's counted once per quarter hour). */
export const sendTimeReads = proxyLocalActivities<SendTimeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
export const messaging = (summary: string) =>
  proxyActivities<MessagingActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: ['InvalidSendRequest'] },
    summary,
  });

export const warehouse = (summary: string) =>
  proxyActivities<LookupActivities>({
    startToCloseTimeout: '1 minute',
    // A lost warehouse connection retries for a few minutes at most: the send is waiting on it.
    retry: { maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes: [...LOOKUP_ERROR_TYPES] },
    summary,
  });

/** A journey's HTTP request step: retried with backoff up to `attempts` times, never for a final failure (refused, invalid, too large). */
export const requests = (summary: string, attempts: number, timeoutMs: number) =>
  proxyActivities<RequestActivities>({
    // The request's own timeout bounds each attempt; this bounds the activity around it (signing, secret read).
    startToCloseTimeout: timeoutMs + 10_000,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: attempts, nonRetryableErrorTypes: [...REQUEST_FINAL_ERROR_TYPES] },
    summary,
  });
