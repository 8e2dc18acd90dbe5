import { Inject, Injectable } from '@nestjs/common';
import { conversationWorkflowId, customerRef, journeyControlSignal } from '@continuum/contracts';
import type { ApiKeyPrincipal, ProfileEntity, ProfilePosition, ProfileSearchCriteria, ProfileSort } from '@continuum/data';
import { ErasureStore, EventStore, JournalStore, JourneyInstanceSearchStore, MessageStore, ProfileStore, erasedCustomerRef } from '@continuum/data';
import { toE164 } from '@continuum/domain';
import type { TemporalClientHandle } from '@continuum/temporal';
import { WorkflowNotFoundError } from '@temporalio/client';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { PAYLOAD_CODEC, TEMPORAL_CLIENT, type PayloadCodecHolder } from '../core/tokens';
import { customerFieldsOrBadInput, validateAnonymousId, validateMessageId, validateTimestamp, validateUserId } from '../common/event-validation';
import { MergePropagator } from '../events/merge-propagator';
import { DoubleOptInRequests } from '../consent/double-opt-in-requests';
import { toProfileEvent, type ProfileEvent } from '../events/models/profile-event.model';
import type { TrackingCall } from '../common/models/tracking-call.model';
import type { JourneyInstance } from '../common/models/journey-instance.model';
import { OrderDirection } from '../common/models/order-direction.model';
import { GatewayMetrics } from '../observability/gateway-metrics';
import type { IdentifyInput } from './dto/identify.input';
import { ProfileOrderField, type ProfileOrder, type ProfileSearchInput } from './dto/profile-search.input';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { decodePosition, encodePosition, isExactUtcTime } from '../common/relay-pagination';
import type { DeleteProfilePayload, IdentifyPayload } from './models/payloads.model';
import type { Message, Profile } from './models/profile.model';
import { toJourneyInstance } from '../common/journey-instance.mapper';
import { toMessage } from './message.mapper';
import { toGlobalId } from '../node/global-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SORT_FIELD: Record<ProfileOrderField, ProfileSort['field']> = {
  [ProfileOrderField.USER_ID]: 'userId',
  [ProfileOrderField.CREATED_AT]: 'createdAt',
  [ProfileOrderField.UPDATED_AT]: 'updatedAt',
};
/** The longest prefix a search takes. */
const MAX_PREFIX_LENGTH = 200;

/** How long erasure waits for the customer's instances to end before terminating them. */
const ERASURE_GRACE_MS = 5_000;

@Injectable()
export class ProfilesService {
  constructor(
    private readonly profiles: ProfileStore,
    private readonly events: EventStore,
    private readonly journal: JournalStore,
    private readonly instances: JourneyInstanceSearchStore,
    private readonly messages: MessageStore,
    private readonly erasures: ErasureStore,
    private readonly merges: MergePropagator,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly metrics: GatewayMetrics,
    @Inject(PAYLOAD_CODEC) private readonly encryption: PayloadCodecHolder,
    private readonly doubleOptIn: DoubleOptInRequests,
  ) {}

  async identify(principal: ApiKeyPrincipal, input: IdentifyInput): Promise<IdentifyPayload> {
    const userId = validateUserId(input.userId);
    const anonymousId = input.anonymousId == null ? undefined : validateAnonymousId(input.anonymousId);
    const messageId = validateMessageId(input.messageId);
    const receivedAt = new Date();
    const timestamp = validateTimestamp(input.timestamp, receivedAt);
    const fields = customerFieldsOrBadInput(input.traits, undefined);
    const { identities } = fields;
    // A grant where the policy asks for double opt-in is recorded pending (and asked for below).
    const consent = fields.consent.length > 0 ? await this.doubleOptIn.asRecorded(principal.workspaceId, userId, fields.consent, identities.country ?? undefined) : fields.consent;
    // Identify reaches no journey, so it is stored as routed; it may merge an anonymous customer.
    const [stored] = await this.events.acceptBatch([
      {
        workspaceId: principal.workspaceId,
        messageId,
        userId,
        type: 'identify',
        properties: {},
        traits: input.traits,
        identities,
        consent,
        timestamp,
        receivedAt,
        routedAt: receivedAt,
        ...(anonymousId !== undefined ? { anonymousId } : {}),
      },
    ]);
    if (stored!.inserted) this.metrics.eventsAccepted('graphql');
    if (stored!.inserted) await this.doubleOptIn.request(principal.workspaceId, userId, consent, `event-${messageId}`);
    this.merges.kick();
    const [profile, [event]] = await Promise.all([this.get(principal, userId), this.profiles.eventsById(principal.workspaceId, [stored!.id])]);
    return { profile, event: event ? toProfileEvent(event) : null, duplicate: !stored!.inserted, userErrors: [] };
  }

