export { defineJourney, workflowTypeOf, type JourneyDefinition, type JourneyWorkflow, type JourneyWorkflowInput } from './define-journey';
export {
  JourneyRun,
  toMs,
  type ContextualPayload,
  type DurationInput,
  type IdleOutcome,
  type JourneyEnd,
  type SendResult,
  type SendSmsStep,
  type WaitForOutcome,
} from './journey-run';
export { WEEKDAYS, type Weekday } from '@continuum/domain';
