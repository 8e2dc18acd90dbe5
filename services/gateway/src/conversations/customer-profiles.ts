import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '@continuum/data';
import { NodeRegistry } from '../node/node-registry';
import type { Profile } from '../profiles/models/profile.model';

/**
 * The `customer: Profile` of an entity that has a customer id (a topic, a conversation, an inbox
 * message), loaded through the Profile node type: the customers a page asks for in one tick of
 * resolution are loaded in one call (NodeRegistry.loadOne).
 */
@Injectable()
export class CustomerProfiles {
  constructor(private readonly nodes: NodeRegistry) {}

  /** The profile of `customerId` in the caller's workspace; null when there is none (never created, or erased). */
  of(principal: ApiKeyPrincipal, customerId: string): Promise<Profile | null> {
    return this.nodes.loadOne<Profile>(principal, 'Profile', customerId);
  }
}
