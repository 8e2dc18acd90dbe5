import type { JourneyInstanceEntity } from '@continuum/data';
import type { JourneyInstance } from './models/journey-instance.model';

/** The GraphQL view of a journey instance summary, shared by `profile` and `journeyInstance`. */
export function toJourneyInstance(instance: JourneyInstanceEntity): JourneyInstance {
  return {
    id: instance.instanceId,
    runId: instance.runId,
    journeyId: instance.journeyId,
    key: instance.instanceKey,
    status: instance.status,
    currentStep: instance.currentStep,
    exitReason: instance.exitReason,
    startedAt: instance.startedAt,
    endedAt: instance.endedAt,
  };
}
