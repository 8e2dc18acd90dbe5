import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { context, trace, type Context } from '@opentelemetry/api';
import { isGrpcServiceError } from '@temporalio/client';
import { customerRef, type CustomerEvent } from '@continuum/contracts';
import { EventStore, WorkspaceStore, type EventEntity } from '@continuum/data';
import { inActiveSpan } from '@continuum/temporal';
import { GATEWAY_CONFIG } from '../core/tokens';
import { GatewayMetrics } from '../observability/gateway-metrics';
import { BulkAdmission } from './bulk-admission';
import { EventRouter } from './event-router';

/** Temporal refused the event itself: it is marked routed with its routing_error, never retried. */
export class UndeliverableEventError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UndeliverableEventError';
  }
}

/**
 * Live customers' events go first; bulk work (a large import) shares what they leave, within
 * ROUTING_BULK_CONCURRENCY, and starts its journey instances at a lower Temporal priority.
 */
export type RoutingLane = 'live' | 'bulk';

/** An accepted, stored event on its way to journeys. */
export interface OutboxEntry {
  /** The events row id: ids ascend in the order events were accepted. */
  id: string;
  workspaceSlug: string;
  event: CustomerEvent;
  lane: RoutingLane;
}

interface Waiter {
  resolve(deliveredTo: string[]): void;
  reject(error: unknown): void;
}

interface Pending {
  entry: OutboxEntry;
  waiters: Waiter[];
  /** The trace of the request that accepted the event (routing continues it). */
  trace: Context;
}

interface CustomerQueue {
  key: string;
  items: Pending[];
  /** idle: nothing scheduled; ready: waiting for a routing slot; running; backoff: retry timer set. */
  state: 'idle' | 'ready' | 'running' | 'backoff';
  /** Live as soon as one of its events is: a customer's events stay in order, so the queue moves as one. */
  lane: RoutingLane;
  failures: number;
  timer?: NodeJS.Timeout;
}

/** Customers routed at the same time (each customer's events go one after another). */
const CONCURRENCY = 32;
/** Events routed for one customer before others get a turn. */
const TURN = 50;
const SWEEP_PAGE = 1000;
const MARK_BATCH = 500;
const MARK_DELAY_MS = 20;
const MAX_BACKOFF_MS = 30_000;
/** gRPC INVALID_ARGUMENT: Temporal refuses the request itself (e.g. an over-long instance key). */
const GRPC_INVALID_ARGUMENT = 3;

/**
 * The routing outbox. The events table is the durable outbox (`routed_at IS NULL` until every
 * journey the event concerns has it); this relay delivers what is in it:
 *
 * - per customer, strictly in the order events were accepted (one at a time, a failure blocks
 *   that customer's later events until a retry succeeds), customers in parallel;
 * - live customers first: a customer whose events are all bulk (a large import, the backlog found at
 *   start-up) waits while live customers are ready, at most ROUTING_BULK_CONCURRENCY of them route at
 *   once, and only while Temporal's task queue keeps up (BulkAdmission);
 * - failed routing is retried with exponential backoff (up to 30 s) for as long as the gateway
 *   runs; on start-up every unrouted event is loaded, in id order, before the gateway serves, so a
 *   crash right after an acknowledgement loses nothing (at least once: journeys ignore a repeated
 *   messageId);
 * - `routed_at` is written in small batches after routing; a crash in between routes those events
 *   again on the next start, which journeys ignore.
 */
