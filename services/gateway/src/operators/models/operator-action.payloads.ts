import { ObjectType } from '@nestjs/graphql';
import { PayloadType, type Payload } from '../../common/user-error';
import { OperatorAuditEntry } from './operator-audit.model';

const AUDIT_ENTRY =
  'The audit entry of this action, with its true outcome: ok, or error with userErrors saying why; null when the input was refused before anything was attempted';

/** What every operator action returns: its audit entry and its user errors. */
export type OperatorActionPayload = Payload<'auditEntry', OperatorAuditEntry>;

@ObjectType({ description: 'The outcome of endJourneyInstance' })
export class EndJourneyInstancePayload extends PayloadType('auditEntry', () => OperatorAuditEntry, AUDIT_ENTRY) {}

@ObjectType({ description: 'The outcome of deliverEventToInstance' })
export class DeliverEventToInstancePayload extends PayloadType('auditEntry', () => OperatorAuditEntry, AUDIT_ENTRY) {}

@ObjectType({ description: 'The outcome of rerunFailedStep' })
export class RerunFailedStepPayload extends PayloadType('auditEntry', () => OperatorAuditEntry, AUDIT_ENTRY) {}

@ObjectType({ description: 'The outcome of retryFailedSend' })
export class RetryFailedSendPayload extends PayloadType('auditEntry', () => OperatorAuditEntry, AUDIT_ENTRY) {}
