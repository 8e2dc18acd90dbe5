import type { JourneySettingsActivities, ProfileActivities, ProfileSnapshot } from '@continuum/contracts';
import type { ProfileStore } from '@continuum/data';

/** Reads profiles and journey settings for journeys; both results are recorded in history. */
export function createProfileActivities(deps: {
  profiles: ProfileStore;
  journeySettings: Record<string, Record<string, string>>;
}): ProfileActivities & JourneySettingsActivities {
  return {
    async getProfile({ workspaceId, userId }): Promise<ProfileSnapshot | undefined> {
      const profile = await deps.profiles.get(workspaceId, userId);
      if (!profile) return undefined;
      return {
        userId: profile.userId,
        traits: profile.traits,
        phone: profile.phone ?? undefined,
        email: profile.email ?? undefined,
      };
    },
    async getJourneySettings({ journeyId }): Promise<Record<string, string>> {
      return deps.journeySettings[journeyId] ?? {};
    },
  };
}
