import { Inject, Injectable } from '@nestjs/common';
import { journeyControlSignal } from '@continuum/contracts';
import type { ApiKeyPrincipal, ProfileEntity, ProfileSearchCriteria } from '@continuum/data';
import { ErasureStore, EventStore, JournalStore, MessageStore, ProfileStore, erasedCustomerRef } from '@continuum/data';
import { toE164 } from '@continuum/domain';
import type { TemporalClientHandle } from '@continuum/temporal';
import { WorkflowNotFoundError } from '@temporalio/client';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { customerFieldsOrBadInput, validateAnonymousId, validateMessageId, validateTimestamp, validateUserId } from '../common/event-validation';
import { MergePropagator } from '../events/merge-propagator';
import { GatewayMetrics } from '../observability/gateway-metrics';
import type { IdentifyInput } from './dto/identify.input';
import type { ProfileSearchInput } from './dto/profile-search.input';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import type { ProfileEvent } from './models/connections.model';
import type { DeleteProfileResult } from './models/delete-profile-result.model';
import type { IdentifyResult } from './models/identify-result.model';
import type { Profile } from './models/profile.model';
import { toJourneyInstance } from '../common/journey-instance.mapper';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly profiles: ProfileStore,
    private readonly events: EventStore,
    private readonly journal: JournalStore,
    private readonly messages: MessageStore,
    private readonly erasures: ErasureStore,
    private readonly merges: MergePropagator,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly metrics: GatewayMetrics,
  ) {}

  async identify(principal: ApiKeyPrincipal, input: IdentifyInput): Promise<IdentifyResult> {
    const userId = validateUserId(input.userId);
    const anonymousId = input.anonymousId == null ? undefined : validateAnonymousId(input.anonymousId);
    const messageId = validateMessageId(input.messageId);
    const receivedAt = new Date();
    const timestamp = validateTimestamp(input.timestamp, receivedAt);
    const { identities, consent } = customerFieldsOrBadInput(input.traits, undefined);
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
    this.merges.kick();
    const profile = await this.get(principal, userId);
    return { messageId, duplicate: !stored!.inserted, profile: profile! };
  }

  async get(principal: ApiKeyPrincipal, userId: string): Promise<Profile | null> {
    const profile = await this.profiles.get(principal.workspaceId, userId);
    return profile ? this.toModel(principal, profile) : null;
  }

  /** A customer's events, newest first; the cursor is the base64 of the event id. */
  async listEvents(
    principal: ApiKeyPrincipal,
    userId: string,
    args: PageArgs & { type?: string | null; name?: string | null },
  ): Promise<ConnectionPage<ProfileEvent>> {
    const request = pageRequest(args, (cursor, argument) => decodeCursor(cursor, (value) => /^[1-9]\d{0,18}$/.test(value), argument));
    const filters = { ...(args.type != null ? { type: args.type } : {}), ...(args.name != null ? { name: args.name } : {}) };
    const page = await this.profiles.listEvents(principal.workspaceId, userId, { ...filters, ...request });
    return pageOf(
      page.events,
      request,
      ({ id, ...node }) => ({ cursor: encodeCursor(id), node }),
      () => this.profiles.countEvents(principal.workspaceId, userId, filters),
    );
  }

  /** Profiles of the caller's workspace matching every criterion given, by userId; the cursor is the base64 of the userId. */
  async search(principal: ApiKeyPrincipal, query: ProfileSearchInput, args: PageArgs): Promise<ConnectionPage<Profile>> {
    const request = pageRequest(args, (cursor, argument) => decodeCursor(cursor, (value) => value.length > 0, argument));
    const criteria = this.criteriaOf(query);
    const page = await this.profiles.search(principal.workspaceId, criteria, request);
    // Models only for the page's rows, not the extra one (each reads the customer's instances and messages).
    const rows = page.profiles.slice(0, request.limit);
    const models = new Map(await Promise.all(rows.map(async (profile) => [profile.userId, await this.toModel(principal, profile)] as const)));
    return pageOf(
      page.profiles,
      request,
      (profile) => ({ cursor: encodeCursor(profile.userId), node: models.get(profile.userId)! }),
      () => this.profiles.countSearch(principal.workspaceId, criteria),
    );
  }

  /**
   * Erases a customer (GDPR/LGPD): their running journey instances are told to end (archive), then
   * their events, messages and profile are deleted and their journal kept as an anonymous tombstone.
   */
  async erase(principal: ApiKeyPrincipal, rawUserId: string): Promise<DeleteProfileResult> {
    const userId = validateUserId(rawUserId);
    const notFound = () => new GatewayException(GatewayErrorCode.NotFound, `No customer "${userId}" in this workspace`, 'userId');
    if (!(await this.profiles.get(principal.workspaceId, userId))) throw notFound();
    let instancesEnded = 0;
    for (const workflowId of await this.erasures.activeInstanceIds(principal.workspaceId, userId)) {
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
    return { userId, erased: true, instancesEnded, eventsDeleted: counts.eventsDeleted, messagesDeleted: counts.messagesDeleted };
  }

  private criteriaOf(query: ProfileSearchInput): ProfileSearchCriteria {
    const criteria: ProfileSearchCriteria = {};
    if (query.userId != null) criteria.userId = query.userId.trim();
    if (query.email != null) criteria.email = query.email.trim().toLowerCase();
    if (query.phone != null) {
      const phone = toE164(query.phone);
      if (!phone) throw GatewayException.badInput('query.phone', `"${query.phone}" is not a phone number in international format (E.164), e.g. +14155550100`);
      criteria.phone = phone;
    }
    if (query.trait != null) {
      if (query.trait.name.trim() === '') throw GatewayException.badInput('query.trait.name', 'must not be empty');
      criteria.trait = { name: query.trait.name, value: query.trait.value };
    }
    if (Object.keys(criteria).length === 0) throw GatewayException.badInput('query', 'give at least one of userId, email, phone or trait');
    return criteria;
  }

  private async toModel(principal: ApiKeyPrincipal, profile: ProfileEntity): Promise<Profile> {
    const userId = profile.userId;
    const [instances, messages] = await Promise.all([
      this.journal.listInstances(principal.workspaceId, userId),
      this.messages.listByCustomer(principal.workspaceId, userId),
    ]);
    return {
      userId: profile.userId,
      traits: profile.traits,
      phone: profile.phone,
      email: profile.email,
      timezone: profile.timezone ?? null,
      locale: profile.locale ?? null,
      country: profile.country ?? null,
      journeyInstances: instances.map(toJourneyInstance),
      messages: messages.map((message) => ({
        id: message.id,
        channel: message.channel,
        to: message.to,
        body: message.body,
        status: message.status,
        providerId: message.providerId,
        errorCode: message.errorCode,
        journeyInstanceId: message.instanceId,
        createdAt: message.createdAt,
      })),
    };
  }

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
