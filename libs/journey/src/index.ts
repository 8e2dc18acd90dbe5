export { defineJourney, workflowTypeOf, type JourneyDefinition, type JourneyWorkflow, type JourneyWorkflowInput, type StepCheck } from './define-journey';
export { stepGraph, undeclaredStepMessage, type StepDeclaration, type StepIdOf } from './step-list';
export { JourneyRun } from './journey-run';
export { BASELINE_2026_12_PATCH, continuumPatched } from './patches';
export { assignmentRoll, stableHash, type ExperimentAssignment, type ExperimentOptions, type ExperimentVariant, type GoalEvent } from './experiment';
export type { JourneyEnd } from './carried-state';
export type { DelayUntilOutcome, IdleOutcome, WaitForOutcome } from './waits';
export { MAX_BEST_TIME_WINDOW_MS, bestTimeProblem, type BestTimeOptions, type BestTimeOutcome } from './send-time';
export { firstName } from './first-name';
export type { JsonBody, RequestFailureReason, RequestOptions, RequestResult } from './request-call';
export { LookupError, toMs, type ContextualPayload, type DurationInput, type LookupRequest, type LookupRequests, type TextInput } from './payload';
export type {
  DeliveryOutcome,
  SendBody,
  SendResult,
  SendSmsBody,
  SendSmsStep,
  SendSmsTemplate,
  SendStep,
  SendTemplateContent,
  UnsentResult,
} from './send-options';
export { defineLookup, type LookupDefinition, type LookupResult, type LookupRow } from '@continuum/contracts';
export { WEEKDAYS, type Weekday } from '@continuum/domain';
// The workspace's voice on an answer (sign-off, emoji rule): agents apply it in workflow code.
export { inVoice, stripEmoji } from '@continuum/domain';
