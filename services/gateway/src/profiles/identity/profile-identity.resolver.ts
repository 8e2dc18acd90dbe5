import { Args, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ConsentStore, IdentityStore, ProfileStore, type ApiKeyPrincipal } from '@continuum/data';
import { isConsentPurpose } from '@continuum/domain';
import { CurrentPrincipal } from '../../auth/workspace-context';
import { GatewayErrorCode, GatewayException } from '../../common/gateway-exception';
import { validateUserId } from '../../common/event-validation';
import { withGatewayErrors } from '../../common/field-errors';
import { Profile } from '../models/profile.model';
import { ChannelName } from '../../common/models/channel.model';
import { Consent, ConsentChange, Identity, ProfileMergeRecord, SetConsentInput, type ConsentStatusName, type IdentityKindName } from './identity.models';

const MAX_SOURCE_LENGTH = 100;

/** Who a customer is on every channel, what they agreed to, and which customers were merged into them. */
@Resolver(() => Profile)
export class ProfileIdentityResolver {
  constructor(
    private readonly identityStore: IdentityStore,
    private readonly consentStore: ConsentStore,
    private readonly profiles: ProfileStore,
  ) {}

  @ResolveField(() => [Identity], { description: 'userId, anonymous ids, email, phone and WhatsApp numbers' })
  async identities(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() profile: Profile): Promise<Identity[]> {
    const identities = await this.identityStore.list(principal.workspaceId, profile.userId);
    return identities.map((identity) => ({ ...identity, kind: identity.kind as IdentityKindName }));
  }

  @ResolveField(() => [Consent], { description: 'Recorded choices per channel and purpose; a channel/purpose not listed is UNKNOWN' })
  async consent(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() profile: Profile): Promise<Consent[]> {
    const records = await this.consentStore.list(principal.workspaceId, profile.userId);
    return records.map((record) => ({ ...record, channel: record.channel as ChannelName, status: record.status as ConsentStatusName }));
  }

  @ResolveField(() => [ConsentChange], { description: 'Every consent change with its source, newest first' })
  async consentHistory(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Parent() profile: Profile,
    @Args('first', { type: () => Int, defaultValue: 50, description: '1 to 500' }) first: number,
  ): Promise<ConsentChange[]> {
    return withGatewayErrors(async () => {
      if (!Number.isInteger(first) || first < 1 || first > 500) throw GatewayException.badInput('first', 'must be between 1 and 500');
      const changes = await this.consentStore.history(principal.workspaceId, profile.userId, first);
      return changes.map((change) => ({ ...change, channel: change.channel as ChannelName, status: change.status as ConsentStatusName }));
    });
  }

  @ResolveField(() => [ProfileMergeRecord], { description: 'Customers merged into this one (anonymous visitors who identified, aliases), oldest first' })
  async merges(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() profile: Profile): Promise<ProfileMergeRecord[]> {
    return this.identityStore.merges(principal.workspaceId, profile.userId);
  }

  @Mutation(() => [Consent], { description: "Records a customer's consent for one channel and purpose; returns all their consent" })
  async setConsent(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The customer, channel, purpose and choice' }) input: SetConsentInput): Promise<Consent[]> {
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
    if (!(await this.profiles.get(principal.workspaceId, userId))) {
      throw new GatewayException(GatewayErrorCode.NotFound, `No customer "${userId}" in this workspace`, 'userId');
    }
    await this.consentStore.apply(principal.workspaceId, userId, [
      { channel, purpose, status: input.status, source: source ? `api:${source}` : 'api', at, detail: { apiKeyId: principal.keyId } },
    ]);
    return this.consent(principal, { userId } as Profile);
  }
}
