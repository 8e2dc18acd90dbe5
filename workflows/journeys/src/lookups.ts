import { defineLookup, type LookupDefinition } from '@continuum/contracts';

// The workspace's lookups: named, read-only queries against the warehouse (WAREHOUSE_URL) that
// journeys make at send time. The worker runs only lookups listed in `workspaceLookups`.

/** A customer's loyalty balance: one row `{ points, tier }`, or none without an account. */
export const loyaltyPoints = defineLookup({
  name: 'loyalty-points',
  sql: 'SELECT points, tier FROM loyalty_accounts WHERE user_id = :user_id',
  params: ['user_id'],
});

export const workspaceLookups: LookupDefinition[] = [loyaltyPoints];
