import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import {
  customerEventSignal,
  CustomerIdKey,
  InstanceKeyKey,
  JourneyIdKey,
  readPath,
  type CustomerEvent,
  type JourneyDescriptor,
  type JourneyInput,
} from '@continuum/contracts';
import type { JourneyCatalogueStore } from '@continuum/data';
import { parseDuration } from '@continuum/domain';
import { withPayloadOwner } from './payload-owner-context';

/**
 * How a customer enters a journey, whoever asks: the gateway for an entry event, a broadcast for
 * each member of its audience. One instance per (journey, customer, key), started with
 * signalWithStart on its readable workflow id, after the journey's re-entry policy.
 */

/** The instance key an event carries at `path`: a non-empty string or number without "/". */
export function instanceKeyAt(path: string | undefined, event: unknown): string | undefined {
  if (!path) return undefined;
  const value = readPath(event, path);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && !value.includes('/')) return value.trim();
  return undefined;
}

/** Why the re-entry policy refuses a new instance: entered before (`once`), or within the cool-down (`after`). */
export type ReentryRefusal = 'reentry-once' | 'reentry-cooldown';

/**
 * The re-entry policy: `always`, `once` (remembered in PostgreSQL — this records the entry, for the
 * instance `workflowId`) or `after` a cool-down since the instance with this id last ended.
 * Undefined when the customer may enter. Under `once`, an entry event for the instance that holds
 * the entry may go on to it while it has not ended: it may still be being started by whoever
 * claimed the entry a moment before (another gateway, a broadcast, this gateway's failed attempt).
 * Start it with `startJourneyInstance`, which never starts a second run under `once`.
 */
export async function reentryRefusal(
  descriptor: JourneyDescriptor,
  entries: Pick<JourneyCatalogueStore, 'claimFirstEntry' | 'lastEndedAt'>,
  entrant: { workspaceId: string; userId: string; workflowId: string },
): Promise<ReentryRefusal | undefined> {
  const policy = descriptor.reentry;
  if (policy === 'always') return undefined;
  if (policy === 'once') {
    const claim = await entries.claimFirstEntry(entrant.workspaceId, descriptor.id, entrant.userId, entrant.workflowId);
    if (claim === 'first') return undefined;
    if (claim === 'entered-before') return 'reentry-once';
    return (await entries.lastEndedAt(entrant.workflowId)) ? 'reentry-once' : undefined;
  }
  const endedAt = await entries.lastEndedAt(entrant.workflowId);
  return !endedAt || Date.now() - endedAt.getTime() >= parseDuration(policy.after) ? undefined : 'reentry-cooldown';
}

/**
 * Starts the instance with the event, or delivers the event to it if it runs (signalWithStart),
 * with the search attributes the Web UI filters on. `memo` is kept on a started instance. Under
 * `once` an instance that has already run is never started again: that throws
 * WorkflowExecutionAlreadyStartedError (see `isOnceRefusal`).
 */
export async function startJourneyInstance(
  client: Client,
  options: {
    descriptor: JourneyDescriptor;
    taskQueue: string;
    customer: string;
    key: string;
    workflowId: string;
    event: CustomerEvent;
    memo?: Record<string, unknown>;
    /** TASK_PRIORITY.live for a customer's own event, .bulk for an import or a broadcast (kept by the instance). */
    priorityKey?: number;
  },
): Promise<string> {
  const { descriptor, customer, key, event } = options;
  const input: JourneyInput = { journeyId: descriptor.id, workspaceId: event.workspaceId, customerId: event.userId, key };
  // The memo and anything else without an owner of its own are the customer's too (payload-owner.ts).
  await withPayloadOwner({ workspaceId: event.workspaceId, customerId: event.userId }, () => client.workflow.signalWithStart(descriptor.workflowType, {
    workflowId: options.workflowId,
    taskQueue: options.taskQueue,
    // Two entrants of one `once` entry may both get here: the later one signals the running instance, or is refused once it closed.
    ...(descriptor.reentry === 'once' ? { workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE } : {}),
    args: [input],
    signal: customerEventSignal,
    signalArgs: [event],
    typedSearchAttributes: [
      { key: CustomerIdKey, value: customer },
      { key: JourneyIdKey, value: descriptor.id },
      { key: InstanceKeyKey, value: key },
    ],
    ...(options.memo ? { memo: options.memo } : {}),
    ...(options.priorityKey !== undefined ? { priority: { priorityKey: options.priorityKey } } : {}),
    staticSummary: `${descriptor.id} for ${customer} (${key})`,
  }));
  return options.workflowId;
}

/** True when `startJourneyInstance` was refused because the `once` instance has already run and closed. */
export function isOnceRefusal(descriptor: JourneyDescriptor, error: unknown): boolean {
  return descriptor.reentry === 'once' && error instanceof WorkflowExecutionAlreadyStartedError;
}
