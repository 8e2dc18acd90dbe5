export { defineJourney, workflowTypeOf, type JourneyDefinition, type JourneyWorkflow, type JourneyWorkflowInput } from './define-journey';
export {
  JourneyRun,
  LookupError,
  toMs,
  type ContextualPayload,
  type DeliveryOutcome,
  type DurationInput,
  type IdleOutcome,
  type JourneyEnd,
  type LookupRequest,
  type LookupRequests,
  type SendBody,
  type SendResult,
  type SendSmsBody,
  type SendSmsStep,
  type SendSmsTemplate,
  type SendStep,
  type SendTemplateContent,
  type TextInput,
  type WaitForOutcome,
} from './journey-run';
export { defineLookup, type LookupDefinition, type LookupResult, type LookupRow } from '@continuum/contracts';
export { WEEKDAYS, type Weekday } from '@continuum/domain';
export { operatorRetrySend } from './operator-retry-send';
export { transactionalSend } from './transactional-send';
export { broadcastRun } from './broadcast-run';