  async get(principal: ApiKeyPrincipal, userId: string): Promise<Profile | null> {
    const profile = await this.profiles.get(principal.workspaceId, userId);
    return profile ? toProfile(profile) : null;
  }

  /** The customers of `userIds` in one query, in the same order (null: none). */
  async getMany(principal: ApiKeyPrincipal, userIds: readonly string[]): Promise<Array<Profile | null>> {
    return (await this.profiles.getMany(principal.workspaceId, userIds)).map((profile) => (profile ? toProfile(profile) : null));
  }

  /** A customer's events, newest first; the cursor is the base64 of the event id. */
  async listEvents(
    principal: ApiKeyPrincipal,
    userId: string,
    args: PageArgs & { type?: TrackingCall | null; name?: string | null },
  ): Promise<ConnectionPage<ProfileEvent>> {
    const request = pageRequest(args, (cursor, argument) => decodeCursor(cursor, (value) => /^[1-9]\d{0,18}$/.test(value), argument));
    const filters = { ...(args.type != null ? { type: args.type } : {}), ...(args.name != null ? { name: args.name } : {}) };
    const page = await this.profiles.listEvents(principal.workspaceId, userId, { ...filters, ...request });
    return pageOf(
      page.events,
      request,
      (row) => ({ cursor: encodeCursor(row.id), node: toProfileEvent({ ...row, userId }) }),
      () => this.profiles.countEvents(principal.workspaceId, userId, filters),
    );
  }

