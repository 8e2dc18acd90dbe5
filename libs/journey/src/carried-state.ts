import type { CustomerEvent, SettingValue } from '@continuum/contracts';

/** Events kept in the carried state (the most recent). */
export const EVENTS_KEPT = 50;
/** Message ids remembered to ignore a repeated event. */
export const SEEN_IDS_KEPT = 500;

/** What survives continue-as-new: the journey author never sees it. */
export interface CarriedState {
  seq: number;
  context: Record<string, unknown>;
  events: ReceivedEvent[];
  received: number;
  /** Events accepted per name, for counting resets however many arrive at once. */
  counts: Record<string, number>;
  seenMessageIds: string[];
  memo: unknown[];
  inProgress?: { index: number; state: Record<string, number> };
  settings: Record<string, SettingValue>;
  startedAt: number;
  timerResets: number;
  step: string;
  paused: boolean;
  continuedAsNew: number;
  /** Set when the instance's customer was merged into another (see customerMergedSignal). */
  customerId?: string;
  /** Set once an experiment put the instance in its control group (the experiment's step): later sends are skipped. */
  controlGroup?: string;
  /** The latest status reported for this instance's recent messages, by message id. */
  deliveries?: Record<string, { status: string; errorCode: number | null }>;
}

export interface ReceivedEvent extends CustomerEvent {
  /** Position among every event this instance accepted (across continue-as-new). */
  index: number;
  /** True for events carried from an earlier run (their handlers already ran). */
  carried?: boolean;
}

/** Thrown inside a wait when the journey must end now (exit event, archive, max lifetime). */
export class JourneyExit extends Error {
  constructor(readonly reason: string) {
    super(`journey exited: ${reason}`);
    this.name = 'JourneyExit';
  }
}

/** Thrown inside a wait when history should be cut: the runner continues-as-new and resumes here. */
export class ContinueAsNewNeeded extends Error {
  constructor(readonly inProgress?: { index: number; state: Record<string, number> }) {
    super('continue-as-new needed');
    this.name = 'ContinueAsNewNeeded';
  }
}

export interface JourneyEnd {
  status: 'completed' | 'exited';
  reason?: string;
  detail?: Record<string, unknown>;
}
