import { setTimeout as sleep } from 'node:timers/promises';
import { graphql, IDENTIFY, percentile, progress, round, TRACK, waitUntilQuiet } from '../lib';
import type { BenchContext, Row, ScenarioResult } from '../lib';

const SIZES = {
  small: { loads: [1, 5, 20], seconds: 5 },
  medium: { loads: [1, 5, 20], seconds: 15 },
  large: { loads: [1, 5, 20, 50], seconds: 30 },
} as const;

interface EmulatedMessage {
  to: string;
  dateCreated: string;
}

async function messages(ctx: BenchContext): Promise<EmulatedMessage[]> {
  const response = await fetch(`${ctx.stack.emulatorUrl}/__emulator/messages`);
  return ((await response.json()) as { messages: EmulatedMessage[] }).messages;
}

let nextPhone = 0;

/**
 * Abandoned cart with the short idle timeout: from the `Cart Updated` acknowledgement to the SMS at
 * the emulator, minus the idle timeout — how late after its deadline the send happens — at steady loads.
 */
export async function latency(ctx: BenchContext): Promise<ScenarioResult> {
  if (!ctx.stack.emulatorUrl) throw new Error('the latency scenario needs the Twilio emulator');
  const s = SIZES[ctx.size];
  const rows: Row[] = [];
  const bars: ScenarioResult['chart']['bars'] = [];
  for (const load of s.loads) {
    await waitUntilQuiet(ctx);
    const carts = load * s.seconds;
    const customers = Array.from({ length: carts }, () => {
      const n = nextPhone++;
      return { userId: `lat-${ctx.runId}-${n}`, phone: `+1415555${String(n % 10_000).padStart(4, '0')}` };
    });
    const identified = progress(`${load} carts/s: identify`, carts);
    for (const c of customers) {
      await graphql(ctx.stack, IDENTIFY, { input: { userId: c.userId, traits: { phone: c.phone, first_name: 'Bench' } } });
      identified.tick();
    }
    identified.done();

    const acknowledged = new Map<string, number>();
    const sent = progress(`${load} carts/s: Cart Updated`, carts);
    const began = Date.now();
    await Promise.all(
      customers.map(async (c, k) => {
        await sleep(Math.max(0, began + (k * 1000) / load - Date.now()));
        await graphql(ctx.stack, TRACK, {
          input: { userId: c.userId, event: 'Cart Updated', properties: { cart_id: 'c1', items: [{ name: 'Red Shoes' }] }, messageId: `${c.userId}-c1` },
        });
        acknowledged.set(c.phone, Date.now());
        sent.tick();
      }),
    );
    sent.done();

    const arrived = progress(`${load} carts/s: SMS at emulator`, carts);
    const lateness = new Map<string, number>();
    const deadline = Date.now() + ctx.idleTimeoutMs + 120_000;
    while (lateness.size < carts && Date.now() < deadline) {
      for (const m of await messages(ctx)) {
        const ack = acknowledged.get(m.to);
        if (ack === undefined || lateness.has(m.to)) continue;
        lateness.set(m.to, Date.parse(m.dateCreated) - ack - ctx.idleTimeoutMs);
        arrived.tick();
      }
      await sleep(200);
    }
    arrived.done();
    const values = [...lateness.values()];
    const missing = carts - values.length;
    for (const p of [50, 95, 99] as const) {
      const value = round(percentile(values, p), 0);
      rows.push({ what: `${load} carts/s (${carts} carts${missing ? `, ${missing} SMS missing` : ''}): late after deadline p${p}`, value, unit: 'ms' });
      bars.push({ label: `${load}/s p${p}`, value, group: `p${p}` });
    }
  }
  return {
    scenario: 'latency',
    title: 'Abandoned cart: how late after the idle deadline the SMS reaches the emulator',
    settings: { ...s, idleTimeoutMs: ctx.idleTimeoutMs },
    rows,
    notes: [
      'Lateness = emulator dateCreated − Cart Updated acknowledgement (GraphQL track) − idle timeout; same machine clock.',
      'Each load starts once no event is unrouted and no abandoned-cart instance is running.',
      'Each customer is identified (phone +1415555xxxx, first_name) before its cart; carts are sent open-loop at the given rate.',
      'No baseline yet: event→provider-call latency for a journey without a wait is not available.',
    ],
    chart: { title: 'Send lateness after the idle deadline (ms)', unit: 'ms', bars },
  };
}
