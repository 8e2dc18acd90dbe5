import type { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ConsentStore, IdentityStore, ProfileStore, type ApiKeyPrincipal, type ConsentChangeRecord, type Identity as StoredIdentity, type ProfileMerge } from '@continuum/data';
import { isConsentPurpose, type Channel, type ConsentChange as ConsentChoice } from '@continuum/domain';
import { DoubleOptInRequests } from '../../consent/double-opt-in-requests';
import { CurrentPrincipal } from '../../auth/workspace-context';
import { pageOf, pageRequest, type ConnectionPage } from '../../common/connection';
import { ConnectionArgs } from '../../common/dto/page.args';
import { GatewayErrorCode, GatewayException } from '../../common/gateway-exception';
import { validateUserId } from '../../common/event-validation';
import { withGatewayErrors } from '../../common/field-errors';
import { decodePosition, encodePosition } from '../../common/relay-pagination';
import { recoverUserErrors } from '../../common/user-error';
import { NodeRegistry } from '../../node/node-registry';
import { Profile } from '../models/profile.model';
import { toProfile } from '../profiles.service';
import { ChannelName } from '../../common/models/channel.model';
import {
  Consent,
  ConsentChange,
  ConsentChangeConnection,
  Identity,
  IdentityConnection,
  IdentityKindName,
  ProfileMergeRecord,
  ProfileMergeRecordConnection,
  SetConsentInput,
  SetConsentPayload,
  ConsentStatusName,
  type MergeReasonName,
} from './identity.models';
import { RequiresScope } from '../../auth/requires-scope';

const MAX_SOURCE_LENGTH = 100;
const ROW_ID = /^[1-9]\d{0,17}$/;
const IDENTITY_KINDS: ReadonlySet<string> = new Set(Object.values(IdentityKindName));

/** Who a customer is on every channel, what they agreed to, and which customers were merged into them. */
@Resolver(() => Profile)
export class ProfileIdentityResolver implements OnModuleInit {
  constructor(
    private readonly identityStore: IdentityStore,
    private readonly consentStore: ConsentStore,
    private readonly profiles: ProfileStore,
    private readonly nodes: NodeRegistry,
    private readonly doubleOptIn: DoubleOptInRequests,
  ) {}

  onModuleInit(): void {
    this.nodes.register({
      type: Identity,
      localId: (identity) => JSON.stringify([identity.customerId, identity.kind, identity.value]),
      load: (principal, ids) => Promise.all(ids.map((id) => this.identityOf(principal, id))),
    });
    this.nodes.register({
      type: ConsentChange,
      localId: (change) => change.changeRowId,
      load: async (principal, ids) => {
        const found = new Map((await this.consentStore.changesById(principal.workspaceId, ids)).map((change) => [change.id, toConsentChange(change)]));
        return ids.map((id) => found.get(id) ?? null);
      },
    });
    this.nodes.register({
      type: ProfileMergeRecord,
      localId: (merge) => merge.mergeRowId,
      load: async (principal, ids) => {
        const found = new Map((await this.identityStore.mergesById(principal.workspaceId, ids)).map((merge) => [merge.id, toMergeRecord(merge)]));
        return ids.map((id) => found.get(id) ?? null);
      },
    });
  }

  @ResolveField(() => IdentityConnection, { description: 'userId, anonymous ids, email, phone and WhatsApp numbers, by kind then value' })
  identities(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() profile: Profile, @Args() page: ConnectionArgs): Promise<ConnectionPage<Identity>> {
    return withGatewayErrors(async () => {
      const request = pageRequest(page, (cursor, argument) => {
        const { kind, value } = decodePosition(cursor, ['kind', 'value'] as const, (p) => IDENTITY_KINDS.has(p.kind), argument);
        return { kind: kind as StoredIdentity['kind'], value };
      });
      const rows = await this.identityStore.pageIdentities(principal.workspaceId, profile.userId, request);
      return pageOf(
        rows,
        request,
        (row) => ({ cursor: encodePosition({ kind: row.kind, value: row.value }), node: toIdentity(profile.userId, row) }),
        () => this.identityStore.countIdentities(principal.workspaceId, profile.userId),
      );
    });
  }

  @ResolveField(() => [Consent], { description: 'Recorded choices per channel and purpose; a channel/purpose not listed is UNKNOWN' })
  async consent(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() profile: Profile): Promise<Consent[]> {
    const records = await this.consentStore.list(principal.workspaceId, profile.userId);
    return records.map((record) => ({ ...record, channel: record.channel as ChannelName, status: record.status as ConsentStatusName }));
  }

  @ResolveField(() => ConsentChangeConnection, { description: 'Every consent change with its source, newest first' })
  consentHistory(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() profile: Profile, @Args() page: ConnectionArgs): Promise<ConnectionPage<ConsentChange>> {
    return withGatewayErrors(async () => {
      const request = pageRequest(page, (cursor, argument) => decodePosition(cursor, ['id'] as const, (p) => ROW_ID.test(p.id), argument).id);
      const rows = await this.consentStore.pageHistory(principal.workspaceId, profile.userId, request);
      return pageOf(
        rows,
        request,
        (row) => ({ cursor: encodePosition({ id: row.id }), node: toConsentChange(row) }),
        () => this.consentStore.countHistory(principal.workspaceId, profile.userId),
      );
    });
  }

