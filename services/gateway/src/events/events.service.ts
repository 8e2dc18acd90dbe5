import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { CustomerEvent } from '@continuum/contracts';
import { EventStore, ProfileStore, WorkspaceStore, type ApiKeyPrincipal, type EventEntity, type NewEvent } from '@continuum/data';

/** The workspace an event belongs to (an API key's or a source write key's). */
export type WorkspacePrincipal = Pick<ApiKeyPrincipal, 'workspaceId' | 'workspaceSlug'>;
import { GatewayException } from '../common/gateway-exception';
import type { TrackInput } from './dto/track.input';
import { EventRouter } from './event-router';
import { validateEventName, validateMessageId, validateTimestamp, validateUserId } from './event-validation';
import type { TrackResult } from './models/track-result.model';

const MAX_PROPERTIES_BYTES = 32 * 1024;

/** Accepts events: persisted first, then routed; unrouted events are swept again at start-up. */
@Injectable()
export class EventsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(EventsService.name);

  constructor(
    private readonly events: EventStore,
    private readonly profiles: ProfileStore,
    private readonly workspaces: WorkspaceStore,
    private readonly router: EventRouter,
  ) {}

  async track(principal: WorkspacePrincipal, input: TrackInput): Promise<TrackResult> {
    const userId = validateUserId(input.userId);
    const event = validateEventName(input.event);
    const messageId = validateMessageId(input.messageId);
    const receivedAt = new Date();
    const timestamp = validateTimestamp(input.timestamp, receivedAt);
    const properties = input.properties ?? {};
    if (Buffer.byteLength(JSON.stringify(properties)) > MAX_PROPERTIES_BYTES) {
      throw GatewayException.badInput('properties', `must be at most ${MAX_PROPERTIES_BYTES / 1024} KB of JSON`);
    }
    const result = await this.accept(principal, { messageId, userId, type: 'track', name: event, properties, timestamp, receivedAt });
    return { messageId, ...result };
  }

  /**
   * The one way an event enters Continuum (GraphQL, the tracking API, webhooks): stored first,
   * then delivered to journeys. Input must already be validated.
   */
  async accept(
    principal: WorkspacePrincipal,
    event: Omit<NewEvent, 'workspaceId'>,
  ): Promise<{ duplicate: boolean; deliveredTo: string[] }> {
    const stored = await this.events.insert({ ...event, workspaceId: principal.workspaceId });
    if (stored.inserted) await this.profiles.ensureProfile(principal.workspaceId, event.userId);
    // A duplicate whose first delivery never finished is routed again; journeys ignore repeats.
    const deliveredTo = stored.event.routedAt ? [] : await this.deliver(principal.workspaceSlug, stored.event);
    return { duplicate: !stored.inserted, deliveredTo };
  }

  async onApplicationBootstrap(): Promise<void> {
    const pending = await this.events.listUnrouted(1000);
    for (const event of pending) {
      const workspace = await this.workspaces.getWorkspace(event.workspaceId);
      if (workspace) await this.deliver(workspace.slug, event);
    }
    if (pending.length > 0) this.logger.log(`routed ${pending.length} event(s) accepted before the last shutdown`);
  }

  private async deliver(workspaceSlug: string, stored: EventEntity): Promise<string[]> {
    const event: CustomerEvent = {
      messageId: stored.messageId,
      workspaceId: stored.workspaceId,
      userId: stored.userId,
      type: stored.type,
      event: stored.name ?? undefined,
      properties: stored.properties,
      traits: stored.traits ?? undefined,
      timestamp: stored.timestamp.toISOString(),
      receivedAt: stored.receivedAt.toISOString(),
    };
    const deliveredTo = await this.router.route(workspaceSlug, event);
    await this.events.markRouted(stored.id);
    return deliveredTo;
  }
}
