import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { customerEventSignal, customerRef, journeyWorkflowId, matchesFilter, TASK_PRIORITY, type CustomerEvent, type JourneyDescriptor } from '@continuum/contracts';
import type { GatewayConfig } from '@continuum/config';
import { IdentityStore, JourneyCatalogueStore, ProfileStore } from '@continuum/data';
import { instanceKeyAt, isOnceRefusal, reentryRefusal, startJourneyInstance, type TemporalClientHandle } from '@continuum/temporal';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { JourneyCatalogueCache } from '../catalogue/journey-catalogue.cache';
import type { RoutingLane } from './event-outbox';
import { escapeQuery, inList } from './visibility-query';

/** The journey instance an inbound message replies to (`properties.in_reply_to`, set by the gateway). */
function repliedInstance(event: CustomerEvent): { instanceId: string; journeyId: string } | undefined {
  if (event.event !== 'Message Received') return undefined;
  const reply = event.properties['in_reply_to'] as Record<string, unknown> | undefined;
  const instanceId = reply?.['instance_id'];
  const journeyId = reply?.['journey_id'];
  return typeof instanceId === 'string' && typeof journeyId === 'string' ? { instanceId, journeyId } : undefined;
}

/**
 * Delivers accepted events to journey instances, as the catalogue describes each journey: entry
 * events through signalWithStart on the readable workflow id (so a burst makes one instance), with
 * the re-entry policy applied; exit and listened events to the instance with the event's key, or
 * to every running instance of the customer when it carries none.
 */
@Injectable()
export class EventRouter {
  private readonly logger = new Logger(EventRouter.name);

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly catalogue: JourneyCatalogueCache,
    private readonly journeys: JourneyCatalogueStore,
    private readonly profiles: ProfileStore,
    private readonly identities: IdentityStore,
  ) {}

  async route(workspaceSlug: string, event: CustomerEvent, lane: RoutingLane = 'live'): Promise<string[]> {
    if (!event.event) return [];
    const delivered: string[] = [];
    const statuses = await this.catalogue.workspaceStatuses(event.workspaceId);
    let merged: string[] | undefined;
    for (const descriptor of await this.catalogue.descriptors()) {
      if (!descriptor.listensTo.includes(event.event)) continue;
      const status = statuses.get(descriptor.id)?.status ?? 'published';
      if (status === 'archived') continue;
      // Customers merged into this one (an anonymous visitor who identified): their instances are this customer's.
      merged ??= (await this.identities.mergedInto(event.workspaceId, event.userId)).map((customer) => customerRef(workspaceSlug, customer));
      delivered.push(...(await this.routeTo(descriptor, status === 'published', workspaceSlug, event, merged, lane)));
    }
    return delivered;
  }

  private async routeTo(
    descriptor: JourneyDescriptor,
    acceptsEntries: boolean,
    workspaceSlug: string,
    event: CustomerEvent,
    merged: string[],
    lane: RoutingLane,
  ): Promise<string[]> {
    const name = event.event!;
    const customer = customerRef(workspaceSlug, event.userId);
    const key = descriptor.key ? instanceKeyAt(descriptor.key, event) : event.userId;
    // The same key's instance, started while the customer was anonymous, goes on with this event.
    // (A journey without a key has one instance per customer: the merged customer's, whatever its key.)
    const adopted =
      key !== undefined && merged.length > 0
        ? ((await this.mergedInstance(descriptor.id, merged, descriptor.key ? key : undefined)) ??
          (await this.identities.mergedRunningInstance(event.workspaceId, event.userId, descriptor.id, descriptor.key ? key : undefined, journeyWorkflowId(descriptor.id, customer, key))))
        : undefined;
    if (adopted) return this.signal([adopted], event);
    if (descriptor.entry.events.includes(name) && key !== undefined && acceptsEntries && (await this.passesEntryFilter(descriptor, event))) {
      const workflowId = journeyWorkflowId(descriptor.id, customer, key);
      if (await this.mayEnter(descriptor, event, workflowId)) {
        try {
          return [await this.enter(descriptor, event, customer, key, workflowId, lane)];
        } catch (error) {
          // `once`: the instance this entry belonged to ran and closed meanwhile.
          if (isOnceRefusal(descriptor, error)) return [];
          throw error;
        }
      }
      return this.signal([workflowId], event);
    }
    if (descriptor.entry.events.includes(name) && key === undefined && descriptor.key) {
      this.logger.warn({ msg: `${name} for ${customer} has no ${descriptor.key}; journey ${descriptor.id} not entered`, customerId: customer, journeyId: descriptor.id });
    }
    // A reply to a journey's message (correlated when it arrived) reaches that instance alone.
    const replyTo = repliedInstance(event);
    if (replyTo) return replyTo.journeyId === descriptor.id ? this.signal([replyTo.instanceId], event) : [];
    const targets = key !== undefined ? [journeyWorkflowId(descriptor.id, customer, key)] : await this.runningInstances(descriptor.id, [customer, ...merged]);
    return this.signal(targets, event);
  }

  private async passesEntryFilter(descriptor: JourneyDescriptor, event: CustomerEvent): Promise<boolean> {
    const where = descriptor.entry.where;
    if (!where) return true;
    const needsTraits = Object.keys(where).some((path) => path.startsWith('traits.'));
    const traits = needsTraits ? ((await this.profiles.get(event.workspaceId, event.userId))?.traits ?? {}) : {};
    return matchesFilter(where, { event: event.event, properties: event.properties, traits, context: {} });
  }

  /** The re-entry policy: `always`, `once` (remembered in PostgreSQL) or `after` a cool-down. */
  private async mayEnter(descriptor: JourneyDescriptor, event: CustomerEvent, workflowId: string): Promise<boolean> {
    return (await reentryRefusal(descriptor, this.journeys, { workspaceId: event.workspaceId, userId: event.userId, workflowId })) === undefined;
  }

  private enter(descriptor: JourneyDescriptor, event: CustomerEvent, customer: string, key: string, workflowId: string, lane: RoutingLane): Promise<string> {
    return startJourneyInstance(this.temporal.client, {
      descriptor,
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      customer,
      key,
      workflowId,
      event,
      priorityKey: TASK_PRIORITY[lane],
    });
  }

  private async signal(workflowIds: string[], event: CustomerEvent): Promise<string[]> {
    const delivered: string[] = [];
    for (const workflowId of workflowIds) {
      try {
        await this.temporal.client.workflow.getHandle(workflowId).signal(customerEventSignal, event);
        delivered.push(workflowId);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    return delivered;
  }

  private async runningInstances(journeyId: string, customers: string[]): Promise<string[]> {
    const ids: string[] = [];
    const query = `JourneyId = '${escapeQuery(journeyId)}' AND ${inList('CustomerId', customers)} AND ExecutionStatus = 'Running'`;
    for await (const execution of this.temporal.client.workflow.list({ query })) ids.push(execution.workflowId);
    return ids;
  }

  /** A running instance of `journeyId` with this key that belonged to a customer merged into this one. */
  private async mergedInstance(journeyId: string, merged: string[], key: string | undefined): Promise<string | undefined> {
    const byKey = key === undefined ? '' : ` AND InstanceKey = '${escapeQuery(key)}'`;
    const query = `JourneyId = '${escapeQuery(journeyId)}'${byKey} AND ${inList('CustomerId', merged)} AND ExecutionStatus = 'Running'`;
    for await (const execution of this.temporal.client.workflow.list({ query })) return execution.workflowId;
    return undefined;
  }
}
