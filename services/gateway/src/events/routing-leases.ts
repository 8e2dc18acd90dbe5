import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ROUTING_PARTITIONS, type RoutingLeaseStore } from '@continuum/data';

/** What the gateway's routing does when its partitions change. */
export interface LeaseHooks {
  /** Newly held partitions: their unrouted events are this gateway's to route. */
  gained(partitions: number[]): void;
  /** Partitions lost without being given back (the lease expired, e.g. while the database was away). */
  lost(partitions: number[]): void;
  /** Partitions about to be given back (fair share): resolves once nothing of them is being routed. */
  releasing(partitions: number[]): Promise<void>;
}

/**
 * This gateway's leases on routing partitions. Every quarter of the lease it says it is alive,
 * renews what it holds, gives back what exceeds its fair share (partitions ÷ live gateways, rounded
 * up) and takes free or expired partitions up to it. A partition is routed only while its lease
 * was renewed less than half a lease ago (`mayRoute`): another gateway takes it only once the whole
 * lease has expired, so two gateways never route one customer at the same time, as long as one
 * routing call lasts less than half a lease.
 */
export class RoutingLeases {
  readonly gatewayId = randomUUID();
  private readonly logger = new Logger(RoutingLeases.name);
  /** Partition → until when (this process's clock) it counts as held: the renewal's start + the lease. */
  private readonly held = new Map<number, number>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;
  /** Partitions being given back (their routing is stopping). */
  private readonly givingBack = new Set<number>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: RoutingLeaseStore,
    private readonly leaseMs: number,
    private readonly hooks: LeaseHooks,
  ) {}

  /** Whether this gateway holds the partition (its events are routed here, not elsewhere). */
  holds(partition: number): boolean {
    return this.held.has(partition);
  }

  /** Whether the partition may be routed now: held, renewed less than half a lease ago. */
  mayRoute(partition: number): boolean {
    const until = this.held.get(partition);
    return until !== undefined && Date.now() < until - this.leaseMs / 2;
  }

  /** The partitions held, lowest first. */
  get partitions(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** Takes the first leases (all of them for a gateway alone), then keeps them every quarter lease. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.ticking = this.tick().finally(loop);
      }, this.leaseMs / 4);
      this.timer.unref();
    };
    loop();
  }

  /** Stops renewing and gives every partition back (graceful shutdown). */
  async stop(): Promise<void> {
    this.abandon();
    await this.ticking;
    await this.settled();
    this.held.clear();
    await this.store.leave(this.gatewayId).catch((error: unknown) => this.logger.warn(`could not release routing leases: ${(error as Error).message}`));
  }

  /** Stops renewing without giving anything back, as a gateway that dies (its leases expire). */
  abandon(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves once the partitions being given back are (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async giveBack(partitions: number[], live: number): Promise<void> {
    for (const partition of partitions) this.givingBack.add(partition);
    try {
      await this.hooks.releasing(partitions);
      for (const partition of partitions) this.held.delete(partition);
      await this.store.release(this.gatewayId, partitions);
      this.logger.log(`gave back ${partitions.length} routing partition(s) (${live} gateways)`);
    } catch (error) {
      this.logger.warn(`could not give back routing partitions: ${(error as Error).message}`);
    } finally {
      for (const partition of partitions) this.givingBack.delete(partition);
    }
  }

  /** One round: alive, renew, give back the excess, take up to the fair share. */
  async tick(): Promise<void> {
    const started = Date.now();
    try {
      const live = await this.store.heartbeat(this.gatewayId, this.leaseMs);
      const renewed = new Set(await this.store.renew(this.gatewayId, this.leaseMs));
      if (this.stopped) return;
      const lost = [...this.held.keys()].filter((partition) => !renewed.has(partition));
      for (const partition of lost) this.held.delete(partition);
      // (A partition given back meanwhile stays given back.)
      for (const partition of renewed) if (this.held.has(partition)) this.held.set(partition, started + this.leaseMs);
      if (lost.length > 0) {
        this.logger.warn(`routing partitions ${lost.join(',')} expired before they were renewed`);
        this.hooks.lost(lost);
      }
      const share = Math.ceil(ROUTING_PARTITIONS / live);
      if (this.held.size > share) {
        // Given back once nothing of them is being routed; renewed meanwhile (this round goes on).
        const excess = this.partitions.slice(share).filter((partition) => !this.givingBack.has(partition));
        if (excess.length > 0) {
          const giving = this.giveBack(excess, live).finally(() => this.inFlight.delete(giving));
          this.inFlight.add(giving);
        }
      } else if (this.held.size < share) {
        const gained = (await this.store.acquire(this.gatewayId, this.leaseMs, share - this.held.size)).filter((partition) => !this.held.has(partition));
        if (this.stopped) return;
        for (const partition of gained) this.held.set(partition, started + this.leaseMs);
        if (gained.length > 0) {
          this.logger.log(`took ${gained.length} routing partition(s) (${live} gateway(s), ${this.held.size} held)`);
          this.hooks.gained(gained);
        }
      }
    } catch (error) {
      this.logger.warn(`could not renew routing leases: ${(error as Error).message}`);
    }
  }
}
