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
