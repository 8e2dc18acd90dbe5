import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '@continuum/data';
import { EventStore, JournalStore, MessageStore, ProfileStore } from '@continuum/data';
import { toE164 } from '@continuum/domain';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { validateMessageId, validateTimestamp, validateUserId } from '../events/event-validation';
import type { IdentifyInput } from './dto/identify.input';
import type { IdentifyResult } from './models/identify-result.model';
import type { Profile } from './models/profile.model';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly profiles: ProfileStore,
    private readonly events: EventStore,
    private readonly journal: JournalStore,
    private readonly messages: MessageStore,
  ) {}

  async identify(principal: ApiKeyPrincipal, input: IdentifyInput): Promise<IdentifyResult> {
    const userId = validateUserId(input.userId);
    const messageId = validateMessageId(input.messageId);
    const receivedAt = new Date();
    const timestamp = validateTimestamp(input.timestamp, receivedAt);
    const identities = this.identitiesOf(input.traits);
    const stored = await this.events.insert({
      workspaceId: principal.workspaceId,
      messageId,
      userId,
      type: 'identify',
      properties: {},
      traits: input.traits,
      timestamp,
      receivedAt,
    });
    if (stored.inserted) {
      await this.profiles.mergeTraits(principal.workspaceId, userId, input.traits, identities);
      await this.events.markRouted(stored.event.id);
    }
    const profile = await this.get(principal, userId);
    return { messageId, duplicate: !stored.inserted, profile: profile! };
  }

  async get(principal: ApiKeyPrincipal, userId: string): Promise<Profile | null> {
    const profile = await this.profiles.get(principal.workspaceId, userId);
    if (!profile) return null;
    const [instances, messages] = await Promise.all([
      this.journal.listInstances(principal.workspaceId, userId),
      this.messages.listByCustomer(principal.workspaceId, userId),
    ]);
    return {
      userId: profile.userId,
      traits: profile.traits,
      phone: profile.phone,
      email: profile.email,
      journeyInstances: instances.map((instance) => ({
        id: instance.instanceId,
        runId: instance.runId,
        journeyId: instance.journeyId,
        key: instance.instanceKey,
        status: instance.status,
        currentStep: instance.currentStep,
        exitReason: instance.exitReason,
        startedAt: instance.startedAt,
        endedAt: instance.endedAt,
      })),
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

  private identitiesOf(traits: Record<string, unknown>): { phone?: string | null; email?: string | null } {
    const identities: { phone?: string | null; email?: string | null } = {};
    if ('phone' in traits) {
      const raw = traits['phone'];
      if (raw === null) identities.phone = null;
      else if (typeof raw !== 'string' || !toE164(raw)) {
        throw new GatewayException(
          GatewayErrorCode.BadUserInput,
          `traits.phone: "${String(raw)}" is not a phone number in international format (E.164), e.g. +14155550100`,
          'traits.phone',
        );
      } else identities.phone = toE164(raw);
    }
    if ('email' in traits) {
      const raw = traits['email'];
      if (raw === null) identities.email = null;
      else if (typeof raw !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) {
        throw new GatewayException(GatewayErrorCode.BadUserInput, `traits.email: "${String(raw)}" is not an email address`, 'traits.email');
      } else identities.email = raw.trim().toLowerCase();
    }
    return identities;
  }
}