  @ResolveField(() => ProfileMergeRecordConnection, { description: 'Customers merged into this one (anonymous visitors who identified, aliases), oldest first' })
  merges(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() profile: Profile, @Args() page: ConnectionArgs): Promise<ConnectionPage<ProfileMergeRecord>> {
    return withGatewayErrors(async () => {
      const request = pageRequest(page, (cursor, argument) => decodePosition(cursor, ['id'] as const, (p) => ROW_ID.test(p.id), argument).id);
      const rows = await this.identityStore.pageMerges(principal.workspaceId, profile.userId, request);
      return pageOf(
        rows,
        request,
        (row) => ({ cursor: encodePosition({ id: row.id }), node: toMergeRecord(row) }),
        () => this.identityStore.countMerges(principal.workspaceId, profile.userId),
      );
    });
  }

  @RequiresScope('track')
  @Mutation(() => SetConsentPayload, { description: "Records a customer's consent for one channel and purpose" })
  setConsent(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The customer, channel, purpose and choice' }) input: SetConsentInput,
  ): Promise<SetConsentPayload> {
    return recoverUserErrors<SetConsentPayload>(
      async () => ({ profile: await this.applyConsent(principal, input), userErrors: [] }),
      (userErrors) => ({ profile: null, userErrors }),
    );
  }

  private async applyConsent(principal: ApiKeyPrincipal, input: SetConsentInput): Promise<Profile> {
    const userId = validateUserId(input.userId);
    const purpose = (input.purpose ?? 'marketing').trim();
    if (!isConsentPurpose(purpose)) throw GatewayException.badInput('purpose', `"${purpose}": a purpose is lower-case letters, digits, "-" or "_" (at most 40)`);
    const source = input.source?.trim();
    if (source !== undefined && (source === '' || source.length > MAX_SOURCE_LENGTH)) {
      throw GatewayException.badInput('source', `must be 1 to ${MAX_SOURCE_LENGTH} characters`);
    }
    // MMS goes to the phone number SMS reaches: one consent covers both.
    const channel = input.channel === ChannelName.MMS ? ChannelName.SMS : input.channel;
    const at = input.timestamp ?? new Date();
    if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 60_000) throw GatewayException.badInput('timestamp', 'must not be in the future');
    const profile = await this.profiles.get(principal.workspaceId, userId);
    if (!profile) throw new GatewayException(GatewayErrorCode.NotFound, `No customer "${userId}" in this workspace`, 'userId');
    // Where the policy asks for double opt-in, a grant waits for the customer's YES (and they are asked for it).
    if (input.status === ConsentStatusName.PENDING) throw GatewayException.badInput('status', 'PENDING is set by double opt-in (a grant where the policy asks for it), not directly');
    const [change] = await this.doubleOptIn.asRecorded(principal.workspaceId, userId, [{ channel: channel as Channel, purpose, status: input.status as ConsentChoice['status'] }]);
    await this.consentStore.apply(principal.workspaceId, userId, [
      { ...change!, source: source ? `api:${source}` : 'api', at, detail: { apiKeyId: principal.keyId, ...(change!.status === 'pending' ? { doubleOptIn: 'requested' } : {}) } },
    ]);
    await this.doubleOptIn.request(principal.workspaceId, userId, [change!], `api-${at.getTime()}`);
    return toProfile(profile);
  }

  /** The identity a local id names (JSON [customer, kind, value]); null when the customer is not known by it (any more). */
  private async identityOf(principal: ApiKeyPrincipal, localId: string): Promise<Identity | null> {
    let parts: unknown;
    try {
      parts = JSON.parse(localId);
    } catch {
      return null;
    }
    if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((part) => typeof part === 'string')) return null;
    const [customerId, kind, value] = parts as [string, string, string];
    const found = await this.identityStore.findIdentity(principal.workspaceId, customerId, kind, value);
    return found ? toIdentity(customerId, found) : null;
  }
}

/** The customer a merge record went into. */
@Resolver(() => ProfileMergeRecord)
export class ProfileMergeRecordResolver {
  constructor(private readonly profiles: ProfileStore) {}

  @ResolveField(() => Profile, { nullable: true, description: 'The customer merged into; null when that profile is gone (erased, or merged on)' })
  async customer(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() merge: ProfileMergeRecord): Promise<Profile | null> {
    const profile = await this.profiles.get(principal.workspaceId, merge.intoUserId);
    return profile ? toProfile(profile) : null;
  }
}

function toIdentity(customerId: string, identity: StoredIdentity): Identity {
  return { ...identity, customerId, kind: identity.kind as IdentityKindName };
}

function toConsentChange(change: ConsentChangeRecord): ConsentChange {
  const { id, ...rest } = change;
  return { ...rest, changeRowId: id, channel: change.channel as ChannelName, status: change.status as ConsentStatusName };
}

function toMergeRecord(merge: ProfileMerge): ProfileMergeRecord {
  return {
    mergeRowId: merge.id,
    intoUserId: merge.intoCustomer,
    fromUserId: merge.fromCustomer,
    reason: merge.reason as MergeReasonName,
    messageId: merge.messageId,
    moved: merge.moved,
    mergedAt: merge.mergedAt,
  };
}
