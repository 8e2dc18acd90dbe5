import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '@continuum/data';
import { NodeRegistry } from '../node/node-registry';
import type { Profile } from '../profiles/models/profile.model';

interface Batch {
  workspaceId: string;
  principal: ApiKeyPrincipal;
  waiting: Map<string, Array<{ resolve: (profile: Profile | null) => void; reject: (error: unknown) => void }>>;
}

/**
 * The `customer: Profile` of an entity that has a customer id (a topic, a conversation, an inbox
 * message), loaded through the Profile node type: the customers a page asks for in one tick of
 * resolution are loaded in one call, each once.
 */
@Injectable()
export class CustomerProfiles {
  private readonly batches = new Map<string, Batch>();

  constructor(private readonly nodes: NodeRegistry) {}

  /** The profile of `customerId` in the caller's workspace; null when there is none (never created, or erased). */
  of(principal: ApiKeyPrincipal, customerId: string): Promise<Profile | null> {
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(principal.workspaceId);
      if (!batch) {
        const created: Batch = { workspaceId: principal.workspaceId, principal, waiting: new Map() };
        batch = created;
        this.batches.set(principal.workspaceId, created);
        setImmediate(() => void this.flush(created));
      }
      batch.waiting.set(customerId, [...(batch.waiting.get(customerId) ?? []), { resolve, reject }]);
    });
  }

  private async flush(batch: Batch): Promise<void> {
    this.batches.delete(batch.workspaceId);
    const customerIds = [...batch.waiting.keys()];
    try {
      const definition = this.nodes.definition('Profile');
      if (!definition) throw new Error('the Profile node type is not registered');
      const found = (await definition.load(batch.principal, customerIds)) as ReadonlyArray<Profile | null | undefined>;
      customerIds.forEach((customerId, index) => batch.waiting.get(customerId)!.forEach((waiter) => waiter.resolve(found[index] ?? null)));
    } catch (error) {
      for (const waiters of batch.waiting.values()) waiters.forEach((waiter) => waiter.reject(error));
    }
  }
}
