/** Readable workflow ids, built in one place: `journey/<journeyId>/<customerId>/<key>`. */
export function journeyWorkflowId(journeyId: string, customerId: string, key: string): string {
  for (const [name, value] of Object.entries({ journeyId, customerId, key })) {
    if (value.length === 0) throw new Error(`journeyWorkflowId: ${name} must not be empty`);
  }
  return `journey/${journeyId}/${customerId}/${key}`;
}

/**
 * The customer part of a workflow id: the user id in the default workspace, `<slug>:<userId>` in
 * any other, so that two workspaces' customers never share an instance.
 */
export function customerRef(workspaceSlug: string, userId: string): string {
  return workspaceSlug === 'default' ? userId : `${workspaceSlug}:${userId}`;
}

/**
 * The parts of a journey workflow id (for logs and metrics); undefined for any other id. The
 * customer part may itself contain "/", journey ids and keys never do.
 */
export function parseJourneyWorkflowId(workflowId: string): { journeyId: string; customerId: string; key: string } | undefined {
  const match = /^journey\/([^/]+)\/(.+)\/([^/]+)$/.exec(workflowId);
  if (!match) return undefined;
  return { journeyId: match[1]!, customerId: match[2]!, key: match[3]! };
}

/**
 * A broadcast's id in Temporal, readable in the Web UI: `broadcast/<workspace-slug>/<broadcastId>`.
 * A one-off broadcast's run has this workflow id; a recurring broadcast's schedule has this schedule
 * id, and each of its runs this workflow id followed by `-<scheduled time>` (added by Temporal).
 */
export function broadcastTemporalId(workspaceSlug: string, broadcastId: string): string {
  return `broadcast/${workspaceSlug}/${broadcastId}`;
}

/** True for the workflow id of a broadcast run (whose messages no journey instance waits on). */
export function isBroadcastWorkflowId(workflowId: string): boolean {
  return workflowId.startsWith('broadcast/');
}