@Injectable()
export class EventOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventOutbox.name);
  private readonly queues = new Map<string, CustomerQueue>();
  private readonly pending = new Map<string, Pending>();
  private readonly ready: Record<RoutingLane, CustomerQueue[]> = { live: [], bulk: [] };
  private running = 0;
  private runningBulk = 0;
  private pendingBulk = 0;
  private stopping = false;
  private marks: { ids: string[]; done: Array<() => void>; timer?: NodeJS.Timeout } = { ids: [], done: [] };
  private readonly flushes = new Set<Promise<void>>();
  /** Told about every event once it has been routed, before it counts as routed (see `afterRouting`). */
  private readonly routedListeners: Array<(entry: OutboxEntry, deliveredTo: string[]) => Promise<void>> = [];

  constructor(
    private readonly events: EventStore,
    private readonly workspaces: WorkspaceStore,
    private readonly router: EventRouter,
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly admission: BulkAdmission,
  ) {
    admission.onOpen(() => this.schedule());
    admission.readWhile(() => this.ready.bulk.length > 0);
  }

  /** Events accepted but not yet routed by this process. */
  get backlog(): number {
    return this.pending.size;
  }

  /** Bulk events accepted but not yet routed by this process (for the import's back-pressure). */
  get bulkBacklog(): number {
    return this.pendingBulk;
  }

  /**
   * Adds work that must follow each routed event at least once (audience membership): it runs
   * after the event reached its journeys and before it is marked routed, and a failure retries the
   * event's routing like a routing failure (journeys ignore the repeated messageId).
   */
  afterRouting(listener: (entry: OutboxEntry, deliveredTo: string[]) => Promise<void>): void {
    this.routedListeners.push(listener);
  }

  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** Waits for an event already queued; undefined when it is not (any more). */
  waitFor(id: string): Promise<string[]> | undefined {
    const item = this.pending.get(id);
    if (!item) return undefined;
    return new Promise((resolve, reject) => item.waiters.push({ resolve, reject }));
  }

  /** Queues events for routing, in the order given; an id already queued is not queued twice. */
  submit(entries: OutboxEntry[]): void {
    for (const entry of entries) this.add(entry);
    this.schedule();
  }

  /** Queues one event and resolves with the journey instances it reached once it is routed. */
  submitAndWait(entry: OutboxEntry): Promise<string[]> {
    const promise = new Promise<string[]>((resolve, reject) => this.add(entry, { resolve, reject }));
    this.schedule();
    return promise;
  }

  async onApplicationBootstrap(): Promise<void> {
    const slugs = new Map<string, string | undefined>();
    let after = '0';
    let loaded = 0;
    for (;;) {
      const page = await this.events.listUnroutedAfter(after, SWEEP_PAGE);
      if (page.length === 0) break;
      const entries: OutboxEntry[] = [];
      const notRoutable: string[] = [];
      for (const row of page) {
        if (!slugs.has(row.workspaceId)) slugs.set(row.workspaceId, (await this.workspaces.getWorkspace(row.workspaceId))?.slug);
        const slug = slugs.get(row.workspaceId);
        // Whatever waited through a restart must not hold up the customers arriving now.
        const entry = slug ? outboxEntryOf(row, slug, 'bulk') : undefined;
        if (entry) entries.push(entry);
        else notRoutable.push(row.id);
      }
      await this.events.markRoutedMany(notRoutable);
      this.submit(entries);
      loaded += page.length;
      after = page[page.length - 1]!.id;
    }
    if (loaded > 0) this.logger.log(`routing ${loaded} event(s) accepted before the last shutdown`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const queue of this.queues.values()) if (queue.timer) clearTimeout(queue.timer);
    const deadline = Date.now() + 10_000;
    while (this.running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.flushMarks();
    await Promise.allSettled([...this.flushes]);
    for (const { waiters } of this.pending.values()) {
      for (const waiter of waiters) waiter.reject(new Error('The gateway is shutting down; the event is stored and will be routed on the next start'));
    }
  }

  private add(entry: OutboxEntry, waiter?: Waiter): void {
    const existing = this.pending.get(entry.id);
    if (existing) {
      if (waiter) existing.waiters.push(waiter);
      return;
    }
    const item: Pending = { entry, waiters: waiter ? [waiter] : [], trace: context.active() };
    this.pending.set(entry.id, item);
    if (entry.lane === 'bulk') this.pendingBulk++;
    const key = `${entry.event.workspaceId}\u0000${entry.event.userId}`;
    const lane = entry.lane;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { key, items: [], state: 'idle', failures: 0, lane };
      this.queues.set(key, queue);
    }
    queue.items.push(item);
    this.metrics.routingBacklog(this.pending.size);
    if (lane === 'live' && queue.lane === 'bulk') this.promote(queue);
    if (queue.state === 'idle') this.makeReady(queue);
  }

  private makeReady(queue: CustomerQueue): void {
    queue.state = 'ready';
    this.ready[queue.lane].push(queue);
  }

  /** A live event joined a bulk customer's queue: the whole queue goes live (its order is kept). */
  private promote(queue: CustomerQueue): void {
    if (queue.state === 'ready') {
      const index = this.ready.bulk.indexOf(queue);
      if (index >= 0) this.ready.bulk.splice(index, 1);
      this.ready.live.push(queue);
    }
    queue.lane = 'live';
  }

  /** The next customer to route: live first; bulk only within its share of the slots. */
  private next(): CustomerQueue | undefined {
    if (this.ready.live.length > 0) return this.ready.live.shift();
    if (this.runningBulk < this.config.ROUTING_BULK_CONCURRENCY && this.admission.admits) return this.ready.bulk.shift();
    return undefined;
  }

  private schedule(): void {
    while (!this.stopping && this.running < CONCURRENCY) {
      const queue = this.next();
      if (!queue) return;
      const bulk = queue.lane === 'bulk';
      this.running++;
      if (bulk) this.runningBulk++;
      queue.state = 'running';
      void this.drain(queue).finally(() => {
        this.running--;
        if (bulk) this.runningBulk--;
        this.schedule();
      });
    }
  }

  private async drain(queue: CustomerQueue): Promise<void> {
    let routed = 0;
    while (queue.items.length > 0 && routed < TURN && !this.stopping) {
      const head = queue.items[0]!;
      try {
        const deliveredTo = await this.routeTraced(head);
        if (head.entry.lane === 'bulk') this.admission.spent(deliveredTo.length);
        for (const listener of this.routedListeners) await listener(head.entry, deliveredTo);
        this.metrics.eventRouted(deliveredTo.length > 0 ? 'delivered' : 'no_instance', head.entry.event.receivedAt);
        this.logRouted(head.entry, deliveredTo);
        queue.failures = 0;
        this.done(queue, head);
        void this.markRouted(head.entry.id).then(() => head.waiters.forEach((waiter) => waiter.resolve(deliveredTo)));
      } catch (error) {
        if (isRejectedByTemporal(error)) {
          const reason = describeError(error);
          this.logger.error({ msg: `event ${head.entry.id} (${head.entry.event.messageId}) cannot be routed: ${reason}`, ...eventFields(head.entry) });
          this.metrics.eventRouted('undeliverable', head.entry.event.receivedAt);
          await this.events.markUndeliverable(head.entry.id, reason).catch(() => undefined);
          this.done(queue, head);
          head.waiters.forEach((waiter) => waiter.reject(new UndeliverableEventError(reason)));
          continue;
        }
        this.metrics.eventRouted('failed');
        queue.failures++;
        const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(queue.failures - 1, 10));
        this.logger.warn({
          msg: `routing event ${head.entry.id} (${head.entry.event.messageId}) failed (attempt ${queue.failures}), retrying in ${delay} ms: ${describeError(error)}`,
          ...eventFields(head.entry),
        });
        head.waiters.splice(0).forEach((waiter) => waiter.reject(error));
        queue.state = 'backoff';
        queue.timer = setTimeout(() => {
          queue.timer = undefined;
          this.makeReady(queue);
          this.schedule();
        }, delay);
        queue.timer.unref();
        return;
      }
      routed++;
    }
    if (queue.items.length === 0) {
      queue.state = 'idle';
      this.queues.delete(queue.key);
    } else {
      this.makeReady(queue);
    }
  }

  /** Routes in a span under the accepting request's trace (a no-op while tracing is off). */
  private routeTraced({ entry, trace: parent }: Pending): Promise<string[]> {
    const tracer = trace.getTracer('continuum-gateway');
    const fields = eventFields(entry);
    return inActiveSpan(
      tracer,
      `route ${fields.event}`,
      { attributes: { 'continuum.customer_id': fields.customerId, 'continuum.message_id': fields.messageId, 'continuum.event_id': fields.eventId } },
      parent,
      async (span) => {
        const deliveredTo = await this.router.route(entry.workspaceSlug, entry.event, entry.lane);
        span.setAttribute('continuum.delivered_to', deliveredTo);
        return deliveredTo;
      },
    );
  }

  /** One line per instance reached, with its workflow id and the customer as the workflow id names it. */
  private logRouted(entry: OutboxEntry, deliveredTo: string[]): void {
    const fields = eventFields(entry);
    for (const workflowId of deliveredTo) this.logger.log({ msg: 'event routed', workflowId, ...fields });
    if (deliveredTo.length === 0) this.logger.debug({ msg: 'event reached no journey instance', ...fields });
  }

  private done(queue: CustomerQueue, item: Pending): void {
    queue.items.shift();
    this.pending.delete(item.entry.id);
    if (item.entry.lane === 'bulk') this.pendingBulk--;
    this.metrics.routingBacklog(this.pending.size);
  }

  private markRouted(id: string): Promise<void> {
    return new Promise((resolve) => {
      this.marks.ids.push(id);
      this.marks.done.push(resolve);
      if (this.marks.ids.length >= MARK_BATCH) void this.flushMarks();
      else this.marks.timer ??= setTimeout(() => void this.flushMarks(), MARK_DELAY_MS);
    });
  }

  private async flushMarks(): Promise<void> {
    const { ids, done, timer } = this.marks;
    if (timer) clearTimeout(timer);
    this.marks = { ids: [], done: [] };
    if (ids.length === 0) return;
    const flush = this.events.markRoutedMany(ids).catch((error: unknown) => {
      // The events were delivered; unmarked, they are delivered again on the next start (ignored by journeys).
      this.logger.warn(`could not mark ${ids.length} routed event(s): ${(error as Error).message}`);
    });
    this.flushes.add(flush);
    await flush;
    this.flushes.delete(flush);
    done.forEach((resolve) => resolve());
  }
}

