import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { InboxListener, InboxStore, LiveChangeStore, type InboxNotice } from '@continuum/data';
import { NotifiedUpdates } from '../common/notified-updates';
import type { Delivered } from '../common/resumable-feed';
import { GATEWAY_CONFIG } from '../core/tokens';
import { toInboxMessage } from './inbox-message.mapper';
import { InboxUpdateKind, type InboxUpdate } from './models/inbox-message.model';

interface Filter {
  workspaceId: string;
  customerId: string;
}

/**
 * Inbox changes for every replica, resumable: notices on `continuum_inbox` (whoever delivered, read
 * or archived the message: the worker, this replica or another) wake the customer's subscriptions,
 * which read the changes from the log (`live_changes`, stream `inbox`) and each message as it is then.
 */
@Injectable()
export class InboxUpdates extends NotifiedUpdates<InboxNotice, Filter> {
  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly inbox: InboxStore,
    changes: LiveChangeStore,
  ) {
    super(InboxUpdates.name, 'inbox', (handlers) => new InboxListener(config.DATABASE_URL, { applicationName: 'continuum-gateway-inbox', ...handlers }), true, changes);
  }

  /** The customer's inbox changes after `after` (a cursor of inboxUpdates), else from now on. */
  subscribe(workspaceId: string, customerId: string, after: string | null): Promise<AsyncIterableIterator<Delivered<Omit<InboxUpdate, 'cursor'>>>> {
    return this.open(
      { workspaceId, customerId },
      {
        subscription: 'inboxUpdates',
        filter: { workspaceId, stream: 'inbox', scope: customerId },
        load: (changes) =>
          Promise.all(
            changes.map(async (change) => {
              const stored = await this.inbox.get(workspaceId, change.ref);
              return stored ? { kind: InboxUpdateKind[change.kind as keyof typeof InboxUpdateKind], message: toInboxMessage(stored) } : null; // null: erased
            }),
          ),
      },
      after,
    );
  }

  protected concerns(filter: Filter, notice: InboxNotice): boolean {
    // A notice without a customer (id too long to announce) may concern any subscriber of the workspace.
    return filter.workspaceId === notice.workspaceId && (notice.customerId === null || notice.customerId === filter.customerId);
  }
}
