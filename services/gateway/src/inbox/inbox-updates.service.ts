import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { InboxListener, InboxStore, type InboxNotice } from '@continuum/data';
import { NotifiedUpdates } from '../common/notified-updates';
import { GATEWAY_CONFIG } from '../core/tokens';
import { toInboxMessage } from './inbox-message.mapper';
import { InboxUpdateKind, type InboxUpdate } from './models/inbox-message.model';

interface Filter {
  workspaceId: string;
  customerId: string;
}

/**
 * Inbox changes for every replica: one dedicated connection LISTENs on `continuum_inbox` (whoever
 * delivered, read or archived the message: the worker, this replica or another), each announced
 * message that a subscriber of this replica wants is read once, and handed to the subscribers of
 * its customer in the order PostgreSQL committed the changes.
 */
@Injectable()
export class InboxUpdates extends NotifiedUpdates<InboxNotice, Filter, InboxUpdate> {
  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly inbox: InboxStore,
  ) {
    super(InboxUpdates.name, 'inbox', (handlers) => new InboxListener(config.DATABASE_URL, { applicationName: 'continuum-gateway-inbox', ...handlers }), true);
  }

  /** The customer's inbox changes from now on, until the consumer returns (unsubscribes) or the gateway stops. */
  subscribe(workspaceId: string, customerId: string): AsyncIterableIterator<InboxUpdate> {
    return this.hub.subscribe({ workspaceId, customerId });
  }

  protected async deliver(notice: InboxNotice): Promise<void> {
    // A notice without a customer (id too long to announce) may concern any subscriber of the workspace.
    if (!this.hub.wants((filter) => filter.workspaceId === notice.workspaceId && (notice.customerId === null || notice.customerId === filter.customerId))) return;
    let stored;
    try {
      stored = await this.inbox.get(notice.workspaceId, notice.id);
    } catch (error) {
      this.logger.warn(`inbox update ${notice.kind} ${notice.id} not read: ${(error as Error).message}`);
      return;
    }
    if (!stored) return; // erased before it could be read
    const update: InboxUpdate = { kind: InboxUpdateKind[notice.kind], message: toInboxMessage(stored) };
    this.hub.publish((filter) => filter.workspaceId === notice.workspaceId && filter.customerId === stored.customerId, update);
  }
}
