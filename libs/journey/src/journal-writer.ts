import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { JourneyStatusKey, JourneyStepKey, type JournalEntryInput, type JournalEntryType, type JourneyInput, type JourneyStatus } from '@continuum/contracts';
import { BATCHED_JOURNAL_PATCH, COALESCED_ATTRIBUTES_PATCH, DEFERRED_RESETS_PATCH, journalActivities, LIVE_RESETS_PATCH } from './activities';
import type { CarriedState } from './carried-state';
import { continuumPatched } from './patches';

/** Deferred journal entries held in memory at most; the next deferral writes them all. */
const DEFERRED_LIMIT = 20;

/** What the writer reads of the instance as it is at the moment of writing. */
export interface JournalSubject {
  readonly input: JourneyInput;
  readonly state: CarriedState;
  status(): JourneyStatus;
  customerId(): string;
}

/**
 * Where a journey instance tells what it does: the journal in PostgreSQL (one entry per step, in
 * `seq` order), the search attributes and the current details the Web UI shows.
 */
export class JournalWriter {
  /** Context updates undone for size, journaled at the next step. */
  private readonly rejectedContextUpdates: Array<Record<string, unknown>> = [];
  /** Journal entries signal handlers asked for; written before the next step's entry. */
  private readonly pendingJournal: Array<{ type: JournalEntryType; detail: Record<string, unknown>; step?: string; at?: string; status?: JourneyStatus }> = [];
  /** Whether deferred entries wait for the next write (patch), or are written at once. */
  private deferring: boolean | undefined;

  /** Whether step changes are upserted once, when the instance next waits, sends or ends (patch). */
  private coalesced: boolean | undefined;
  /** A step change not yet upserted (coalesced mode). */
  private attributesBehind = false;

  /** Whether entries are kept until the instance next blocks, then written together (patch). */
  private batched: boolean | undefined;
  /** Entries kept (batched mode), written by `settle`. */
  private readonly unwritten: JournalEntryInput[] = [];

  constructor(private readonly subject: JournalSubject) {}

  /** Journals a context update undone for size, before the next step's entry. */
  noteRejectedContext(detail: Record<string, unknown>): void {
    this.rejectedContextUpdates.push(detail);
  }

  /** Journals an entry a signal handler asked for (it cannot await), before the next step's entry. */
  queue(type: JournalEntryType, detail: Record<string, unknown>): void {
    this.pendingJournal.push({ type, detail });
  }

  async record(type: JournalEntryType, step: string, detail: Record<string, unknown>): Promise<void> {
    await this.flushJournal();
    await this.write(type, step, detail);
  }

  /**
   * Journals a timer reset. Instances that started while resets were deferred (patch
   * continuum.deferred-resets, and not continuum.live-resets) journal it with their next entry, with
   * its own step and time (at most DEFERRED_LIMIT wait; continue-as-new and the end write them);
   * every other instance writes it at once, so the operator's timeline shows each reset as it
   * happens — deferring saved one billed action per reset but hid resets until the wait ended.
   */
  async defer(type: JournalEntryType, step: string, detail: Record<string, unknown>): Promise<void> {
    this.deferring ??= !continuumPatched(LIVE_RESETS_PATCH) && continuumPatched(DEFERRED_RESETS_PATCH);
    if (!this.deferring) return this.record(type, step, detail);
    this.pendingJournal.push({ type, step, detail, at: new Date().toISOString(), status: this.subject.status() });
    if (this.pendingJournal.length >= DEFERRED_LIMIT) await this.flushJournal();
  }

  /** Before continue-as-new: the deferred entries are written (the next run does not carry them). */
  async flushDeferred(): Promise<void> {
    // Only where this run deferred: a run that did not continues as new as it did, queued entries unwritten.
    if (this.deferring) await this.flushJournal();
    const writing = this.settle();
    if (writing) await writing;
  }

  /** Writes the entries waiting (context updates undone, entries queued or deferred). */
  async flushJournal(): Promise<void> {
    const { state } = this.subject;
    for (const rejected of this.rejectedContextUpdates.splice(0)) await this.write('context.rejected', state.step, rejected);
    for (const pending of this.pendingJournal.splice(0)) await this.write(pending.type, pending.step ?? state.step, pending.detail, pending.at, pending.status);
  }

  /**
   * The instance is at `step`. Its search attributes follow when it next waits, sends, looks up,
   * continues as new or ends (`flushAttributes`): the Web UI sees them only when a workflow task
   * completes, so the steps it passes within one task need no upsert each — every upsert is a billed
   * Temporal Cloud action. Instances that upserted at every step before keep doing so.
   */
  moveTo(step: string): void {
    this.subject.state.step = step;
    this.coalesced ??= continuumPatched(COALESCED_ATTRIBUTES_PATCH);
    if (this.coalesced) this.attributesBehind = true;
    else this.upsertAttributes();
  }

  /** Upserts the step and status if a step change has not been upserted yet. */
  flushAttributes(): void {
    if (!this.attributesBehind) return;
    this.attributesBehind = false;
    this.upsertAttributes();
  }

  private upsertAttributes(): void {
    upsertSearchAttributes([
      { key: JourneyStepKey, value: this.subject.state.step },
      { key: JourneyStatusKey, value: this.subject.status() },
    ]);
  }

  /**
   * Before the instance blocks — waits, looks up, makes a request, continues as new, ends or fails
   * (not before a send: its entries go with the next of those) — writes the entries kept since it
   * last did, in order, as one local activity, so the journal is complete whenever the instance is
   * seen waiting. Returns undefined when there is nothing to write, so that callers do not await at all
   * (instances that write each entry at once run exactly as they did): `const writing =
   * journal.settle(); if (writing) await writing;`.
   */
  settle(): Promise<void> | undefined {
    if (this.unwritten.length === 0) return undefined;
    return journalActivities.recordJournalEntries(this.unwritten.splice(0));
  }

  describe(what: string): void {
    const { input, state } = this.subject;
    setCurrentDetails(
      `**${input.journeyId}** for customer \`${this.subject.customerId()}\`, key \`${input.key}\`\n\n` +
        `Step: \`${state.step}\` — ${what}${state.paused ? ' (journey paused)' : ''}\n\n` +
        `Events accepted: ${state.received}; timer resets: ${state.timerResets}`,
    );
  }

  private async write(type: JournalEntryType, step: string, detail: Record<string, unknown>, at = new Date().toISOString(), status = this.subject.status()): Promise<void> {
    const { input, state } = this.subject;
    state.seq += 1;
    const entry: JournalEntryInput = {
      workspaceId: input.workspaceId,
      instanceId: workflowInfo().workflowId,
      runId: workflowInfo().firstExecutionRunId,
      journeyId: input.journeyId,
      customerId: this.subject.customerId(),
      key: input.key,
      seq: state.seq,
      type,
      step,
      status,
      detail,
      at,
    };
    this.batched ??= continuumPatched(BATCHED_JOURNAL_PATCH);
    if (this.batched) this.unwritten.push(entry);
    else await journalActivities.recordJournalEntry(entry);
  }
}
