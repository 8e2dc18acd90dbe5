import type { JourneyDescriptor } from '@continuum/contracts';
import * as conversations from '@continuum/conversations';
import { undeclaredStepMessage } from '@continuum/journey';
import * as journeys from '@continuum/journeys';

/**
 * The descriptors of every journey this worker runs, checked against the export names Temporal
 * registers the workflows under (a mismatch would make the gateway start an unknown type) and
 * against the step ids their `run` writes (one missing from `steps` would fail instances at run time):
 * the worker refuses to start rather than poll with either.
 */
export function journeyDescriptors(modules: Record<string, unknown> = { ...journeys, ...conversations }): JourneyDescriptor[] {
  const descriptors: JourneyDescriptor[] = [];
  for (const [exportName, value] of Object.entries(modules)) {
    const { descriptor, stepCheck } = (value as { descriptor?: JourneyDescriptor; stepCheck?: { undeclared: string[] } } | undefined) ?? {};
    if (typeof value !== 'function' || !descriptor) continue;
    if (descriptor.workflowType !== exportName) {
      throw new Error(`Journey "${descriptor.id}" must be exported as "${descriptor.workflowType}", not "${exportName}"`);
    }
    const [undeclared] = stepCheck?.undeclared ?? [];
    if (undeclared !== undefined) throw new Error(undeclaredStepMessage(descriptor.id, undeclared));
    descriptors.push(descriptor);
  }
  return descriptors;
}
