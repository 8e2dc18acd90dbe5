import { Injectable } from '@nestjs/common';
import { EventStore, ProfileStore, type AcceptedEvent, type ApiKeyPrincipal, type NewEvent } from '@continuum/data';
import { GatewayMetrics, type EventSource } from '../observability/gateway-metrics';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import type { TrackInput } from './dto/track.input';
import { MergePropagator } from './merge-propagator';
import { EventOutbox, outboxEntryOf, UndeliverableEventError, type OutboxEntry, type RoutingLane } from './event-outbox';
import { validateEventName, validateMessageId, validateTimestamp, validateUserId } from '../common/event-validation';
import { toProfileEvent, type ProfileEvent } from './models/profile-event.model';
import { DoubleOptInRequests } from '../consent/double-opt-in-requests';

/** The workspace an event belongs to (an API key's or a source write key's). */
export type WorkspacePrincipal = Pick<ApiKeyPrincipal, 'workspaceId' | 'workspaceSlug'>;

/** An event to accept: validated, without its workspace (the principal's). */
export type IncomingEvent = Omit<NewEvent, 'workspaceId'>;

export interface AcceptResult {
  /** The stored row's key (the first copy's for a duplicate): the local id of its `ProfileEvent`. */
  eventId: string;
  messageId: string;
  /** True when this messageId had been accepted before (it is not stored or routed again). */
  duplicate: boolean;
  /** Journey instances reached; filled only when the caller waits for routing. */
  deliveredTo: string[];
}

const MAX_PROPERTIES_BYTES = 32 * 1024;
/** How long a caller that waits for routing (GraphQL track) waits before hearing it is delayed. */
const ROUTING_WAIT_MS = 10_000;
/** Event types journeys receive; the others are stored as already routed. */
const ROUTED_TYPES: ReadonlySet<NewEvent['type']> = new Set(['track', 'identify']);

