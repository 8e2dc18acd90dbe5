import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { checkLookupParams, LOOKUP_ERROR_TYPES, type LookupDefinition, type LookupErrorType, type LookupParamValue, type LookupResult } from '@continuum/contracts';
import { warehouse } from './activities';

/** A lookup's rows, or why it has none (recorded as is in history, then journaled and thrown by JourneyRun). */
export type LookupOutcome = ({ ok: true } & LookupResult) | { ok: false; type: LookupErrorType; message: string };

/** Checks a lookup's parameters and runs it on the warehouse: a failure is a value, never an exception. */
export async function callLookup(lookup: LookupDefinition | string, params: Record<string, LookupParamValue>): Promise<LookupOutcome> {
  const name = typeof lookup === 'string' ? lookup : lookup.name;
  const problem = typeof lookup === 'string' ? undefined : checkLookupParams(lookup, params);
  if (problem) return { ok: false, type: 'InvalidLookupParams', message: problem };
  try {
    const result = await warehouse(`lookup ${name}`).runLookup({ name, params });
    return { ok: true, ...result };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure ? error.cause : undefined;
    const type = (LOOKUP_ERROR_TYPES as readonly string[]).includes(cause?.type ?? '') ? (cause!.type as LookupErrorType) : 'WarehouseUnavailable';
    return { ok: false, type, message: cause?.message ?? error.cause?.message ?? error.message };
  }
}
