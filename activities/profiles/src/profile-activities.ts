import {
  resolveSettings,
  type JourneyDescriptor,
  type JourneySettingsActivities,
  type MessagingPolicy,
  type MessagingPolicyActivities,
  type ProfileActivities,
  type ProfileSnapshot,
  type SettingValue,
} from '@continuum/contracts';
import type { JourneyCatalogueStore, ProfileStore } from '@continuum/data';
import { ApplicationFailure } from '@temporalio/common';

/** Reads profiles and journey settings for journeys; both results are recorded in history. */
export function createProfileActivities(deps: {
  profiles: ProfileStore;
  catalogue: JourneyCatalogueStore;
  descriptors: JourneyDescriptor[];
  /** Per journey, defaults that replace the definition's (from deployment config). */
  settingDefaults?: Record<string, Record<string, SettingValue>>;
  /**
   * Quiet hours, channel order and time zones for the messaging rules: one policy for every
   * workspace, or the workspace's own (its governance policy over the deployment's, read at send time).
   */
  messagingPolicy?: MessagingPolicy | ((workspaceId: string) => Promise<MessagingPolicy>);
}): ProfileActivities & JourneySettingsActivities & MessagingPolicyActivities {
  const policy = deps.messagingPolicy ?? { quietHours: { regions: {}, mode: 'queue' as const }, regionTimeZones: {}, workspaceTimeZone: 'UTC' };
  const byId = new Map(deps.descriptors.map((descriptor) => [descriptor.id, descriptor]));
  const activities = {
    async getProfile({ workspaceId, userId }: { workspaceId: string; userId: string }): Promise<ProfileSnapshot | undefined> {
      const profile = await deps.profiles.get(workspaceId, userId);
      if (!profile) return undefined;
      return {
        userId: profile.userId,
        traits: profile.traits,
        phone: profile.phone ?? undefined,
        email: profile.email ?? undefined,
        ...(profile.timezone ? { timezone: profile.timezone } : {}),
        ...(profile.locale ? { locale: profile.locale } : {}),
        ...(profile.country ? { country: profile.country } : {}),
      };
    },
    async getMessagingPolicy({ workspaceId }: { workspaceId: string }): Promise<MessagingPolicy> {
      return typeof policy === 'function' ? policy(workspaceId) : policy;
    },
    async getSendReads({ workspaceId, userId }: { workspaceId: string; userId: string }): Promise<{ profile: ProfileSnapshot | undefined; policy: MessagingPolicy }> {
      const [profile, read] = await Promise.all([activities.getProfile({ workspaceId, userId }), activities.getMessagingPolicy({ workspaceId })]);
      return { profile, policy: read };
    },
    async getJourneySettings({ journeyId, workspaceId }: { journeyId: string; workspaceId: string }): Promise<Record<string, SettingValue>> {
      const descriptor = byId.get(journeyId);
      if (!descriptor) throw ApplicationFailure.nonRetryable(`Unknown journey "${journeyId}"`, 'UnknownJourney');
      const workspace = await deps.catalogue.workspaceJourney(workspaceId, journeyId);
      return resolveSettings(descriptor.settings, { ...deps.settingDefaults?.[journeyId], ...workspace.settings });
    },
  };
  return activities;
}