/**
 * Accepts events: persisted first (one transaction per request), then routed through the outbox,
 * per customer in the order accepted; unrouted events are swept again at start-up.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventStore,
    private readonly outbox: EventOutbox,
    private readonly merges: MergePropagator,
    private readonly metrics: GatewayMetrics,
    private readonly profiles: ProfileStore,
    private readonly doubleOptIn: DoubleOptInRequests,
  ) {}

  /** The stored events of `results` (one query), as `ProfileEvent`s by event id. */
  async storedEvents(principal: WorkspacePrincipal, results: ReadonlyArray<Pick<AcceptResult, 'eventId'>>): Promise<Map<string, ProfileEvent>> {
    const rows = await this.profiles.eventsById(principal.workspaceId, [...new Set(results.map((result) => result.eventId))]);
    return new Map(rows.map((row) => [row.id, toProfileEvent(row)]));
  }

  async track(principal: WorkspacePrincipal, input: TrackInput): Promise<AcceptResult> {
    const userId = validateUserId(input.userId);
    const event = validateEventName(input.event);
    const messageId = validateMessageId(input.messageId);
    const receivedAt = new Date();
    const timestamp = validateTimestamp(input.timestamp, receivedAt);
    const properties = input.properties ?? {};
    if (Buffer.byteLength(JSON.stringify(properties)) > MAX_PROPERTIES_BYTES) {
      throw GatewayException.badInput('properties', `must be at most ${MAX_PROPERTIES_BYTES / 1024} KB of JSON`);
    }
    return this.accept(principal, { messageId, userId, type: 'track', name: event, properties, timestamp, receivedAt });
  }

  /**
   * The one way an event enters Continuum (GraphQL, the tracking API, webhooks): stored first,
   * then delivered to journeys. Input must already be validated. Resolves once routed.
   */
  async accept(principal: WorkspacePrincipal, event: IncomingEvent): Promise<AcceptResult> {
    const [result] = await this.acceptAll(principal, [event], { waitForRouting: true, source: 'graphql' });
    return result!;
  }

  /**
   * Accepts several events at once (a tracking API batch): all are stored in one transaction in the
   * order given, each new identify has updated its profile, and each event is queued for routing
   * before this resolves. Without `waitForRouting` it does not wait for the journeys.
   */
  async acceptAll(
    principal: WorkspacePrincipal,
    events: IncomingEvent[],
    options: { waitForRouting?: boolean; source: EventSource; lane?: RoutingLane },
  ): Promise<AcceptResult[]> {
    // A consent trait granting a channel whose policy asks for double opt-in is recorded pending (then asked for).
    for (const event of events) {
      if (event.type === 'identify' && event.consent && event.consent.length > 0) {
        event.consent = await this.doubleOptIn.asRecorded(principal.workspaceId, event.userId, event.consent, event.identities?.country ?? undefined);
      }
    }
    const stored = await this.events.acceptBatch(
      events.map((event) => ({
        ...event,
        workspaceId: principal.workspaceId,
        routedAt: event.routedAt ?? (ROUTED_TYPES.has(event.type) ? undefined : event.receivedAt),
        // Its lane is stored: a gateway that finds it unrouted later (a restart, a takeover) routes it in it.
        bulk: options.lane === 'bulk',
      })),
    );
    for (const [index, event] of events.entries()) {
      if (stored[index]!.inserted && event.consent?.some((change) => change.status === 'pending')) {
        await this.doubleOptIn.request(principal.workspaceId, event.userId, event.consent, `event-${event.messageId}`);
      }
    }
    // An event that merged an anonymous customer: their running instances hear it (durably).
    this.merges.kick();
    this.metrics.eventsAccepted(options.source, stored.filter((row) => row.inserted).length);
    const routing = await this.queueForRouting(principal, events, stored, options.waitForRouting ?? false, options.lane ?? 'live');
    const deliveredTo = await Promise.all(routing.map((promise, index) => withRoutingDeadline(promise, stored[index]!.messageId)));
    return stored.map((row, index) => ({ eventId: row.id, messageId: row.messageId, duplicate: !row.inserted, deliveredTo: deliveredTo[index] ?? [] }));
  }

  /** Events accepted but not yet routed by this gateway (for back-pressure). */
  get routingBacklog(): number {
    return this.outbox.backlog;
  }

  /** Of those, the bulk ones (imports). */
  get bulkRoutingBacklog(): number {
    return this.outbox.bulkBacklog;
  }

  /**
   * Queues each new routable event, and a repeated one whose first copy was never routed (the
   * stored copy, not the repeat; an event already queued shares that routing). Returns, per event,
   * its routing when waited for.
   */
  private async queueForRouting(
    principal: WorkspacePrincipal,
    events: IncomingEvent[],
    stored: AcceptedEvent[],
    wait: boolean,
    lane: RoutingLane,
  ): Promise<Array<Promise<string[]>>> {
    const entries = new Map<string, OutboxEntry>();
    stored.forEach((row, index) => {
      const event = events[index]!;
      const entry = row.inserted
        ? outboxEntryOf(
            {
              ...event,
              id: row.id,
              workspaceId: row.workspaceId,
              userId: row.customerId,
              name: event.name ?? null,
              traits: event.traits ?? null,
              routingPartition: row.routingPartition,
            },
            principal.workspaceSlug,
            lane,
          )
        : undefined;
      if (entry) entries.set(row.id, entry);
    });
    const unrouted = stored.filter((row) => !row.inserted && row.routedAt === null && !entries.has(row.id) && !this.outbox.has(row.id));
    for (const row of await this.events.findByIds(unrouted.map((row) => row.id))) {
      // A repeat is routed in the lane of the request that repeats it (a live resend of an import's event goes live).
      const entry = row.routedAt === null ? outboxEntryOf(row, principal.workspaceSlug, lane) : undefined;
      if (entry) entries.set(row.id, entry);
    }
    const routing = await this.outbox.submitAccepted([...entries.values()], wait);
    if (!wait) return [];
    return stored.map((row) => routing.get(row.id) ?? (row.routedAt === null ? this.outbox.waitFor(row.id) : Promise.resolve([])));
  }
}

/**
 * A stored event whose routing failed or is slow is not lost (the outbox keeps retrying); the caller
 * hears exactly that instead of a generic internal error.
 */
async function withRoutingDeadline(routing: Promise<string[]>, messageId: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not delivered within ${ROUTING_WAIT_MS / 1000} s`)), ROUTING_WAIT_MS);
  });
  try {
    return await Promise.race([routing, deadline]);
  } catch (error) {
    if (error instanceof UndeliverableEventError) {
      throw new GatewayException(GatewayErrorCode.BadUserInput, `Event ${messageId} is stored but Temporal refused to deliver it to journeys: ${error.message}`);
    }
    throw new GatewayException(
      GatewayErrorCode.Unavailable,
      `Event ${messageId} is stored but not yet delivered to journeys (${(error as Error).message}); it will be delivered when Temporal is reachable`,
    );
  } finally {
    clearTimeout(timer);
  }
}
