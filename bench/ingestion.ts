/**
 * Ingestion benchmark (a program that prints figures, never a timed test):
 *
 *   node -r ./tools/register.cjs bench/ingestion.ts
 *
 * Starts the stack as `npm start` does (Temporal dev server, embedded PostgreSQL, worker, gateway)
 * in a temporary directory, then sends Segment batches to `/v1/batch` from several concurrent
 * senders (closed loop) with routing on: every event is a `Cart Updated` that enters or signals an
 * abandoned-cart instance. Reports the acknowledged rate, the sustained rate (every event stored
 * and routed to its journey), p50/p99 acknowledgement latency, and writes a JSON report under
 * bench/results/ (git-ignored).
 *
 * Settings (environment): BENCH_EVENTS [20000], BENCH_BATCH [100] events per request,
 * BENCH_CONCURRENCY [8] requests in flight, BENCH_CUSTOMERS [2000], BENCH_WORKER [1] (0 stops the worker:
 * instances are started and signalled but do not run, which isolates the gateway's routing),
 * BENCH_KEEP=1 keeps the data dir.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { openDataSource } from '@continuum/data';
import { freePort, startStack } from '@continuum/testing';
import { resolveTemporalCli } from '../tools/provision';

const setting = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

const EVENTS = setting('BENCH_EVENTS', 20_000);
const BATCH = setting('BENCH_BATCH', 100);
const CONCURRENCY = setting('BENCH_CONCURRENCY', 8);
const CUSTOMERS = setting('BENCH_CUSTOMERS', 2_000);
const WORKER = process.env['BENCH_WORKER'] !== '0';
const WARM_UP_EVENTS = 2_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'continuum-bench-'));
  console.log(`[bench] starting the stack in ${dataDir}`);
  const stack = await startStack({
    dataDir,
    temporalCliPath: process.env['TEMPORAL_CLI_PATH'] ?? (await resolveTemporalCli()),
    ports: { temporal: await freePort(), postgres: await freePort(), gateway: await freePort(), emulator: await freePort() },
    serviceEnv: { LOG_LEVEL: 'warn' },
  });
  if (!WORKER) await stack.services.worker.stop();
  const dataSource = await openDataSource(stack.databaseUrl, { poolSize: 2, applicationName: 'continuum-bench' });
  const authorization = `Basic ${Buffer.from(`${stack.devWriteKey}:`).toString('base64')}`;
  const runId = Date.now().toString(36);
  let sequence = 0;
  let rateLimited = 0;

  /** One analytics-node-shaped batch of `size` Cart Updated events over the customers. */
  const batchBody = (size: number, label: string): string => {
    const batch = Array.from({ length: size }, () => {
      const n = sequence++;
      const customer = `bench-${n % CUSTOMERS}`;
      return {
        type: 'track',
        userId: customer,
        event: 'Cart Updated',
        properties: { cart_id: `cart-${label}`, items: [{ name: 'Shoes', quantity: 1 + (n % 3) }] },
        messageId: `${runId}-${label}-${n}`,
        timestamp: new Date().toISOString(),
        context: { library: { name: 'continuum-bench', version: '1' } },
        integrations: {},
      };
    });
    return JSON.stringify({ batch, sentAt: new Date().toISOString() });
  };

  const send = async (body: string): Promise<number> => {
    for (;;) {
      const started = performance.now();
      const response = await fetch(`${stack.gatewayUrl}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
      });
      await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (response.status === 200) return elapsed;
      if (response.status === 429) {
        rateLimited++;
        await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
        continue;
      }
      throw new Error(`/v1/batch answered ${response.status}: ${await response.text()}`);
    }
  };

  const unrouted = async (): Promise<number> =>
    ((await dataSource.query(`SELECT count(*)::int AS n FROM events WHERE routed_at IS NULL`)) as Array<{ n: number }>)[0]!.n;
  const waitUntilRouted = async (): Promise<void> => {
    while ((await unrouted()) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  };

  try {
    console.log(`[bench] warm-up: ${WARM_UP_EVENTS} events`);
    for (let sent = 0; sent < WARM_UP_EVENTS; sent += BATCH) await send(batchBody(Math.min(BATCH, WARM_UP_EVENTS - sent), 'warm'));
    await waitUntilRouted();

    console.log(`[bench] measuring: ${EVENTS} events, ${BATCH} per batch, ${CONCURRENCY} concurrent senders, ${CUSTOMERS} customers`);
    const latencies: number[] = [];
    const bodies = Array.from({ length: Math.ceil(EVENTS / BATCH) }, (_, index) => batchBody(Math.min(BATCH, EVENTS - index * BATCH), 'run'));
    const bodyBytes = bodies.reduce((total, body) => total + Buffer.byteLength(body), 0);
    let next = 0;
    let maxBacklog = 0;
    const began = performance.now();
    const sampler = setInterval(() => {
      void unrouted().then((n) => (maxBacklog = Math.max(maxBacklog, n)));
    }, 250);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) latencies.push(await send(bodies[next++]!));
      }),
    );
    const acknowledgedAt = performance.now();
    const backlogAtLastAck = await unrouted();
    await waitUntilRouted();
    const routedAt = performance.now();
    clearInterval(sampler);

    const [{ stored }] = (await dataSource.query(`SELECT count(*)::int AS stored FROM events WHERE message_id LIKE $1`, [`${runId}-run-%`])) as Array<{
      stored: number;
    }>;
    latencies.sort((a, b) => a - b);
    const ackSeconds = (acknowledgedAt - began) / 1000;
    const routedSeconds = (routedAt - began) / 1000;
    const report = {
      benchmark: 'ingestion',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30), node: process.version },
      settings: { events: EVENTS, eventsPerBatch: BATCH, concurrency: CONCURRENCY, customers: CUSTOMERS, worker: WORKER, requests: bodies.length, meanRequestKiB: round(bodyBytes / bodies.length / 1024) },
      results: {
        stored,
        acknowledgedEventsPerSecond: Math.round(EVENTS / ackSeconds),
        sustainedEventsPerSecond: Math.round(EVENTS / routedSeconds),
        secondsToAcknowledgeAll: round(ackSeconds, 2),
        secondsToRouteAll: round(routedSeconds, 2),
        unroutedAtLastAcknowledgement: backlogAtLastAck,
        maxUnroutedSampled: maxBacklog,
        rateLimitedResponses: rateLimited,
        ackLatencyMs: {
          p50: round(percentile(latencies, 50)),
          p90: round(percentile(latencies, 90)),
          p99: round(percentile(latencies, 99)),
          max: round(latencies[latencies.length - 1] ?? NaN),
        },
      },
    };
    if (stored !== EVENTS) throw new Error(`expected ${EVENTS} stored events, found ${stored}`);

    const resultsDir = join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `ingestion-${report.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    const r = report.results;
    console.log(`
Ingestion through /v1/batch with routing on (${EVENTS} events, ${BATCH}/batch, ${CONCURRENCY} senders, ${CUSTOMERS} customers, worker ${WORKER ? 'on' : 'off'})
  acknowledged          ${r.acknowledgedEventsPerSecond} events/s (all ${EVENTS} in ${r.secondsToAcknowledgeAll} s)
  sustained (routed)    ${r.sustainedEventsPerSecond} events/s (all routed after ${r.secondsToRouteAll} s)
  ack latency / batch   p50 ${r.ackLatencyMs.p50} ms, p90 ${r.ackLatencyMs.p90} ms, p99 ${r.ackLatencyMs.p99} ms, max ${r.ackLatencyMs.max} ms
  routing backlog       ${r.unroutedAtLastAcknowledgement} unrouted at the last ack, max sampled ${r.maxUnroutedSampled}; ${r.rateLimitedResponses} × 429
  report                ${file}
`);
  } finally {
    await dataSource.destroy();
    await stack.stop();
    if (process.env['BENCH_KEEP'] !== '1') rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
