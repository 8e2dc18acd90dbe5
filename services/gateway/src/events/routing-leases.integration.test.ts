import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUTING_PARTITIONS, RoutingLeaseStore } from '@continuum/data';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { RoutingLeases, type LeaseHooks } from './routing-leases';

// Leases on routing partitions against a real PostgreSQL: each gateway's view (`holds`, `mayRoute`)
// and the lease table, through acquire, renew, expiry, fair share and release.
describe('routing leases', () => {
  let db: TestDatabase;
  let store: RoutingLeaseStore;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await createTestDatabase();
    store = new RoutingLeaseStore(db.dataSource);
  });
  afterAll(async () => {
    await db?.teardown();
  });
  beforeEach(async () => {
    await db.dataSource.query(`UPDATE routing_leases SET owner = NULL, expires_at = '-infinity'`);
    await db.dataSource.query(`DELETE FROM routing_gateways`);
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const all = Array.from({ length: ROUTING_PARTITIONS }, (_, partition) => partition);

  /** A gateway's leases, recording what its hooks heard; ticks are driven by the test. */
  const gateway = (leaseMs: number) => {
    const heard = { gained: [] as number[], lost: [] as number[], released: [] as number[] };
    const hooks: LeaseHooks = {
      gained: (partitions) => heard.gained.push(...partitions),
      lost: (partitions) => heard.lost.push(...partitions),
      releasing: async (partitions) => {
        heard.released.push(...partitions);
      },
    };
    const leases = new RoutingLeases(store, leaseMs, hooks);
    // A round as the timer runs it, waiting for what it gives back (which goes on in the background).
    const tick = leases.tick.bind(leases);
    leases.tick = async () => {
      await tick();
      await leases.settled();
    };
    return { leases, heard };
  };

  it('a gateway alone takes every partition; the table names it as their holder', async () => {
    const a = gateway(5000);
    await a.leases.tick();
    expect(a.leases.partitions).toEqual(all);
    expect(a.heard.gained).toEqual(all);
    expect(all.every((partition) => a.leases.mayRoute(partition))).toBe(true);
    const holders = await store.holders();
    expect([...holders.values()].every((owner) => owner === a.leases.gatewayId)).toBe(true);
    expect(holders.size).toBe(ROUTING_PARTITIONS);
  });

  it('gateways that join share the partitions fairly, each held by exactly one', async () => {
    const gateways = [gateway(5000), gateway(5000), gateway(5000)];
    await gateways[0]!.leases.tick();
    for (let round = 0; round < 3; round++) for (const { leases } of gateways) await leases.tick();
    const counts = gateways.map(({ leases }) => leases.partitions.length);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(ROUTING_PARTITIONS);
    expect(Math.max(...counts)).toBe(Math.ceil(ROUTING_PARTITIONS / 3));
    for (const partition of all) expect(gateways.filter(({ leases }) => leases.holds(partition))).toHaveLength(1);
    // The first gateway gave back what exceeded its share (after it stopped routing them).
    expect(gateways[0]!.heard.released.length).toBe(ROUTING_PARTITIONS - counts[0]!);
    const holders = await store.holders();
    for (const { leases } of gateways) for (const partition of leases.partitions) expect(holders.get(partition)).toBe(leases.gatewayId);
  });

  it('renewal keeps the leases; a gateway that stops renewing keeps them until they expire, then another takes them', async () => {
    const a = gateway(1200);
    const b = gateway(1200);
    await a.leases.tick();
    await b.leases.tick();
    expect(b.leases.partitions).toEqual([]);
    await sleep(700);
    await a.leases.tick(); // renewed: still fresh after the first lease would have run out
    await sleep(700);
    expect(a.leases.mayRoute(0)).toBe(false); // more than half a lease since the last renewal
    await a.leases.tick();
    expect(a.leases.mayRoute(0)).toBe(true);
    // a dies (stops renewing): b's share is half until a no longer counts as live, then everything.
    a.leases.abandon();
    await b.leases.tick();
    expect(b.leases.partitions).toEqual([]); // a's leases have not expired yet
    await sleep(700);
    expect(a.leases.mayRoute(0)).toBe(false); // fenced: a would no longer route, although its lease runs
    await sleep(700);
    await b.leases.tick();
    expect(b.leases.partitions).toEqual(all);
    expect(b.heard.gained).toEqual(all);
  });

  it('a gateway whose leases expired hears it lost them when it renews', async () => {
    const a = gateway(1000);
    await a.leases.tick();
    await sleep(1100);
    const b = gateway(1000);
    await b.leases.tick(); // a no longer counts as live: b takes everything
    expect(b.leases.partitions).toEqual(all);
    await a.leases.tick();
    expect(a.heard.lost).toEqual(all);
    // Two live gateways again: a gets its share once b gives it back.
    expect(a.leases.partitions.every((partition) => !b.leases.holds(partition))).toBe(true);
    await b.leases.tick();
    await a.leases.tick();
    expect(a.leases.partitions).toHaveLength(ROUTING_PARTITIONS / 2);
    expect(b.leases.partitions).toHaveLength(ROUTING_PARTITIONS / 2);
  });

  it('a gateway that stops gracefully gives its partitions back at once', async () => {
    const a = gateway(60_000);
    const b = gateway(60_000);
    await a.leases.tick();
    await b.leases.tick();
    await a.leases.stop();
    await b.leases.tick();
    expect(b.leases.partitions).toEqual(all);
    expect(await db.dataSource.query(`SELECT gateway_id FROM routing_gateways`)).toEqual([{ gateway_id: b.leases.gatewayId }]);
  });

  it('property: whatever gateways join, renew, stop or die, no partition may be routed by two at once and a live one holds each', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gateway: fc.nat(2), action: fc.constantFrom('tick', 'tick', 'tick', 'stop', 'die', 'wait') }), { minLength: 4, maxLength: 14 }),
        async (actions) => {
          await db.dataSource.query(`UPDATE routing_leases SET owner = NULL, expires_at = '-infinity'`);
          await db.dataSource.query(`DELETE FROM routing_gateways`);
          const leaseMs = 1000;
          const gateways = [gateway(leaseMs), gateway(leaseMs), gateway(leaseMs)];
          const dead = new Set<number>();
          for (const { gateway: index, action } of actions) {
            const { leases } = gateways[index]!;
            if (action === 'tick' && !dead.has(index)) await leases.tick();
            if (action === 'stop' && !dead.has(index)) {
              await leases.stop();
              dead.add(index);
            }
            if (action === 'die') {
              leases.abandon();
              dead.add(index);
            }
            if (action === 'wait') await sleep(300);
            for (const partition of all) {
              expect(gateways.filter(({ leases: other }) => other.mayRoute(partition)).length).toBeLessThanOrEqual(1);
            }
          }
          // Whoever lives takes over everything within a lease and a round.
          const alive = gateways.filter((_, index) => !dead.has(index));
          if (alive.length === 0) return;
          await sleep(leaseMs + 50);
          for (let round = 0; round < 3; round++) for (const { leases } of alive) await leases.tick();
          for (const partition of all) expect(alive.filter(({ leases }) => leases.holds(partition))).toHaveLength(1);
          for (const { leases } of alive) await leases.stop();
        },
      ),
      { numRuns: 12 },
    );
  }, 180_000);
});
