import { Injectable } from '@nestjs/common';
import { IdentityStore, InboxStore, type ApiKeyPrincipal, type InboxMessage as StoredInboxMessage } from '@continuum/data';
import { customerOf } from '../common/customer-of';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import type { Delivered } from '../common/resumable-feed';
import { decodePosition, encodePosition, isExactUtcTime } from '../common/relay-pagination';
import { localIdOf } from '../node/global-id';
import { toInboxMessage } from './inbox-message.mapper';
import { InboxUpdates } from './inbox-updates.service';
import type { InboxMessage, InboxUpdate } from './models/inbox-message.model';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A customer's in-app inbox in the caller's workspace: listing, reading, archiving and live changes. */
@Injectable()
export class InboxService {
  constructor(
    private readonly inbox: InboxStore,
    private readonly identities: IdentityStore,
    private readonly updates: InboxUpdates,
  ) {}

  /** A page of the inbox, newest first, with the unread count; a cursor holds the (createdAt, id) of a message. */
  async list(
    principal: ApiKeyPrincipal,
    userId: string,
    args: PageArgs & { unreadOnly: boolean; includeArchived: boolean },
  ): Promise<ConnectionPage<InboxMessage> & { unreadCount: number }> {
    const request = pageRequest(args, (cursor, argument) =>
      decodePosition(cursor, ['createdAt', 'id'] as const, (p) => isExactUtcTime(p.createdAt) && UUID.test(p.id), argument),
    );
    const customerId = await this.customerOf(principal, userId);
    const filters = { unreadOnly: args.unreadOnly, includeArchived: args.includeArchived };
    const [page, unreadCount] = await Promise.all([
      this.inbox.list(principal.workspaceId, customerId, { ...filters, ...request }),
      this.inbox.unreadCount(principal.workspaceId, customerId),
    ]);
    const connection = pageOf(
      page.items,
      request,
      ({ message, position }) => ({ cursor: encodePosition({ ...position }), node: toInboxMessage(message) }),
      () => this.inbox.count(principal.workspaceId, customerId, filters),
    );
    return { ...connection, unreadCount };
  }

  /** Marks read (again: unchanged); the global id of no message of this workspace is NOT_FOUND on `id`. */
  async markRead(principal: ApiKeyPrincipal, id: string): Promise<InboxMessage> {
    return this.found(id, await this.inbox.markRead(principal.workspaceId, localIdOf(id, 'InboxMessage', 'id')));
  }

  /** Archives (again: unchanged); the global id of no message of this workspace is NOT_FOUND on `id`. */
  async archive(principal: ApiKeyPrincipal, id: string): Promise<InboxMessage> {
    return this.found(id, await this.inbox.archive(principal.workspaceId, localIdOf(id, 'InboxMessage', 'id')));
  }

  /** The messages of these uuids, in the same order; null where the workspace has none. */
  async byIds(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<InboxMessage | null>> {
    const byId = new Map((await this.inbox.getMany(principal.workspaceId, ids)).map((message) => [message.id, toInboxMessage(message)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The customer's inbox changes after `after` (a cursor of inboxUpdates), else from now on. */
  async subscribe(principal: ApiKeyPrincipal, userId: string, after: string | null): Promise<AsyncIterableIterator<Delivered<Omit<InboxUpdate, 'cursor'>>>> {
    return this.updates.subscribe(principal.workspaceId, await this.customerOf(principal, userId), after);
  }

  /**
   * The customer whose inbox `userId` names, through identities: a userId, or `anon:<anonymousId>`
   * for a visitor, which finds the known customer once an identify or alias has merged them.
   */
  private customerOf(principal: ApiKeyPrincipal, rawUserId: string): Promise<string> {
    return customerOf(this.identities, principal.workspaceId, rawUserId);
  }

  private found(id: string, message: StoredInboxMessage | null): InboxMessage {
    if (!message) throw new GatewayException(GatewayErrorCode.NotFound, `No inbox message "${id}" in this workspace`, 'id');
    return toInboxMessage(message);
  }
}
