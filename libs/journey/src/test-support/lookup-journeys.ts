// Small journeys that exercise lookups; bundled only by lookups.test.ts.
import { defineLookup } from '@continuum/contracts';
import { defineJourney } from '../define-journey';
import { LookupError } from '../payload';

// These journeys each exercise one semantic, not a catalogue graph: their step ids are not declared.
const steps = [{ id: 'entry', kind: 'entry' as const, label: 'Entry' }];

export const recentOrders = defineLookup({
  name: 'recent-orders',
  sql: 'SELECT order_id, total FROM orders WHERE user_id = :user_id ORDER BY order_id',
  params: ['user_id'],
  maxRows: 2,
});
export const brokenLookup = defineLookup({ name: 'broken', sql: 'SELECT no_such_column FROM orders', params: [] });
export const testLookups = [recentOrders, brokenLookup];

/** Reads the customer's orders (capped at 2 rows) and completes with what it read. */
export const ordersDigest = defineJourney({
  id: 'orders-digest',
  version: 1,
  description: 'lookup with a row cap',
  entry: { events: ['Digest Requested'] },
  steps,
  dynamicStepIds: true,
  async run(journey) {
    const orders = await journey.lookup(recentOrders, { user_id: journey.customerId });
    await journey.delay('1 hour', { step: 'pause' });
    // A second read after the delay: lookups are fresh reads, not cached per instance.
    const later = await journey.lookup(recentOrders, { user_id: journey.customerId });
    return journey.complete({ orders: orders.rows, truncated: orders.truncated, laterCount: later.rows.length });
  },
});

/** Catches a failing lookup and carries on without it. */
export const lookupFallback = defineJourney({
  id: 'lookup-fallback',
  version: 1,
  description: 'a caught LookupError',
  entry: { events: ['Fallback Requested'] },
  steps,
  dynamicStepIds: true,
  async run(journey) {
    try {
      await journey.lookup(brokenLookup, {});
      return journey.complete({ fellBack: false });
    } catch (error) {
      if (!(error instanceof LookupError)) throw error;
      return journey.complete({ fellBack: true, lookup: error.lookup, errorType: error.type });
    }
  },
});

/** Names a lookup the worker does not have, and does not catch the error (the default applies). */
export const unknownLookup = defineJourney({
  id: 'unknown-lookup',
  version: 1,
  description: 'an uncaught LookupError',
  entry: { events: ['Unknown Requested'] },
  steps,
  dynamicStepIds: true,
  async run(journey) {
    const payload = await journey.payload({ lookups: { missing: ['no-such-lookup', { user_id: journey.customerId }] }, step: 'read' });
    return journey.complete({ lookups: payload.lookups });
  },
});
