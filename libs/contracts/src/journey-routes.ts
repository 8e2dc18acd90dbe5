/**
 * How the gateway routes events to a journey: entry events start or signal the instance keyed by
 * `keyPath`; exit and listened events reach the instance with that key, or every running instance
 * of the customer when the event has no key.
 */
export interface JourneyRoute {
  journeyId: string;
  workflowType: string;
  entryEvents: string[];
  /** Dotted path into the event (`properties.cart_id`); without a value the key is the customer id. */
  keyPath?: string;
  exitEvents: string[];
  listensTo: string[];
}

export const abandonedCartRoute: JourneyRoute = {
  journeyId: 'abandoned-cart',
  workflowType: 'abandonedCart',
  entryEvents: ['Cart Updated'],
  keyPath: 'properties.cart_id',
  exitEvents: ['Order Completed'],
  listensTo: ['Cart Updated', 'Order Completed'],
};

/** Journeys known to this build. The journey-catalogue issue moves this into PostgreSQL. */
export const journeyRoutes: readonly JourneyRoute[] = [abandonedCartRoute];

export function readPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The instance key an event carries for a route: a non-empty string or number at keyPath. */
export function instanceKeyOf(route: JourneyRoute, event: unknown): string | undefined {
  if (!route.keyPath) return undefined;
  const value = readPath(event, route.keyPath);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && !value.includes('/')) return value.trim();
  return undefined;
}
