import type { OperatorAuditRow } from '@continuum/data';
import type { OperatorActionName, OperatorActionOutcome, OperatorAuditEntry } from './models/operator-audit.model';

/** A stored audit row as the GraphQL OperatorAuditEntry (a Node, local id: its audit id). */
export function toOperatorAuditEntry(row: OperatorAuditRow): OperatorAuditEntry {
  return {
    entryId: row.id,
    instanceKey: row.instanceId ? { instanceId: row.instanceId, runId: row.runId } : null,
    action: row.action as OperatorActionName,
    actorName: row.actorName,
    actorKeyId: row.actorKeyId,
    target: row.target,
    input: row.input,
    outcome: row.outcome as OperatorActionOutcome,
    message: row.message,
    at: row.at,
  };
}
