import { Injectable } from '@nestjs/common';
import type { JourneyDescriptor } from '@continuum/contracts';
import { JourneyCatalogueStore, type WorkspaceJourney } from '@continuum/data';

const TTL_MS = 5_000;

/**
 * The catalogue as the gateway sees it: refreshed from PostgreSQL at most every few seconds, so a
 * newly deployed worker's journeys are routed within that time.
 */
@Injectable()
export class JourneyCatalogueCache {
  private descriptorsCache?: { value: Promise<JourneyDescriptor[]>; expires: number };
  private readonly statusCache = new Map<string, { value: Promise<Map<string, WorkspaceJourney>>; expires: number }>();

  constructor(private readonly store: JourneyCatalogueStore) {}

  descriptors(): Promise<JourneyDescriptor[]> {
    if (!this.descriptorsCache || this.descriptorsCache.expires < Date.now()) {
      const value = this.store.list().then((entries) => entries.map((entry) => entry.descriptor));
      value.catch(() => (this.descriptorsCache = undefined));
      this.descriptorsCache = { value, expires: Date.now() + TTL_MS };
    }
    return this.descriptorsCache.value;
  }

  workspaceStatuses(workspaceId: string): Promise<Map<string, WorkspaceJourney>> {
    const cached = this.statusCache.get(workspaceId);
    if (cached && cached.expires >= Date.now()) return cached.value;
    const value = this.store.workspaceJourneys(workspaceId);
    value.catch(() => this.statusCache.delete(workspaceId));
    this.statusCache.set(workspaceId, { value, expires: Date.now() + TTL_MS });
    return value;
  }

  /** Drops cached state after this gateway changed it (pause, resume, archive, publish). */
  invalidate(workspaceId?: string): void {
    if (workspaceId) this.statusCache.delete(workspaceId);
    else this.descriptorsCache = undefined;
  }
}
