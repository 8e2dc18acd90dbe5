import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  customerEventSignal,
  customerRef,
  CustomerIdKey,
  instanceKeyOf,
  InstanceKeyKey,
  JourneyIdKey,
  journeyRoutes,
  journeyWorkflowId,
  type CustomerEvent,
  type JourneyInput,
  type JourneyRoute,
} from '@continuum/contracts';
import type { GatewayConfig } from '@continuum/config';
import type { TemporalClientHandle } from '@continuum/temporal';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';

/**
 * Delivers accepted events to journey instances: entry events through signalWithStart on the
 * readable workflow id (so a burst makes one instance), exit and listened events to the instance
 * with the event's key, or to every running instance of the customer when it carries none.
 */
@Injectable()
export class EventRouter {
  private readonly logger = new Logger(EventRouter.name);

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async route(workspaceSlug: string, event: CustomerEvent): Promise<string[]> {
    const delivered: string[] = [];
    for (const route of journeyRoutes) {
      delivered.push(...(await this.routeTo(route, workspaceSlug, event)));
    }
    return delivered;
  }

  private async routeTo(route: JourneyRoute, workspaceSlug: string, event: CustomerEvent): Promise<string[]> {
    const name = event.event;
    if (!name) return [];
    const key = instanceKeyOf(route, event);
    const customer = customerRef(workspaceSlug, event.userId);
    if (route.entryEvents.includes(name)) {
      if (route.keyPath && key === undefined) {
        this.logger.warn(`${name} for ${customer} has no ${route.keyPath}; journey ${route.journeyId} not entered`);
        return [];
      }
      const instanceKey = key ?? event.userId;
      const workflowId = journeyWorkflowId(route.journeyId, customer, instanceKey);
      const input: JourneyInput = { journeyId: route.journeyId, workspaceId: event.workspaceId, customerId: event.userId, key: instanceKey };
      await this.temporal.client.workflow.signalWithStart(route.workflowType, {
        workflowId,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [input],
        signal: customerEventSignal,
        signalArgs: [event],
        typedSearchAttributes: [
          { key: CustomerIdKey, value: customer },
          { key: JourneyIdKey, value: route.journeyId },
          { key: InstanceKeyKey, value: instanceKey },
        ],
      });
      return [workflowId];
    }
    if (!route.listensTo.includes(name) && !route.exitEvents.includes(name)) return [];
    const targets =
      key !== undefined ? [journeyWorkflowId(route.journeyId, customer, key)] : await this.runningInstances(route.journeyId, customer);
    const delivered: string[] = [];
    for (const workflowId of targets) {
      try {
        await this.temporal.client.workflow.getHandle(workflowId).signal(customerEventSignal, event);
        delivered.push(workflowId);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    return delivered;
  }

  private async runningInstances(journeyId: string, customer: string): Promise<string[]> {
    const ids: string[] = [];
    const query = `JourneyId = '${escapeQuery(journeyId)}' AND CustomerId = '${escapeQuery(customer)}' AND ExecutionStatus = 'Running'`;
    for await (const execution of this.temporal.client.workflow.list({ query })) ids.push(execution.workflowId);
    return ids;
  }
}

function escapeQuery(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
