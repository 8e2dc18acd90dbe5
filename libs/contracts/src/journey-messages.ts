import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CustomerEvent } from './customer-event';

/** Input every journey workflow starts with. */
export interface JourneyInput {
  journeyId: string;
  workspaceId: string;
  customerId: string;
  key: string;
  /**
   * Events the instance starts with, in order, received before any signal as a signal-with-start's
   * event is (a conversation starts a topic's agent with its first message this way: no signal, no
   * workflow task of its own). Only the first run reads them; continue-as-new does not carry them.
   */
  events?: CustomerEvent[];
}

/** Delivers a customer event to a running journey instance (entry, correlated and exit events). */
export const customerEventSignal = defineSignal<[CustomerEvent]>('customerEvent');

export interface JourneyState {
  step: string;
  status: JourneyStatus;
  context: Record<string, unknown>;
  timerResets: number;
  exitReason?: string;
  /** How many times this instance has continued-as-new to keep its history bounded. */
  continuedAsNew: number;
  /** Events this instance has accepted (duplicates excluded), across continue-as-new. */
  eventsAccepted: number;
}

/**
 * Operator and lifecycle control from the gateway: pause holds sends, archive ends the instance.
 * `reason` (an operator's, for archive) is carried in the signal so the Web UI history shows it, and the
 * instance exits with reason `ended by operator: <reason>` (`archived` without one).
 */
export const journeyControlSignal = defineSignal<[{ action: 'pause' | 'resume' | 'archive'; reason?: string }]>('journeyControl');

/**
 * The instance's customer was merged into another (an anonymous visitor identified, or an alias):
 * from now on the instance reads that customer's profile and sends to them.
 */
export const customerMergedSignal = defineSignal<[{ customerId: string; customerRef: string; mergeId: string }]>('customerMerged');

/**
 * A provider reported a message's status (Twilio status callback, SendGrid event): the gateway
 * signals the instance that sent it, so a journey can wait for delivery or failure. `runId` is the
 * instance's first run id: a later instance with the same workflow id ignores it.
 */
export const messageStatusSignal = defineSignal<
  [{ messageId: string; runId: string; step: string; status: string; errorCode?: number | null; channel?: string }]
>('messageStatus');

export type JourneyStatus = 'active' | 'completed' | 'exited';

/** Where an instance stands right now (current step, context, resets). */
export const journeyStateQuery = defineQuery<JourneyState>('journeyState');

/** Workflow type of a broadcast run, run by the journey worker. */
export const BROADCAST_RUN_WORKFLOW = 'broadcastRun';

/** Pauses, resumes or cancels a broadcast run (the batch under way is cancelled and stops at its next member). */
export const broadcastControlSignal = defineSignal<[{ action: 'pause' | 'resume' | 'cancel' }]>('broadcastControl');

/** Workflow type of a transactional message (`sendMessage`), run by the journey worker. */
export const TRANSACTIONAL_SEND_WORKFLOW = 'transactionalSend';

/** Workflow type of an operator's re-send of a failed message (run by the journey worker). */
export const OPERATOR_RETRY_SEND_WORKFLOW = 'operatorRetrySend';

/**
 * Workflow type of a double opt-in confirmation request ("reply YES…") after a consent granted
 * through the API or tracking (run by the journey worker; input `{ send: SendMessageInput }`).
 */
export const CONSENT_CONFIRMATION_REQUEST_WORKFLOW = 'consentConfirmationRequest';