/** Log fields of an event: `customerId` as workflow ids and the CustomerId search attribute name it. */
function eventFields({ id, workspaceSlug, event }: OutboxEntry) {
  return {
    customerId: customerRef(workspaceSlug, event.userId),
    userId: event.userId,
    workspaceId: event.workspaceId,
    eventId: id,
    messageId: event.messageId,
    event: event.event ?? event.type,
  };
}

/** The event as journeys receive it; undefined for kinds nothing routes (page, screen, group, alias). */
export function outboxEntryOf(
  row: Pick<EventEntity, 'id' | 'workspaceId' | 'messageId' | 'userId' | 'type' | 'name' | 'properties' | 'traits' | 'timestamp' | 'receivedAt'>,
  workspaceSlug: string,
  lane: RoutingLane,
): OutboxEntry | undefined {
  if (row.type !== 'track' && row.type !== 'identify') return undefined;
  return {
    id: row.id,
    workspaceSlug,
    lane,
    event: {
      messageId: row.messageId,
      workspaceId: row.workspaceId,
      userId: row.userId,
      type: row.type,
      event: row.name ?? undefined,
      properties: row.properties,
      traits: row.traits ?? undefined,
      timestamp: row.timestamp.toISOString(),
      receivedAt: row.receivedAt.toISOString(),
    },
  };
}

/** The error's message with its causes', e.g. `Failed to signalWithStart Workflow: 3 INVALID_ARGUMENT: …`. */
function describeError(error: unknown): string {
  const messages: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) messages.push(current.message);
  return messages.join(': ');
}

function isRejectedByTemporal(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(current)) return current.code === GRPC_INVALID_ARGUMENT;
  }
  return false;
}
