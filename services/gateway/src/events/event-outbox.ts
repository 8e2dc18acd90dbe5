import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { context, trace, type Context } from '@opentelemetry/api';
import { isGrpcServiceError } from '@temporalio/client';
import { customerRef, type CustomerEvent } from '@continuum/contracts';
import { EventStore, NotificationListener, RoutingLeaseStore, WorkspaceStore, type EventEntity } from '@continuum/data';
import { inActiveSpan } from '@continuum/temporal';
import { GATEWAY_CONFIG } from '../core/tokens';
import { GatewayMetrics } from '../observability/gateway-metrics';
import { BulkAdmission } from './bulk-admission';
import { EventRouter } from './event-router';
import { RoutingLeases } from './routing-leases';

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
  /** The customer's routing partition: only the gateway holding its lease routes the event. */
  partition: number;
  /** Read from the database (not handed over by the request that accepted it here): once routed, every gateway hears so. */
  announce?: boolean;
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
  partition: number;
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
/** How long this gateway remembers the events it marked routed (longer than any read of the outbox takes). */
const RECENTLY_MARKED_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;
/** How often held partitions are re-read for events other gateways accepted, and awaited events elsewhere checked. */
const POLL_MS = 1000;
/** Retry delay while a partition's lease is held but not freshly renewed. */
const FENCED_RETRY_MS = 250;
/** NOTIFY channel: `w:<lane>:<partitions>` (events to route), `r:<json>` (events routed). */
export const ROUTING_CHANNEL = 'continuum_routing';
/** An event routed elsewhere this long ago whose announcement never came is settled from the database. */
const NOTICE_GRACE_MS = 2000;
/** NOTIFY payloads stay under PostgreSQL's 8000 bytes. */
const NOTICE_BYTES = 7000;
/** gRPC INVALID_ARGUMENT: Temporal refuses the request itself (e.g. an over-long instance key). */
const GRPC_INVALID_ARGUMENT = 3;

