import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { Client } from '@temporalio/client';
import type { Stack } from '@continuum/testing';

export type Size = 'small' | 'medium' | 'large';

/** What a scenario gets: the running stack plus clients opened by the runner. */
export interface BenchContext {
  stack: Stack;
  db: DataSource;
  /** A client with Continuum's data converter (decodes the stack's encrypted payloads). */
  temporal: Client;
  /** A plain client with Temporal's default data converter, for the raw baselines (no Continuum code). */
  rawTemporal: Client;
  size: Size;
  /** Unique per run, so message ids and workflow ids never collide with an earlier scenario. */
  runId: string;
  idleTimeoutMs: number;
  /** The stack's data dir (Temporal's SQLite file, PostgreSQL data, logs). */
  dataDir: string;
  /** `--members N`: the population of scenarios that take one (enrolment, waiting), instead of their size's. */
  members?: number;
}

/** What a database-only scenario gets: it starts its own PostgreSQL under `dataDir`, no stack. */
export interface DatabaseBenchContext {
  size: Size;
  dataDir: string;
}

/** Customers the gateway's outbox relay routes at a time (services/gateway/src/events/event-outbox.ts). */
export const ROUTING_PARALLELISM = 32;

/** One figure of a report; `ratio` is the figure divided by the baseline named in `baseline`. */
export interface Row {
  what: string;
  value: number;
  unit: string;
  ratio?: number;
  baseline?: string;
}

export interface ScenarioResult {
  scenario: string;
  title: string;
  settings: Record<string, unknown>;
  rows: Row[];
  notes: string[];
  chart: { title: string; unit: string; bars: Array<{ label: string; value: number; group?: string }> };
}

