import type { JourneyDescriptor } from '@continuum/contracts';
import * as conversations from '@continuum/conversations';
import * as journeys from '@continuum/journeys';

/**
 * The descriptors of every journey this worker runs, checked against the export names Temporal
 * registers the workflows under (a mismatch would make the gateway start an unknown type).
 */
export function journeyDescriptors(modules: Record<string, unknown> = { ...journeys, ...conversations }): JourneyDescriptor[] {
  const descriptors: JourneyDescriptor[] = [];
  for (const [exportName, value] of Object.entries(modules)) {
    const descriptor = (value as { descriptor?: JourneyDescriptor } | undefined)?.descriptor;
    if (typeof value !== 'function' || !descriptor) continue;
    if (descriptor.workflowType !== exportName) {
      throw new Error(`Journey "${descriptor.id}" must be exported as "${descriptor.workflowType}", not "${exportName}"`);
    }
    descriptors.push(descriptor);
  }
  return descriptors;
}