/**
 * The routing outbox. The events table is the durable outbox (`routed_at IS NULL` until every
 * journey the event concerns has it); this relay delivers what is in it:
 *
 * - per customer, strictly in the order events were accepted (one at a time, a failure blocks
 *   that customer's later events until a retry succeeds), customers in parallel;
 * - live customers first: a customer whose events are all bulk (a large import; an event found in the
 *   database keeps the lane it was stored with, `events.bulk`) waits while live customers are ready, at most ROUTING_BULK_CONCURRENCY of them route at
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
  /** This gateway's routing partitions. */
  readonly leases: RoutingLeases;
  /** Events routed here and not yet marked routed (so a re-read does not queue them again). */
  private readonly unmarked = new Set<string>();
  /**
   * Events this gateway marked routed in the last RECENTLY_MARKED_MS, by when: a read of the database
   * that began before a mark committed still lists its event as unrouted, after it has left `pending`
   * and `unmarked`; without this, that read would route it a second time (harmless to a journey,
   * which drops the repeat, but a second signal).
   */
  private readonly recentlyMarked = new Map<string, number>();
  /** Routed events read from the database, announced once marked: [id, deliveredTo] or [id, null, error]. */
  private notices: Array<[string, string[] | null, string?]> = [];
  /** Callers waiting for events another gateway routes. */
  private readonly remoteWaiters = new Map<string, Waiter[]>();
  /** Partitions being given back: their routing stops. */
  private readonly releasing = new Set<number>();
  private readonly runningIn = new Map<number, number>();
  private listener?: NotificationListener;
  private poller?: NodeJS.Timeout;
  /** Reads of the database's unrouted events, one after another. */
  private loading: Promise<void> = Promise.resolve();
  private nextLoad?: { partitions: Set<number>; lane: RoutingLane; done: Promise<void> };
  private readonly slugs = new Map<string, string | undefined>();

  constructor(
    private readonly events: EventStore,
    private readonly workspaces: WorkspaceStore,
    private readonly router: EventRouter,
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly admission: BulkAdmission,
    leaseStore: RoutingLeaseStore,
  ) {
    admission.onOpen(() => this.schedule());
    admission.readWhile(() => this.ready.bulk.length > 0);
    this.leases = new RoutingLeases(leaseStore, config.ROUTING_LEASE_MS, {
      gained: (partitions) => void this.load(partitions, 'bulk'),
      lost: (partitions) => this.drop(partitions),
      releasing: (partitions) => this.release(partitions),
    });
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

  /**
   * Waits for a stored, unrouted event: queued here, or routed by the gateway holding its partition
   * (then `deliveredTo` is empty when only the database, not that gateway, said it was routed).
   */
  waitFor(id: string): Promise<string[]> {
    const item = this.pending.get(id);
    if (item) return new Promise((resolve, reject) => item.waiters.push({ resolve, reject }));
    if (this.unmarked.has(id)) return Promise.resolve([]);
    return this.waitElsewhere(id);
  }

  /**
   * Events just accepted by this gateway, in the order accepted. Those of partitions held here are
   * queued, after any earlier unrouted event of the same customer that another gateway accepted;
   * the others are left to the gateway holding their partition (told at once). With `wait`, returns
   * per event id the routing to wait for.
   */
  async submitAccepted(entries: OutboxEntry[], wait: boolean): Promise<Map<string, Promise<string[]>>> {
    const routing = new Map<string, Promise<string[]>>();
    // In the order stored (a repeated messageId's first copy may come after later events).
    const here = entries.filter((entry) => this.leases.holds(entry.partition)).sort((a, b) => compareIds(a.id, b.id));
    const elsewhere = entries.filter((entry) => !this.leases.holds(entry.partition));
    if (wait) for (const entry of elsewhere) routing.set(entry.id, this.waitElsewhere(entry.id));
    if (here.length > 0) {
      // Per customer, the first (lowest) id accepted here: what another gateway stored before it goes first.
      const first = new Map<string, { workspaceId: string; userId: string; beforeId: string }>();
      for (const entry of here) {
        const key = `${entry.event.workspaceId}\u0000${entry.event.userId}`;
        const known = first.get(key);
        if (!known || compareIds(entry.id, known.beforeId) < 0) first.set(key, { workspaceId: entry.event.workspaceId, userId: entry.event.userId, beforeId: entry.id });
      }
      const earlier = (await this.events.listUnroutedOfCustomers([...first.values()]))
        .map((row) => row.id)
        .filter((id) => !this.queuedOrRouted(id));
      if (earlier.length > 0) this.submit(await this.entriesOf(earlier, here[0]!.lane));
      for (const entry of here) {
        if (wait) routing.set(entry.id, new Promise<string[]>((resolve, reject) => this.add(entry, { resolve, reject })));
        else this.add(entry);
      }
      this.schedule();
    }
    if (elsewhere.length > 0) {
      const partitions = [...new Set(elsewhere.map((entry) => entry.partition))];
      await this.events.notifyRouting(`w:${elsewhere[0]!.lane}:${partitions.join(',')}`).catch((error: unknown) => {
        this.logger.debug(`could not tell the other gateways (they find the events within ${POLL_MS} ms): ${(error as Error).message}`);
      });
    }
    return routing;
  }

  private waitElsewhere(id: string): Promise<string[]> {
    return new Promise((resolve, reject) => this.remoteWaiters.set(id, [...(this.remoteWaiters.get(id) ?? []), { resolve, reject }]));
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
    // Events stored by a gateway from before routing partitions get theirs.
    await this.events.partitionUnrouted();
    this.listener = new NotificationListener(this.config.DATABASE_URL, ROUTING_CHANNEL, (payload) => this.heard(payload), {
      applicationName: 'continuum-gateway-routing',
    });
    await this.listener.start();
    // Alone, the gateway takes every partition, and loads their unrouted events before it serves.
    await this.leases.start();
    await this.loading;
    const poll = () => {
      this.poller = setTimeout(() => {
        if (this.stopping) return;
        void Promise.allSettled([this.load(this.leases.partitions, 'bulk'), this.checkElsewhere()]).finally(poll);
      }, POLL_MS);
      this.poller.unref();
    };
    poll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.poller);
    this.leases.abandon();
    for (const queue of this.queues.values()) if (queue.timer) clearTimeout(queue.timer);
    const deadline = Date.now() + 10_000;
    while (this.running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.flushMarks();
    await Promise.allSettled([...this.flushes]);
    await this.leases.stop();
    await this.listener?.stop();
    const shutdown = () => new Error('The gateway is shutting down; the event is stored and will be routed on the next start');
    for (const { waiters } of this.pending.values()) for (const waiter of waiters) waiter.reject(shutdown());
    for (const waiters of this.remoteWaiters.values()) for (const waiter of waiters) waiter.reject(shutdown());
    this.remoteWaiters.clear();
  }

  /**
   * Stops routing here as a gateway that dies would (tests of another gateway taking over): no
   * more routing, no renewal, nothing given back, nothing marked.
   */
  abandon(): void {
    this.stopping = true;
    clearTimeout(this.poller);
    this.leases.abandon();
    void this.listener?.stop();
  }

  /**
   * Queues the unrouted events of held `partitions` found in the database, in the order accepted.
   * Reads go one after another; requests made meanwhile are merged into the next read.
   */
  private load(partitions: number[], lane: RoutingLane): Promise<void> {
    if (this.nextLoad) {
      for (const partition of partitions) this.nextLoad.partitions.add(partition);
      if (lane === 'live') this.nextLoad.lane = 'live';
      return this.nextLoad.done;
    }
    const next = { partitions: new Set(partitions), lane, done: Promise.resolve() };
    this.nextLoad = next;
    next.done = this.loading = this.loading.then(() => {
      this.nextLoad = undefined;
      return this.read([...next.partitions], next.lane);
    });
    return next.done;
  }

  private async read(partitions: number[], lane: RoutingLane): Promise<void> {
    try {
      let after = '0';
      for (;;) {
        const held = partitions.filter((partition) => this.leases.holds(partition) && !this.releasing.has(partition));
        if (held.length === 0 || this.stopping) return;
        const ids = await this.events.listUnroutedIdsInPartitions(held, after, SWEEP_PAGE);
        if (ids.length === 0) return;
        after = ids[ids.length - 1]!;
        const fresh = ids.filter((id) => !this.queuedOrRouted(id));
        if (fresh.length > 0) this.submit(await this.entriesOf(fresh, lane));
        if (ids.length < SWEEP_PAGE) return;
      }
    } catch (error) {
      this.logger.warn(`could not read unrouted events: ${(error as Error).message}`);
    }
  }

  /** Outbox entries of stored unrouted events, in id order; the ones nothing routes are marked routed. */
  private async entriesOf(ids: string[], lane: RoutingLane): Promise<OutboxEntry[]> {
    const rows = (await this.events.findByIds(ids)).filter((row) => row.routedAt === null).sort((a, b) => compareIds(a.id, b.id));
    const entries: OutboxEntry[] = [];
    const notRoutable: string[] = [];
    for (const row of rows) {
      if (!this.slugs.has(row.workspaceId)) this.slugs.set(row.workspaceId, (await this.workspaces.getWorkspace(row.workspaceId))?.slug);
      const slug = this.slugs.get(row.workspaceId);
      const entry = slug ? outboxEntryOf(row, slug, storedLane(row, lane)) : undefined;
      if (entry) entries.push({ ...entry, announce: true });
      else notRoutable.push(row.id);
    }
    await this.events.markRoutedMany(notRoutable);
    return entries.filter((entry) => !this.queuedOrRouted(entry.id) && this.leases.holds(entry.partition));
  }

  /** Whether this gateway has the event queued, or has routed it (marked or not) lately. */
  private queuedOrRouted(id: string): boolean {
    return this.pending.has(id) || this.unmarked.has(id) || this.recentlyMarked.has(id);
  }

  /** A notice from another gateway (or this one). */
  private heard(payload: string): void {
    if (this.stopping) return;
    if (payload.startsWith('w:')) {
      const [, lane, list] = payload.split(':');
      const partitions = (list ?? '').split(',').map(Number).filter((partition) => this.leases.holds(partition));
      if (partitions.length > 0) void this.load(partitions, lane === 'live' ? 'live' : 'bulk');
    } else if (payload.startsWith('r:')) {
      let routed: Array<[string, string[] | null, string?]>;
      try {
        routed = JSON.parse(payload.slice(2)) as typeof routed;
      } catch {
        return;
      }
      for (const [id, deliveredTo, error] of routed) this.settleElsewhere(id, deliveredTo, error ?? null);
    }
  }

  /** Settles the callers waiting for an event routed elsewhere. */
  private settleElsewhere(id: string, deliveredTo: string[] | null, error: string | null): void {
    const waiters = this.remoteWaiters.get(id);
    if (!waiters) return;
    this.remoteWaiters.delete(id);
    for (const waiter of waiters) {
      if (error) waiter.reject(new UndeliverableEventError(error));
      else waiter.resolve(deliveredTo ?? []);
    }
  }

  /** Awaited events routed elsewhere whose notice was missed: the database says they are routed. */
  private async checkElsewhere(): Promise<void> {
    const ids = [...this.remoteWaiters.keys()];
    if (ids.length === 0) return;
    // The gateway that routed them announces them right after marking them: give that a moment.
    for (const { id, routingError } of await this.events.routedOf(ids, NOTICE_GRACE_MS)) this.settleElsewhere(id, null, routingError);
  }

  /** Partitions lost: their queued events are left to whoever holds them now (waiters wait for that). */
  private drop(partitions: number[]): void {
    const lost = new Set(partitions);
    for (const queue of [...this.queues.values()]) {
      if (!lost.has(queue.partition) || queue.state === 'running') continue;
      if (queue.timer) clearTimeout(queue.timer);
      for (const lane of ['live', 'bulk'] as const) {
        const index = this.ready[lane].indexOf(queue);
        if (index >= 0) this.ready[lane].splice(index, 1);
      }
      this.dropItems(queue);
    }
  }

  private dropItems(queue: CustomerQueue): void {
    for (const item of queue.items.splice(0)) {
      this.pending.delete(item.entry.id);
      if (item.entry.lane === 'bulk') this.pendingBulk--;
      if (item.waiters.length > 0) this.remoteWaiters.set(item.entry.id, [...(this.remoteWaiters.get(item.entry.id) ?? []), ...item.waiters]);
    }
    queue.state = 'idle';
    this.queues.delete(queue.key);
    this.metrics.routingBacklog(this.pending.size);
  }

  /** Fair share: stops routing `partitions` (waits for what is being routed), then drops their queues. */
  private async release(partitions: number[]): Promise<void> {
    for (const partition of partitions) this.releasing.add(partition);
    const deadline = Date.now() + 10_000;
    while (partitions.some((partition) => (this.runningIn.get(partition) ?? 0) > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await this.flushMarks();
    this.drop(partitions);
    for (const partition of partitions) this.releasing.delete(partition);
  }

  private add(entry: OutboxEntry, waiter?: Waiter): void {
    const existing = this.pending.get(entry.id);
    if (existing) {
      if (waiter) existing.waiters.push(waiter);
      return;
    }
    const item: Pending = { entry, waiters: waiter ? [waiter] : [], trace: context.active() };
    // Someone here waited for it while another gateway held its partition.
    const elsewhere = this.remoteWaiters.get(entry.id);
    if (elsewhere) {
      this.remoteWaiters.delete(entry.id);
      item.waiters.push(...elsewhere);
    }
    this.pending.set(entry.id, item);
    if (entry.lane === 'bulk') this.pendingBulk++;
    const key = `${entry.event.workspaceId}\u0000${entry.event.userId}`;
    const lane = entry.lane;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { key, items: [], state: 'idle', failures: 0, lane, partition: entry.partition };
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
      this.runningIn.set(queue.partition, (this.runningIn.get(queue.partition) ?? 0) + 1);
      queue.state = 'running';
      void this.drain(queue).finally(() => {
        this.running--;
        if (bulk) this.runningBulk--;
        this.runningIn.set(queue.partition, this.runningIn.get(queue.partition)! - 1);
        this.schedule();
      });
    }
  }

  private async drain(queue: CustomerQueue): Promise<void> {
    let routed = 0;
    while (queue.items.length > 0 && routed < TURN && !this.stopping) {
      const head = queue.items[0]!;
      if (!this.leases.holds(queue.partition) || this.releasing.has(queue.partition)) {
        // Another gateway routes this customer now (it reads the events from the database).
        if (!this.releasing.has(queue.partition)) this.dropItems(queue);
        else queue.state = 'idle';
        return;
      }
      if (!this.leases.mayRoute(queue.partition)) {
        // The lease is not fresh (the database is slow or away): wait until it is renewed or lost.
        queue.state = 'backoff';
        queue.timer = setTimeout(() => {
          queue.timer = undefined;
          if (this.queues.get(queue.key) !== queue) return;
          this.makeReady(queue);
          this.schedule();
        }, FENCED_RETRY_MS);
        queue.timer.unref();
        return;
      }
      try {
        const deliveredTo = await this.routeTraced(head);
        if (head.entry.lane === 'bulk') this.admission.spent(deliveredTo.length);
        for (const listener of this.routedListeners) await listener(head.entry, deliveredTo);
        this.metrics.eventRouted(deliveredTo.length > 0 ? 'delivered' : 'no_instance', head.entry.event.receivedAt);
        this.logRouted(head.entry, deliveredTo);
        queue.failures = 0;
        this.done(queue, head);
        this.unmarked.add(head.entry.id);
        if (head.entry.announce) this.notices.push([head.entry.id, deliveredTo]);
        void this.markRouted(head.entry.id, head.waiters.length > 0).then(() => head.waiters.forEach((waiter) => waiter.resolve(deliveredTo)));
      } catch (error) {
        if (isRejectedByTemporal(error)) {
          const reason = describeError(error);
          this.logger.error({ msg: `event ${head.entry.id} (${head.entry.event.messageId}) cannot be routed: ${reason}`, ...eventFields(head.entry) });
          this.metrics.eventRouted('undeliverable', head.entry.event.receivedAt);
          await this.events.markUndeliverable(head.entry.id, reason).catch(() => undefined);
          this.done(queue, head);
          if (head.entry.announce) void this.announce([[head.entry.id, null, reason]]);
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

  /**
   * Sets `routed_at`, in batches: within MARK_DELAY_MS, or at once (with the marks gathered so far)
   * when a caller waits for this event — a GraphQL `track` answers once its event is routed and
   * marked, and would otherwise wait out the delay.
   */
  private markRouted(id: string, awaited = false): Promise<void> {
    return new Promise((resolve) => {
      this.marks.ids.push(id);
      this.marks.done.push(resolve);
      if (awaited || this.marks.ids.length >= MARK_BATCH) void this.flushMarks();
      else this.marks.timer ??= setTimeout(() => void this.flushMarks(), MARK_DELAY_MS);
    });
  }

  private async flushMarks(): Promise<void> {
    const { ids, done, timer } = this.marks;
    if (timer) clearTimeout(timer);
    this.marks = { ids: [], done: [] };
    if (ids.length === 0) return;
    const notices = this.notices;
    this.notices = [];
    const flush = this.events
      .markRoutedMany(ids)
      .then(() => {
        const now = Date.now();
        for (const id of ids) {
          this.recentlyMarked.delete(id);
          this.recentlyMarked.set(id, now);
        }
        // Oldest first (insertion order): drop those past the window.
        for (const [id, at] of this.recentlyMarked) {
          if (now - at < RECENTLY_MARKED_MS) break;
          this.recentlyMarked.delete(id);
        }
        return this.announce(notices);
      })
      .catch((error: unknown) => {
        // The events were delivered; unmarked, they are delivered again by whoever routes them next (ignored by journeys).
        this.logger.warn(`could not mark ${ids.length} routed event(s): ${(error as Error).message}`);
      })
      .finally(() => ids.forEach((id) => this.unmarked.delete(id)));
    this.flushes.add(flush);
    await flush;
    this.flushes.delete(flush);
    done.forEach((resolve) => resolve());
  }

  /** Tells every gateway these events (read from the database, so perhaps awaited elsewhere) are routed. */
  private async announce(notices: Array<[string, string[] | null, string?]>): Promise<void> {
    let chunk: typeof notices = [];
    let bytes = 0;
    const send = async () => {
      if (chunk.length > 0) await this.events.notifyRouting(`r:${JSON.stringify(chunk)}`);
      chunk = [];
      bytes = 0;
    };
    for (const notice of notices) {
      // An event that reached very many instances is announced without them (the waiter hears it was routed).
      if (Buffer.byteLength(JSON.stringify(notice)) > NOTICE_BYTES / 2) notice[1] = null;
      const size = Buffer.byteLength(JSON.stringify(notice)) + 1;
      if (bytes + size > NOTICE_BYTES) await send();
      chunk.push(notice);
      bytes += size;
    }
    await send();
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

/**
 * The lane a stored event is routed in: the one it was accepted in; `otherwise` (the lane of the read
 * that found it) for an event stored before lanes were kept.
 */
export function storedLane(row: Pick<EventEntity, 'bulk'>, otherwise: RoutingLane): RoutingLane {
  return row.bulk === null || row.bulk === undefined ? otherwise : row.bulk ? 'bulk' : 'live';
}

/** The event as journeys receive it; undefined for kinds nothing routes (page, screen, group, alias). */
export function outboxEntryOf(
  row: Pick<EventEntity, 'id' | 'workspaceId' | 'messageId' | 'userId' | 'type' | 'name' | 'properties' | 'traits' | 'timestamp' | 'receivedAt' | 'routingPartition'>,
  workspaceSlug: string,
  lane: RoutingLane,
): OutboxEntry | undefined {
  if (row.type !== 'track' && row.type !== 'identify') return undefined;
  return {
    id: row.id,
    workspaceSlug,
    lane,
    partition: row.routingPartition ?? 0,
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

/** Bigint ids as strings, in numeric order. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
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
