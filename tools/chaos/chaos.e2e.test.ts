import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos';
import { chaosSummary } from './report';

// The chaos program's small run (`npm run chaos -- --size small`, fewer journeys): on the real-server
// topology (one PostgreSQL, the Temporal server on it, 3 gateways, 2 workers, the Twilio emulator),
// carts with updates and exits, transactional sends, a broadcast and inbound replies go in while a
// gateway, a worker, the Temporal server and PostgreSQL are killed with SIGKILL and restarted, in
// turn. Counts only: recovery times are figures of the program, never asserted.
describe('chaos: kill -9 of a gateway, a worker, the Temporal server and PostgreSQL, in turn', { timeout: 900_000 }, () => {
  it('loses no acknowledged event, acts on each once, sends each expected message once in every fault window and leaves nothing stuck', async () => {
    const report = await runChaos({ size: 'small', journeys: 30 });
    console.log(chaosSummary(report));

    expect(report.faults.map((fault) => fault.kind)).toEqual(['gateway', 'worker', 'temporal', 'postgres']);
    expect(report.driverFailures).toBe(0);
    // Every kind of journey ran, and each cart's events were acknowledged by the gateways.
    for (const kind of ['cart', 'cart-exit', 'transactional', 'inbound-reply', 'broadcast'] as const) expect(report.sends[kind].journeys).toBeGreaterThan(0);
    expect(report.events.acknowledged).toBeGreaterThan(report.sends.cart.journeys * 2);
    // Routing is at least once: a repeat signalled to the same instance is dropped by messageId there
    // (redelivered); none may be lost or reach a second instance (acted on twice).
    expect(report.events).toEqual({
      acknowledged: report.events.acknowledged,
      notStored: 0,
      unrouted: 0,
      routedOnce: report.events.acknowledged - report.events.redelivered,
      lost: 0,
      redelivered: report.events.redelivered,
      actedOnTwice: 0,
      runsNotInVisibility: report.events.runsNotInVisibility,
      // Routing held up past the cart's idle timeout would start a second cart (and reminder).
      lateCartEvents: 0,
    });
    expect(report.inbound.stored).toBeGreaterThanOrEqual(report.sends['inbound-reply'].journeys);
    expect(report.inbound.recorded).toBe(report.inbound.stored);
    // Counted per fault window, each with journeys of its own, and clean in each.
    expect(report.windows.map((row) => row.window)).toEqual(['before', 'gateway', 'worker', 'temporal', 'postgres']);
    for (const row of report.windows) {
      expect(row.journeys).toBeGreaterThan(0);
      expect({ window: row.window, lost: row.events.lost, actedOnTwice: row.events.actedOnTwice, ...row.sends }).toEqual({
        window: row.window,
        lost: 0,
        actedOnTwice: 0,
        expected: row.sends.expected,
        sent: row.sends.expected,
        missing: 0,
        duplicated: 0,
      });
    }
    expect({ missing: report.sends.total.missing, duplicated: report.sends.total.duplicated }).toEqual({ missing: 0, duplicated: 0 });
    expect(report.sends.total.sends).toBe(report.sends.total.expectedSends);
    expect(report.stuck).toEqual({ instances: 0, transactional: 0, broadcast: 0 });
    expect(report.problems).toEqual([]);
  });
});
