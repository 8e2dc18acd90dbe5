import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '@continuum/data';
import { NodeRegistry } from '../node/node-registry';
import type { Profile } from '../profiles/models/profile.model';
import { TickBatches } from './tick-batches';

/**
 * The `customer: Profile` of an entity that has a customer id (a topic, a conversation, an inbox
 * message), loaded through the Profile node type: the customers a page asks for in one tick of
 * resolution are loaded in one call, each once.
 */
@Injectable()
export class CustomerProfiles {
  private readonly batches: TickBatches<ApiKeyPrincipal, Profile>;

  constructor(nodes: NodeRegistry) {
    this.batches = new TickBatches(async (principal, customerIds) => {
      const definition = nodes.definition('Profile');
      if (!definition) throw new Error('the Profile node type is not registered');
      return (await definition.load(principal, customerIds)) as ReadonlyArray<Profile | null | undefined>;
    });
  }

  /** The profile of `customerId` in the caller's workspace; null when there is none (never created, or erased). */
  of(principal: ApiKeyPrincipal, customerId: string): Promise<Profile | null> {
    return this.batches.load(principal, customerId);
  }
}
