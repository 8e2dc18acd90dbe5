import { ANONYMOUS_CUSTOMER_PREFIX, type IdentityStore } from '@continuum/data';
import { validateUserId } from './event-validation';

/**
 * The customer `rawUserId` names, through identities: a userId, or `anon:<anonymousId>` for a
 * visitor, which finds the known customer once an identify or alias has merged them. A name no
 * identity knows is taken as the customer id itself.
 */
export async function customerOf(identities: IdentityStore, workspaceId: string, rawUserId: string): Promise<string> {
  const userId = validateUserId(rawUserId);
  const resolved = userId.startsWith(ANONYMOUS_CUSTOMER_PREFIX)
    ? await identities.customerOf(workspaceId, 'anonymous_id', userId.slice(ANONYMOUS_CUSTOMER_PREFIX.length))
    : await identities.customerOf(workspaceId, 'user_id', userId);
  return resolved ?? userId;
}
