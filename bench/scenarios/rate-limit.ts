import { freePort, type ServiceProcess } from '@continuum/testing';
import { arrivalsAtEmulator, graphql, IDENTIFY, progress, round, waitUntilQuiet } from '../lib';

const PUBLISH = `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { template { name } userErrors { field message } } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { transactionalMessage { id } userErrors { message } } }`;
import type { BenchContext, Row, ScenarioResult } from '../lib';

const SIZES = {
  small: { rates: [2, 5], messages: 40 },
  medium: { rates: [2, 5, 10], messages: 150 },
  large: { rates: [5, 10, 20], messages: 600 },
} as const;


let nextPhone = 0;

/**
 * Sending under a rate limit: SEND_RATE_PER_SECOND per sender, with TWO worker processes sharing it
 * through PostgreSQL. A burst of carts all fall idle at once, so every reminder wants to go out at
 * the same moment; the achieved rate is (messages − 1) ÷ (last − first provider call) at the emulator.
 */
export async function rateLimit(ctx: BenchContext): Promise<ScenarioResult> {
  if (!ctx.stack.emulatorUrl) throw new Error('the rate-limit scenario needs the Twilio emulator');
  const s = SIZES[ctx.size];
  const rows: Row[] = [];
  const bars: ScenarioResult['chart']['bars'] = [];
  const original = ctx.stack.services.worker;
  const burstSeconds: number[] = [];
  let workers: ServiceProcess[] = [];
  try {
    await waitUntilQuiet(ctx);
    await original.stop();
    for (const rate of s.rates) {
      // Two workers, each with its own health/metrics port, sharing the sender's rate.
      const start = async () => ctx.stack.startWorker({ SEND_RATE_PER_SECOND: String(rate), WORKER_HTTP_PORT: String(await freePort()) });
      workers = [await start(), await start()];
      const customers = Array.from({ length: s.messages }, () => {
        const n = nextPhone++;
        return { userId: `rate-${ctx.runId}-${n}`, phone: `+1417555${String(n % 10_000).padStart(4, '0')}` };
      });
      const setup = progress(`${rate}/s: identify`, customers.length);
      await Promise.all(
        customers.map(async (c) => {
          await graphql(ctx.stack, IDENTIFY, { input: { userId: c.userId, traits: { phone: c.phone, first_name: 'Bench' } } });
          setup.tick();
        }),
      );
      setup.done();
      // The burst: every message asked for at once (transactional sends start at once), so the only
      // pacing left is the sender's rate. (Idle carts fell due over the whole set-up, which measured
      // the set-up, not the limit: see the README.)
      await graphql(ctx.stack, PUBLISH, { input: { name: 'bench-rate', channel: 'SMS', body: 'Hi {{ profile.traits.first_name }}, your code is {{ data.code }}' } });
      const fired = Date.now();
      await Promise.all(
        customers.map((c, index) =>
          graphql(ctx.stack, SEND, { input: { userId: c.userId, template: 'bench-rate', idempotencyKey: `${ctx.runId}-${rate}-${index}`, data: { code: String(index) } } }),
        ),
      );
      burstSeconds.push(round((Date.now() - fired) / 1000, 2));
      const times = await arrivalsAtEmulator(
        ctx.stack,
        new Set(customers.map((c) => c.phone)),
        ctx.idleTimeoutMs + (customers.length / rate) * 1000 * 3 + 120_000,
        `${rate}/s: SMS at emulator`,
        250,
      );
      const sorted = [...times.values()].sort((a, b) => a - b);
      const spanS = (sorted.at(-1)! - sorted[0]!) / 1000;
      const achieved = sorted.length > 1 && spanS > 0 ? (sorted.length - 1) / spanS : 0;
      // The most sent in any one-second window (the bucket holds one token, so at most rate + 1).
      let peak = 0;
      for (let i = 0, j = 0; j < sorted.length; j++) {
        while (sorted[j]! - sorted[i]! >= 1000) i++;
        peak = Math.max(peak, j - i + 1);
      }
      rows.push(
        { what: `configured ${rate}/s, 2 workers: achieved rate`, value: round(achieved, 2), unit: 'messages/s', ratio: round(achieved / rate, 2), baseline: `configured ${rate}/s` },
        { what: `configured ${rate}/s: most in any 1 s window`, value: peak, unit: 'messages' },
        { what: `configured ${rate}/s: messages sent / missing`, value: sorted.length, unit: `of ${customers.length}` },
        { what: `configured ${rate}/s: burst asked for within`, value: burstSeconds.at(-1)!, unit: 's' },
      );
      bars.push({ label: `${rate}/s`, value: round(achieved, 2), group: 'achieved' }, { label: `${rate}/s`, value: rate, group: 'configured' });
      await waitUntilQuiet(ctx);
      for (const worker of workers) await worker.stop();
      workers = [];
    }
  } finally {
    for (const worker of workers) await worker.stop().catch(() => undefined);
    ctx.stack.services.worker = await ctx.stack.startWorker();
  }
  return {
    scenario: 'rate-limit',
    title: 'Sending under a rate limit shared by two workers',
    settings: { rates: s.rates, messagesPerRate: s.messages, workers: 2, idleTimeoutMs: ctx.idleTimeoutMs },
    rows,
    notes: [
      'Each rate: every message is asked for at once (transactional sendMessage, one per customer), two worker processes send them, and each send reserves the sender\'s next slot in PostgreSQL (SEND_RATE_PER_SECOND).',
      'Achieved = (messages − 1) ÷ (last − first provider call at the emulator); a ratio at or below 1 means the limit held across workers.',
    ],
    chart: { title: 'Achieved vs configured messages per second (2 workers)', unit: 'messages/s', bars },
  };
}
