import { GatewayException } from '../common/gateway-exception';
import { localIdOf, toGlobalId } from './global-id';

/**
 * A journey instance is one run of a workflow: the global id of a `JourneyInstance` holds both, as
 * the local id `<runId>:<instanceId>` (a Temporal run id has no colon; an instance id may).
 */
export const JOURNEY_INSTANCE_TYPE = 'JourneyInstance';

export interface JourneyInstanceKey {
  instanceId: string;
  runId: string;
}

export function journeyInstanceLocalId(key: JourneyInstanceKey): string {
  return `${key.runId}:${key.instanceId}`;
}

export function journeyInstanceGlobalId(key: JourneyInstanceKey): string {
  return toGlobalId(JOURNEY_INSTANCE_TYPE, journeyInstanceLocalId(key));
}

/** The instance and run of a local id; undefined when it has no run part (not made by journeyInstanceLocalId). */
export function parseJourneyInstanceLocalId(localId: string): JourneyInstanceKey | undefined {
  const colon = localId.indexOf(':');
  if (colon < 1 || colon === localId.length - 1) return undefined;
  return { runId: localId.slice(0, colon), instanceId: localId.slice(colon + 1) };
}

/** The instance and run named by `id`, the global id of a JourneyInstance; else BAD_USER_INPUT naming `field`. */
export function journeyInstanceKeyOf(id: string, field: string): JourneyInstanceKey {
  const key = parseJourneyInstanceLocalId(localIdOf(id, JOURNEY_INSTANCE_TYPE, field));
  if (!key) throw GatewayException.badInput(field, `"${id}" is not an id this API handed out`);
  return key;
}