  /** Events of the workspace by event id (the local id of a ProfileEvent), in the order asked; null for any not found. */
  async eventsById(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<ProfileEvent | null>> {
    const found = new Map((await this.profiles.eventsById(principal.workspaceId, ids)).map((row) => [row.id, toProfileEvent(row)]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /** A customer's messages, newest first; a cursor holds the (createdAt, id) of a message. */
  async listMessages(principal: ApiKeyPrincipal, userId: string, args: PageArgs): Promise<ConnectionPage<Message>> {
    const request = pageRequest(args, (cursor, argument) =>
      decodePosition(cursor, ['createdAt', 'id'] as const, (p) => isExactUtcTime(p.createdAt) && UUID.test(p.id), argument),
    );
    const page = await this.messages.pageByCustomer(principal.workspaceId, userId, request);
    return pageOf(
      page.items,
      request,
      ({ message, position }) => ({ cursor: encodePosition({ ...position }), node: toMessage(message) }),
      () => this.messages.countByCustomer(principal.workspaceId, userId),
    );
  }

  /** Messages of the workspace by outbox id (the local id of a Message), in the order asked; null for any not found. */
  async messagesById(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<Message | null>> {
    const found = new Map((await this.messages.findManyInWorkspace(principal.workspaceId, ids)).map((message) => [message.id, toMessage(message)]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /** The journey instance that sent a message: its run, else the latest run of its workflow id; null when none (not a journey's). */
  async instanceOf(principal: ApiKeyPrincipal, message: Message): Promise<JourneyInstance | null> {
    const instance = await this.journal.getInstance(principal.workspaceId, message.instanceId, message.runId || undefined);
    return instance ? toJourneyInstance(instance) : null;
  }

  /** A customer's journey instances, newest entry first; a cursor holds the (startedAt, instanceId, runId) of an instance. */
  async listInstances(principal: ApiKeyPrincipal, userId: string, args: PageArgs): Promise<ConnectionPage<JourneyInstance>> {
    const request = pageRequest(args, (cursor, argument) =>
      decodePosition(cursor, ['startedAt', 'instanceId', 'runId'] as const, (p) => isExactUtcTime(p.startedAt), argument),
    );
    const filter = { customerId: userId };
    const page = await this.instances.search(principal.workspaceId, filter, request);
    return pageOf(
      page.instances,
      request,
      (row) => ({ cursor: encodePosition({ startedAt: row.position, instanceId: row.instanceId, runId: row.runId }), node: toJourneyInstance(row) }),
      () => this.instances.count(principal.workspaceId, filter),
    );
  }

  /**
   * Profiles of the caller's workspace matching every criterion given (all of them without any), in `order` (by userId
   * ascending unless told); a cursor holds the order and the position in it, so a cursor of another
   * order is refused.
   */
  async search(principal: ApiKeyPrincipal, query: ProfileSearchInput | null, order: ProfileOrder | null | undefined, args: PageArgs): Promise<ConnectionPage<Profile>> {
    const sort: ProfileSort = { field: SORT_FIELD[order?.field ?? ProfileOrderField.USER_ID], direction: order?.direction === OrderDirection.DESC ? 'DESC' : 'ASC' };
    const request = pageRequest(args, (cursor, argument) => decodeProfileCursor(cursor, sort, argument));
    const criteria = this.criteriaOf(query);
    const page = await this.profiles.search(principal.workspaceId, criteria, request, sort);
    return pageOf(
      page.profiles,
      request,
      ({ position, ...profile }) => ({ cursor: encodeProfileCursor(sort, position), node: toProfile(profile) }),
      () => this.profiles.countSearch(principal.workspaceId, criteria),
    );
  }

  /**
   * Erases a customer (GDPR/LGPD): their running journey instances are told to end (archive), then
   * their events, messages and profile are deleted and their journal kept as an anonymous tombstone.
   */
  async erase(principal: ApiKeyPrincipal, rawUserId: string): Promise<Omit<DeleteProfilePayload, 'userErrors'>> {
    const userId = validateUserId(rawUserId);
    const notFound = () => new GatewayException(GatewayErrorCode.NotFound, `No customer "${userId}" in this workspace`, 'userId');
    if (!(await this.profiles.get(principal.workspaceId, userId))) throw notFound();
    let instancesEnded = 0;
    const active = await this.erasures.activeInstanceIds(principal.workspaceId, userId);
    for (const workflowId of active) {
      try {
        await this.temporal.client.workflow.getHandle(workflowId).signal(journeyControlSignal, { action: 'archive' });
        instancesEnded++;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    const customerHash = erasedCustomerRef(principal.workspaceId, userId);
    const counts = await this.erasures.erase(principal.workspaceId, userId, customerHash, instancesEnded);
    if (!counts) throw notFound();
    const dataKeyDestroyed = await this.shred(principal, userId, active);
    return {
      dataKeyDestroyed,
      deletedProfileId: toGlobalId('Profile', userId),
      deletedUserId: userId,
      instancesEnded,
      eventsDeleted: counts.eventsDeleted,
      messagesDeleted: counts.messagesDeleted,
    };
  }

  /**
   * Crypto-shredding (with payload encryption on): destroys the customer's data key, so every
   * payload of theirs in Temporal — histories, the Web UI, backups — becomes unreadable. Their
   * workflows must not outlive the key (a run that cannot decode its own history is stuck): the
   * instances told to end get a few seconds to finish, then what still runs of theirs is terminated.
   */
  private async shred(principal: ApiKeyPrincipal, userId: string, instanceIds: string[]): Promise<boolean> {
    const { keys, codec } = this.encryption;
    if (!keys) return false;
    const workflowIds = [...instanceIds, conversationWorkflowId(customerRef(principal.workspaceSlug, userId))];
    const deadline = Date.now() + ERASURE_GRACE_MS;
    for (const workflowId of workflowIds) {
      const handle = this.temporal.client.workflow.getHandle(workflowId);
      try {
        while ((await handle.describe()).status.name === 'RUNNING') {
          if (Date.now() >= deadline) {
            await handle.terminate('customer erased: their data key is destroyed');
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    // Recorded even for a customer who had no key yet (nothing of theirs can be decrypted either way).
    await keys.destroyDataKey(principal.workspaceId, userId);
    codec?.clearCache();
    return true;
  }

  private criteriaOf(query: ProfileSearchInput | null | undefined): ProfileSearchCriteria {
    const criteria: ProfileSearchCriteria = {};
    if (query == null) return criteria;
    const prefix = (field: string, value: string): string => {
      if (value === '' || value.length > MAX_PREFIX_LENGTH) throw GatewayException.badInput(field, `must be 1 to ${MAX_PREFIX_LENGTH} characters`);
      return value;
    };
    if (query.userId != null) criteria.userId = query.userId.trim();
    if (query.userIdPrefix != null) criteria.userIdPrefix = prefix('query.userIdPrefix', query.userIdPrefix);
    if (query.email != null) criteria.email = query.email.trim().toLowerCase();
    if (query.emailPrefix != null) criteria.emailPrefix = prefix('query.emailPrefix', query.emailPrefix.trimStart().toLowerCase());
    if (query.phone != null) {
      const phone = toE164(query.phone);
      if (!phone) throw GatewayException.badInput('query.phone', `"${query.phone}" is not a phone number in international format (E.164), e.g. +14155550100`);
      criteria.phone = phone;
    }
    if (query.trait != null) {
      if (query.trait.name.trim() === '') throw GatewayException.badInput('query.trait.name', 'must not be empty');
      criteria.trait = { name: query.trait.name, value: query.trait.value };
    }
    if (query.traitPrefix != null) {
      if (query.traitPrefix.name.trim() === '') throw GatewayException.badInput('query.traitPrefix.name', 'must not be empty');
      criteria.traitPrefix = { name: query.traitPrefix.name, prefix: prefix('query.traitPrefix.prefix', query.traitPrefix.prefix) };
    }
    return criteria;
  }
}

export function toProfile(profile: ProfileEntity): Profile {
  return {
    userId: profile.userId,
    traits: profile.traits,
    phone: profile.phone,
    email: profile.email,
    timezone: profile.timezone ?? null,
    locale: profile.locale ?? null,
    country: profile.country ?? null,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

/** A cursor of a profile search: the order (o: field, d: direction) and the position (u: userId, t: time of a time order). */
export function encodeProfileCursor(sort: ProfileSort, position: ProfilePosition): string {
  return encodePosition({ o: sort.field, d: sort.direction, u: position.userId, ...(position.at !== undefined ? { t: position.at } : {}) });
}

/** The position in a cursor of a profile search in `sort`; a cursor of another order, or not one at all, is BAD_USER_INPUT naming `argument`. */
export function decodeProfileCursor(cursor: string, sort: ProfileSort, argument: 'after' | 'before'): ProfilePosition {
  const position = decodePosition(cursor, ['o', 'd', 'u'] as const, (p) => ['userId', 'createdAt', 'updatedAt'].includes(p.o) && ['ASC', 'DESC'].includes(p.d), argument);
  if (position.o !== sort.field || position.d !== sort.direction) {
    throw GatewayException.badInput(argument, `"${cursor}" is a cursor of another order than this query's orderBy`);
  }
  if (sort.field === 'userId') return { userId: position.u };
  return { userId: position.u, at: decodePosition(cursor, ['t'] as const, (p) => isExactUtcTime(p.t), argument).t };
}

function encodeCursor(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/** The value inside an opaque cursor; anything this gateway did not hand out is BAD_USER_INPUT naming the argument it came in. */
function decodeCursor(cursor: string, valid: (value: string) => boolean, argument: 'after' | 'before'): string {
  const value = Buffer.from(cursor, 'base64').toString('utf8');
  if (cursor === '' || encodeCursor(value) !== cursor || !valid(value)) {
    throw GatewayException.badInput(argument, `"${cursor}" is not a cursor from a previous page`);
  }
  return value;
}
