import type { JourneyInstanceEntity } from '@continuum/data';
import type { JourneyInstance, JourneyInstanceStatus } from './models/journey-instance.model';

/** The GraphQL view of a journey instance (one run), wherever the API returns one. */
export function toJourneyInstance(instance: JourneyInstanceEntity): JourneyInstance {
  return {
    workflowId: instance.instanceId,
    runId: instance.runId,
    journeyId: instance.journeyId,
    journeyVersion: instance.journeyVersion ?? null,
    customerId: instance.customerId,
    key: instance.instanceKey,
    status: instance.status as JourneyInstanceStatus,
    currentStep: instance.currentStep,
    exitReason: instance.exitReason,
    startedAt: instance.startedAt,
    updatedAt: instance.updatedAt,
    endedAt: instance.endedAt,
  };
}
