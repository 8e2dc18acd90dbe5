import type { SettingValue } from './journey-catalogue';

/** Activity interfaces: workflows call them through proxyActivities; the worker implements them. */

export interface ProfileSnapshot {
  userId: string;
  traits: Record<string, unknown>;
  phone?: string;
  email?: string;
}

export interface ProfileActivities {
  /** Reads the profile at this moment; undefined when the customer has never been identified. */
  getProfile(input: { workspaceId: string; userId: string }): Promise<ProfileSnapshot | undefined>;
}

export interface SendSmsInput {
  workspaceId: string;
  customerId: string;
  instanceId: string;
  /** The instance's first run id: a re-entry with the same workflow id is a new instance. */
  runId: string;
  journeyId: string;
  /** Step name; (instanceId, runId, step) is the outbox key that makes a retried send idempotent. */
  step: string;
  to: string;
  body: string;
  /**
   * The consent purpose checked at the moment of sending (default `marketing`). `transactional`
   * only where the journey declares the message transactional: it does not need marketing consent.
   */
  purpose?: string;
}

export type SendOutcome =
  | { status: 'sent'; messageId: string; providerId: string; duplicate: boolean }
  | { status: 'failed'; messageId: string; errorCode?: number; reason: string }
  /** Not sent, by rule (no consent); nothing reached the provider. */
  | { status: 'skipped'; reason: string };

export interface MessagingActivities {
  sendSms(input: SendSmsInput): Promise<SendOutcome>;
}

export type JournalEntryType =
  | 'entered'
  | 'event.received'
  | 'wait.started'
  | 'timer.reset'
  | 'wait.ended'
  | 'branch.taken'
  | 'context.rejected'
  | 'customer.merged'
  | 'send.held'
  | 'message.sent'
  | 'message.failed'
  | 'message.skipped'
  | 'lookup.failed'
  | 'exited'
  | 'completed';

export interface JournalEntryInput {
  workspaceId: string;
  instanceId: string;
  journeyId: string;
  customerId: string;
  key: string;
  /** The instance's first run id (stable across continue-as-new). */
  runId: string;
  /** Position in the instance's journal; (instanceId, runId, seq) makes a retried write land once. */
  seq: number;
  type: JournalEntryType;
  step: string;
  /** Status of the instance after this entry. */
  status: 'active' | 'completed' | 'exited';
  detail?: Record<string, unknown>;
  /** Workflow time of the step, ISO-8601. */
  at: string;
}

export interface JournalActivities {
  recordJournalEntry(entry: JournalEntryInput): Promise<void>;
}

export interface JourneySettingsActivities {
  /**
   * Settings an instance reads when it starts (defaults, then the workspace's overrides); recorded
   * in history, so later changes apply only to instances that start afterwards.
   */
  getJourneySettings(input: { journeyId: string; workspaceId: string }): Promise<Record<string, SettingValue>>;
}