export type Scenario = (ctx: BenchContext) => Promise<ScenarioResult>;
export type DatabaseScenario = (ctx: DatabaseBenchContext) => Promise<ScenarioResult>;

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A one-line progress bar on stderr (redrawn in place on a terminal). */
export function progress(label: string, total: number): { tick(n?: number): void; done(): void } {
  let count = 0;
  let last = 0;
  const draw = (final: boolean) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((Math.min(count, total) / total) * width);
    const line = `  ${label.padEnd(34)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
    else if (final) process.stderr.write(`${line}\n`);
  };
  return {
    tick(n = 1) {
      count += n;
      const now = Date.now();
      if (now - last > 100) {
        last = now;
        draw(false);
      }
    },
    done() {
      draw(true);
    },
  };
}

/** Runs `task(i)` for i in [0, total) with `concurrency` in flight; returns the elapsed seconds. */
export async function closedLoop(total: number, concurrency: number, task: (i: number) => Promise<void>, label: string): Promise<number> {
  const bar = progress(label, total);
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        await task(i);
        bar.tick();
      }
    }),
  );
  bar.done();
  return (performance.now() - began) / 1000;
}

/**
 * Runs `task(k)` for k in [0, count) open loop at `rate` per second: the k-th starts k / rate
 * seconds after the first, whether or not earlier ones have finished.
 */
export async function openLoop(count: number, rate: number, task: (k: number) => Promise<void>, label: string): Promise<void> {
  const bar = progress(label, count);
  const began = Date.now();
  await Promise.all(
    Array.from({ length: count }, async (_, k) => {
      await sleep(Math.max(0, began + (k * 1000) / rate - Date.now()));
      await task(k);
      bar.tick();
    }),
  );
  bar.done();
}

/** A message as the Twilio emulator recorded it. */
export interface EmulatedMessage {
  to: string;
  dateCreated: string;
}

/** Every message the Twilio emulator has received so far. */
export async function emulatorMessages(stack: Stack): Promise<EmulatedMessage[]> {
  const response = await fetch(`${stack.emulatorUrl}/__emulator/messages`);
  return ((await response.json()) as { messages: EmulatedMessage[] }).messages;
}

/**
 * Polls the emulator until a message to each of `phones` has arrived or `timeoutMs` has passed;
 * returns when the first message to each phone arrived (its dateCreated, ms since the epoch).
 */
export async function arrivalsAtEmulator(stack: Stack, phones: Set<string>, timeoutMs: number, label: string, pollMs = 200): Promise<Map<string, number>> {
  const bar = progress(label, phones.size);
  const arrived = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  while (arrived.size < phones.size && Date.now() < deadline) {
    for (const m of await emulatorMessages(stack)) {
      if (!phones.has(m.to) || arrived.has(m.to)) continue;
      arrived.set(m.to, Date.parse(m.dateCreated));
      bar.tick();
    }
    await sleep(pollMs);
  }
  bar.done();
  return arrived;
}

export async function unrouted(db: DataSource): Promise<number> {
  const [row] = (await db.query(`SELECT count(*)::int AS n FROM events WHERE routed_at IS NULL`)) as Array<{ n: number }>;
  return row!.n;
}

/** Waits until every stored event has routed_at set, with a progress bar over the backlog. */
export async function waitUntilRouted(db: DataSource, label: string, timeoutMs = 600_000): Promise<void> {
  const initial = await unrouted(db);
  const bar = progress(label, initial);
  const deadline = Date.now() + timeoutMs;
  let left = initial;
  while (left > 0) {
    if (Date.now() > deadline) throw new Error(`${left} events still unrouted after ${timeoutMs / 1000} s`);
    await sleep(100);
    const now = await unrouted(db);
    if (now < left) bar.tick(left - now);
    left = now;
  }
  bar.done();
}

/** A GraphQL call with the stack's dev API key; throws on HTTP or GraphQL errors. */
export async function graphql<T>(stack: Stack, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack.devApiKey },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!response.ok || body.errors?.length) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  // A mutation's payload carries its domain errors as userErrors: a refused call fails the run too.
  const refused = Object.values(body.data ?? {}).flatMap((field) => ((field as { userErrors?: unknown[] } | null)?.userErrors ?? []));
  if (refused.length > 0) throw new Error(`GraphQL user errors: ${JSON.stringify(refused)}`);
  return body.data!;
}

export const TRACK = `mutation Track($input: TrackInput!) { track(input: $input) { duplicate userErrors { field message } } }`;
export const IDENTIFY = `mutation Identify($input: IdentifyInput!) { identify(input: $input) { profile { phone } userErrors { field message } } }`;

/** A POST to the tracking API with HTTP Basic (write key as user); retries on 429 after Retry-After. */
export async function trackingPost(stack: Stack, path: string, body: unknown): Promise<void> {
  const authorization = `Basic ${Buffer.from(`${stack.devWriteKey}:`).toString('base64')}`;
  for (;;) {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 200) return;
    if (response.status === 429) {
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    throw new Error(`${path} answered ${response.status}: ${text}`);
  }
}

/** Waits until no event is unrouted and no abandoned-cart instance runs, so one scenario's leftovers do not skew the next. */
export async function waitUntilQuiet(ctx: BenchContext, timeoutMs = 600_000): Promise<void> {
  await waitUntilRouted(ctx.db, 'drain earlier backlog', timeoutMs);
  const query = 'JourneyId = "abandoned-cart" AND ExecutionStatus = "Running"';
  const initial = (await ctx.temporal.workflow.count(query)).count;
  const bar = progress('earlier instances closed', initial);
  const deadline = Date.now() + timeoutMs;
  let left = initial;
  while (left > 0) {
    if (Date.now() > deadline) throw new Error(`${left} abandoned-cart instances still running after ${timeoutMs / 1000} s`);
    await sleep(250);
    const now = (await ctx.temporal.workflow.count(query)).count;
    if (now < left) bar.tick(left - now);
    left = now;
  }
  bar.done();
}

const CLOCK_TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of a process, in seconds (Linux /proc); with `children`, also of its reaped children. */
export function cpuSeconds(pid: number, children = false): number {
  const fields = statFields(pid);
  const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size (VmRSS) and its peak (VmHWM) of a process, in MiB (Linux /proc). */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** CPU seconds of PostgreSQL: the postmaster, its live backends and the backends that have exited. */
export function postgresCpuSeconds(pgDataDir: string): number {
  const postmaster = Number(readFileSync(join(pgDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = cpuSeconds(postmaster, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(Number(entry));
      if (Number(fields[1]) === postmaster) total += cpuSeconds(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** Bytes of the files in `dir` whose names start with `prefix` (e.g. an SQLite file with its -wal and -shm). */
export function filesBytes(dir: string, prefix: string): number {
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/** CPU seconds so far of each process of the stack (and of this benchmark process). */
export function stackCpu(ctx: BenchContext): Record<string, number> {
  const { stack } = ctx;
  const own = process.cpuUsage();
  // A stopped process (the worker between a stop and a restart) counts as 0.
  const cpu = (child: ChildProcess) => (child.exitCode === null && child.signalCode === null && child.pid !== undefined ? cpuSeconds(child.pid) : 0);
  return {
    gateway: cpu(stack.services.gateway.process),
    worker: cpu(stack.services.worker.process),
    // The dev server, or the real server (engine mode `server`; its PostgreSQL is counted below).
    Temporal: cpu(stack.temporal.process),
    ...(stack.postgres ? { PostgreSQL: postgresCpuSeconds(stack.postgres.dataDir) } : {}),
    ...(stack.services.emulator ? { 'Twilio emulator': cpu(stack.services.emulator.process) } : {}),
    'bench (client)': (own.user + own.system) / 1e6,
  };
}
