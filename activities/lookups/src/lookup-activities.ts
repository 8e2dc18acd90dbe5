import { checkLookupParams, type LookupActivities, type LookupDefinition, type LookupResult } from '@continuum/contracts';
import { WarehouseError, type Warehouse } from '@continuum/data';
import { ApplicationFailure } from '@temporalio/common';

export interface LookupDefaults {
  /** Used when a lookup sets no `timeoutMs` (LOOKUP_TIMEOUT_MS). */
  timeoutMs: number;
  /** Used when a lookup sets no `maxRows` (LOOKUP_MAX_ROWS). */
  maxRows: number;
}

/**
 * Runs catalogued lookups against the warehouse. Only lookups in `lookups` can run (their SQL is
 * code, never input); results are recorded in history by the workflow that asked. A query that
 * times out or fails is final (a non-retryable failure of its own type); a lost connection retries.
 */
export function createLookupActivities(deps: {
  /** Undefined when WAREHOUSE_URL is unset: every lookup then fails with WarehouseNotConfigured. */
  warehouse: Warehouse | undefined;
  lookups: LookupDefinition[];
  defaults: LookupDefaults;
}): LookupActivities {
  const byName = new Map<string, LookupDefinition>();
  for (const lookup of deps.lookups) {
    if (byName.has(lookup.name)) throw new Error(`Two lookups are named "${lookup.name}"`);
    byName.set(lookup.name, lookup);
  }
  return {
    async runLookup({ name, params }): Promise<LookupResult> {
      const lookup = byName.get(name);
      if (!lookup) {
        throw ApplicationFailure.nonRetryable(`Unknown lookup "${name}" (known: ${[...byName.keys()].join(', ') || 'none'})`, 'UnknownLookup');
      }
      const problem = checkLookupParams(lookup, params);
      if (problem) throw ApplicationFailure.nonRetryable(problem, 'InvalidLookupParams');
      if (!deps.warehouse) {
        throw ApplicationFailure.nonRetryable(`Lookup "${name}" needs a warehouse: set WAREHOUSE_URL on the worker`, 'WarehouseNotConfigured');
      }
      try {
        return await deps.warehouse.read({
          text: lookup.text,
          values: lookup.order.map((param) => params[param]),
          timeoutMs: lookup.timeoutMs ?? deps.defaults.timeoutMs,
          maxRows: lookup.maxRows ?? deps.defaults.maxRows,
        });
      } catch (error) {
        if (!(error instanceof WarehouseError)) throw error;
        if (error.kind === 'timeout') throw ApplicationFailure.nonRetryable(`Lookup "${name}": ${error.message}`, 'LookupTimeout');
        if (error.kind === 'query') throw ApplicationFailure.nonRetryable(`Lookup "${name}" failed: ${error.message}`, 'LookupFailed', { code: error.code });
        throw ApplicationFailure.retryable(`Lookup "${name}": ${error.message}`, 'WarehouseUnavailable');
      }
    },
  };
}
