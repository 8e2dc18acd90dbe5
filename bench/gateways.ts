/**
 * Several gateways (a program that prints figures, never a timed test):
 *
 *   node -r ./tools/register.cjs bench/gateways.ts
 *
 * Starts a gateway in-process against its own embedded PostgreSQL and Temporal dev server (no
 * worker: instances are started and signalled, which isolates the gateway's routing) and measures
 * GraphQL `track` latency (accepted, stored and routed to its journey) from BENCH_SENDERS concurrent
 * senders: with one gateway, then (BENCH_GATEWAYS ≥ 2) with more gateways over the same database,
 * each event sent to the next gateway in turn (so most are routed by a gateway other than the one
 * that answers), then how long after one gateway stops renewing its leases (as if killed) its
 * customers' events are routed by the others. Writes bench/results/<stamp>-gateways.json.
 *
 * Settings (environment): BENCH_TRACKS [400] per phase, BENCH_SENDERS [4], BENCH_CUSTOMERS [40],
 * BENCH_GATEWAYS [2] (1: the single-gateway phase only).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { gatewayConfigSchema, loadConfig } from '@continuum/config';
import { JourneyCatalogueStore } from '@continuum/data';
import { startGateway } from '../services/gateway/src/create-gateway';
import { EventOutbox } from '../services/gateway/src/events/event-outbox';
import { gatewayEnvFor, startGatewayFixture, type GatewayFixture } from '../services/gateway/src/test-support/gateway-fixture';

const setting = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const TRACKS = setting('BENCH_TRACKS', 400);
const SENDERS = setting('BENCH_SENDERS', 4);
const CUSTOMERS = setting('BENCH_CUSTOMERS', 40);
const GATEWAYS = setting('BENCH_GATEWAYS', 2);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function track(gw: GatewayFixture, url: string, userId: string, messageId: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': gw.apiKey },
    body: JSON.stringify({ query: `mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, variables: { input: { userId, event: 'Step', messageId } } }),
  });
  const body = (await response.json()) as { data?: { track: { deliveredTo: string[] } }; errors?: unknown[] };
  if (body.errors || body.data?.track.deliveredTo.length !== 1) throw new Error(`track failed: ${JSON.stringify(body)}`);
  return performance.now() - started;
}

/** TRACKS tracks from SENDERS senders, each event to the next of `urls`; latency figures in ms. */
async function phase(gw: GatewayFixture, name: string, urls: string[]) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let n = next++; n < TRACKS; n = next++) latencies.push(await track(gw, urls[n % urls.length]!, `bench-${n % CUSTOMERS}`, `${name}-${n}`));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const figures = { phase: name, gateways: urls.length, tracks: TRACKS, perSecond: Math.round(TRACKS / seconds), p50Ms: +percentile(latencies, 50).toFixed(1), p99Ms: +percentile(latencies, 99).toFixed(1) };
  console.log(JSON.stringify(figures));
  return figures;
}

async function main(): Promise<void> {
  const gw = await startGatewayFixture({
    env: { ROUTING_BULK_MAX_BACKLOG: '0' },
    beforeStart: (dataSource) =>
      new JourneyCatalogueStore(dataSource).publish(
        [{ id: 'bench-step', version: 1, workflowType: 'benchStep', description: 'bench', entry: { events: ['Step'] }, reentry: 'always', exitOn: [], listensTo: ['Step'], settings: {}, maxLifetime: '365 days', steps: [] }],
        'bench',
      ),
  });
  const apps: INestApplication[] = [];
  const results: Array<Record<string, unknown>> = [];
  try {
    await phase(gw, 'warm-up', [gw.url]);
    results.push(await phase(gw, 'one-gateway', [gw.url]));
    if (GATEWAYS > 1) {
      const urls = [gw.url];
      for (let index = 1; index < GATEWAYS; index++) {
        const config = loadConfig('gateway', gatewayConfigSchema, gatewayEnvFor(gw, { ROUTING_BULK_MAX_BACKLOG: '0' }));
        const { app, url } = await startGateway(config);
        apps.push(app);
        urls.push(url);
      }
      const owners = async () => ((await gw.dataSource.query(`SELECT count(DISTINCT owner)::int AS n FROM routing_leases WHERE expires_at > now()`)) as Array<{ n: number }>)[0]!.n;
      while ((await owners()) < GATEWAYS) await new Promise((resolve) => setTimeout(resolve, 100));
      results.push(await phase(gw, 'alternating', urls));
      // One gateway stops renewing (as if killed): how long until another routes its customers' events.
      const victim = apps[0]!.get(EventOutbox);
      const partitions = new Set(victim.leases.partitions);
      const ownPartition = async (userId: string) =>
        ((await gw.dataSource.query(`SELECT continuum_routing_partition(id, $1) AS p FROM workspaces LIMIT 1`, [userId])) as Array<{ p: number }>)[0]!.p;
      let n = 0;
      while (!partitions.has(await ownPartition(`takeover-${n}`))) n++;
      const victimCustomer = `takeover-${n}`;
      victim.abandon();
      const abandonedAt = performance.now();
      await track(gw, gw.url, victimCustomer, 'takeover-0');
      const takeoverMs = Math.round(performance.now() - abandonedAt);
      const figures = { phase: 'takeover', leaseMs: 6000, routedAfterMs: takeoverMs };
      console.log(JSON.stringify(figures));
      results.push(figures);
    }
  } finally {
    for (const app of apps) await app.close().catch(() => undefined);
    await gw.teardown();
  }
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const file = join(__dirname, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}-gateways.json`);
  writeFileSync(file, JSON.stringify({ cpus: cpus().length, senders: SENDERS, customers: CUSTOMERS, results }, null, 2));
  console.log(`report: ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
