import { patched } from '@temporalio/workflow';

/**
 * Every change Continuum made behind `patched()` up to this baseline. A new instance takes them all:
 * `patched()` returns true for each of them when it runs them first. Asking for each one separately
 * cost every new instance a marker and a `TemporalChangeVersion` upsert per change it passed — an
 * abandoned cart passed six, 12 of its 50 history events. `continuumPatched` asks once, for
 * the baseline, and answers every change in it from that one marker.
 *
 * Instances that started before the baseline have no baseline marker: for them `patched(baseline)` is
 * false (where they replay the point of their first change) and every change is asked for as before,
 * so their histories replay unchanged. An instance whose first change comes after this code took
 * over (no change was asked for in its history so far) gets the baseline: `patched()` would have
 * answered true for each change at that point too.
 *
 * A later change goes behind its own `patched()` (it is not in the set), until a new baseline takes
 * it in (a new id: the set of a baseline never changes, or instances started under it would replay
 * differently).
 */
export const BASELINE_2026_12_PATCH = 'continuum.baseline-2026-12';

const IN_BASELINE_2026_12: ReadonlySet<string> = new Set([
  // libs/journey
  'continuum.local-reads',
  'continuum.awaited-deliveries',
  'continuum.quiet-hours',
  'continuum.coalesced-attributes',
  'continuum.deferred-resets',
  'continuum.live-resets',
  'continuum.replies-during-send',
  'continuum.batched-journal',
  'continuum.send-reads',
  // workflows/conversations
  'continuum.conversation-local-activities',
  'continuum.agent-drain',
  'continuum.agent-handover',
  'continuum.topic-switch-when-sure',
  'continuum.known-facts',
]);

/** Whether the change `changeId` applies to this instance: `patched()`, one marker for the whole baseline. */
export function continuumPatched(changeId: string): boolean {
  if (IN_BASELINE_2026_12.has(changeId) && patched(BASELINE_2026_12_PATCH)) return true;
  return patched(changeId);
}
