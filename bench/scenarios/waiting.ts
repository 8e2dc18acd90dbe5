import { setTimeout as sleep } from 'node:timers/promises';
import { rawJourneyBaselines, signalWithStartRate } from '../baselines';
import { historyPhases } from '../history-phases';
import {
  closedLoop,
  emulatorMessages,
  filesBytes,
  graphql,
  memoryMiB,
  percentile,
  progress,
  round,
  ROUTING_PARALLELISM,
  stackCpu,
  trackingPost,
  waitUntilQuiet,
  waitUntilRouted,
} from '../lib';
import type { BenchContext, Row, ScenarioResult } from '../lib';

const SIZES = {
  small: { instances: 1_000, warmup: 100 },
  medium: { instances: 10_000, warmup: 300 },
  large: { instances: 50_000, warmup: 500 },
} as const;

const BATCH_SIZE = 100;
const BATCH_SENDERS = 4;
/** The baseline creates as many workflows as it signals; capped so it does not dwarf the scenario's own data. */
const BASELINE_MAX = 2_000;
const TABLES = ['events', 'journey_instances', 'journal_entries', 'messages'] as const;
const SETTINGS = `mutation($input: UpdateJourneySettingsInput!) { updateJourneySettings(input: $input) { userErrors { message } } }`;
const JOURNEY_ID = `{ journey(key: "abandoned-cart") { id } }`;
const MiB = 2 ** 20;
/** Instances whose histories say where the fire-out time went. */
const PHASE_SAMPLE = 100;

interface PgSizes {
  database: number;
  tables: Record<string, { bytes: number; rows: number }>;
}

async function pgSizes(ctx: BenchContext): Promise<PgSizes> {
  const [db] = (await ctx.db.query(`SELECT pg_database_size(current_database())::bigint AS bytes`)) as Array<{ bytes: string }>;
  const tables: PgSizes['tables'] = {};
  for (const table of TABLES) {
    const [row] = (await ctx.db.query(`SELECT pg_total_relation_size($1::regclass)::bigint AS bytes, (SELECT count(*) FROM ${table})::int AS rows`, [table])) as Array<{
      bytes: string;
      rows: number;
    }>;
    tables[table] = { bytes: Number(row!.bytes), rows: row!.rows };
  }
  return { database: Number(db!.bytes), tables };
}

const temporalBytes = (ctx: BenchContext) => filesBytes(ctx.dataDir, 'temporal.db');

/** CPU per process over a phase, as % of one core. */
function cpuShare(before: Record<string, number>, after: Record<string, number>, seconds: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, round(((after[name]! - (before[name] ?? 0)) / seconds) * 100)]));
}

/**
 * Many waiting journeys: N abandoned carts enter through /v1/batch and wait on their idle timer at
 * once; the worker stops cleanly, every deadline passes, the worker starts again and every reminder
 * goes out. Measures the entry rate, worker memory, Temporal's and PostgreSQL's data and the fire-out.
 */
export async function waiting(ctx: BenchContext): Promise<ScenarioResult> {
  if (!ctx.stack.emulatorUrl) throw new Error('the waiting scenario needs the Twilio emulator');
  const s = SIZES[ctx.size];
  // `--members N`: N waiting carts instead of the size's (the warm-up stays the size's).
  const n = ctx.members ?? s.instances;
  const prefix = `wait-${ctx.runId}-`;
  const userId = (i: number) => `${prefix}${i}`;
  // +1416 and seven digits: distinct from the latency scenario's +1415555xxxx and from the emulator's failure numbers.
  const phone = (i: number) => `+1416${String(i).padStart(7, '0')}`;
  const customers = s.warmup + n;
  const batches = (count: number, offset: number, message: (i: number) => Record<string, unknown>) => (b: number) =>
    trackingPost(ctx.stack, '/v1/batch', {
      batch: Array.from({ length: Math.min(BATCH_SIZE, count - b * BATCH_SIZE) }, (_, j) => message(offset + b * BATCH_SIZE + j)),
    });
  const cart = (i: number) => ({
    type: 'track',
    userId: userId(i),
    event: 'Cart Updated',
    properties: { cart_id: `cart-${i}`, items: [{ name: 'Shoes', quantity: 1 }] },
    messageId: `${userId(i)}-cart`,
  });
  /** Customers [from, to) of this run, as an SQL condition on customer_id with parameters from $1. */
  const range = (from: number, to: number) => ({
    // CASE: PostgreSQL may evaluate the cast before the LIKE, on other runs' customer ids.
    where: `(CASE WHEN customer_id LIKE $1 THEN substring(customer_id FROM $2::int)::int END) >= $3 AND (CASE WHEN customer_id LIKE $1 THEN substring(customer_id FROM $2::int)::int END) < $4`,
    params: [`${prefix}%`, prefix.length + 1, from, to],
  });
  const waitingCount = async (from: number, to: number): Promise<number> => {
    const r = range(from, to);
    const [row] = (await ctx.db.query(`SELECT count(*)::int AS n FROM journal_entries WHERE type = 'wait.started' AND ${r.where}`, r.params)) as Array<{ n: number }>;
    return row!.n;
  };
  const carts = range(s.warmup, customers);
  const sentCount = async (): Promise<{ done: number; failed: number }> => {
    const [row] = (await ctx.db.query(
      `SELECT count(*) FILTER (WHERE status NOT IN ('pending', 'sending'))::int AS done, count(*) FILTER (WHERE status IN ('failed', 'undelivered'))::int AS failed
         FROM messages WHERE ${carts.where}`,
      carts.params,
    )) as Array<{ done: number; failed: number }>;
    return row!;
  };
  /** Polls `count` until it reaches `target`, with a progress bar; samples the worker's memory meanwhile. */
  const waitFor = async (label: string, target: number, count: () => Promise<number>, timeoutMs: number, onSample?: (value: number) => void) => {
    const bar = progress(label, target);
    const deadline = Date.now() + timeoutMs;
    let value = 0;
    while (value < target) {
      if (Date.now() > deadline) throw new Error(`${label}: ${value}/${target} after ${timeoutMs / 1000} s`);
      await sleep(500);
      const now = await count();
      bar.tick(now - value);
      value = now;
      onSample?.(value);
    }
    bar.done();
  };
  let workerPeakDuringEntry = 0;
  const sampleWorker = () => (workerPeakDuringEntry = Math.max(workerPeakDuringEntry, memoryMiB(ctx.stack.services.worker.process.pid!).rss));

  await waitUntilQuiet(ctx);
  // Baseline first: raw signalWithStart, one new workflow per call, as the routing makes one instance per cart.
  const baselineEvents = Math.min(n, BASELINE_MAX);
  const sws = await signalWithStartRate(ctx, baselineEvents, ROUTING_PARALLELISM, baselineEvents);
  // The engine's floor for entry (a) and fire-out (b): a bare worker, an abandoned cart's shape.
  const raw = await rawJourneyBaselines(ctx, baselineEvents, ROUTING_PARALLELISM);

  // Setup (not measured): every customer gets a phone number, so every reminder is sent.
  await closedLoop(
    Math.ceil(customers / BATCH_SIZE),
    BATCH_SENDERS,
    batches(customers, 0, (i) => ({ type: 'identify', userId: userId(i), traits: { phone: phone(i), first_name: 'Bench' }, messageId: `${userId(i)}-identify` })),
    'identify (setup)',
  );
  await waitUntilRouted(ctx.db, 'identify: routing');

  // Warm-up with the stack's short idle timeout: how fast instances enter, to size the long idle timeout.
  const warmBegan = performance.now();
  await closedLoop(Math.ceil(s.warmup / BATCH_SIZE), BATCH_SENDERS, batches(s.warmup, 0, cart), 'warm-up carts');
  await waitFor('warm-up: instances waiting', s.warmup, () => waitingCount(0, s.warmup), 600_000);
  const warmRate = s.warmup / ((performance.now() - warmBegan) / 1000);
  // The steady rate: first to last wait.started of the warm-up (the overall rate above includes the
  // start-up of the first instances, and underestimated the entry 2-5 times, so the idle wait was mostly idle).
  const warmWindow = range(0, s.warmup);
  const [spread] = (await ctx.db.query(
    `SELECT extract(epoch FROM max(at) - min(at)) AS seconds FROM journal_entries WHERE type = 'wait.started' AND ${warmWindow.where}`,
    warmWindow.params,
  )) as Array<{ seconds: string }>;
  const steadyRate = Math.max(warmRate, (s.warmup - 1) / Math.max(1, Number(spread!.seconds)));
  await waitUntilQuiet(ctx);

  // Long enough that the first instance still waits when the last one enters, with margin for the
  // entry slowing down as instances accumulate and for a busier machine. The warm-up still
  // underestimates (its reminders fire 2 s after each instance waits, on a cold stack), so the
  // expected rate is at least a fifth of raw signalWithStart: entry measured 0.24-0.39 × that.
  const expectedRate = Math.max(steadyRate, 0.2 * sws);
  const idleSeconds = Math.ceil((1.5 * n) / expectedRate + 60);
  const journeyId = (await graphql<{ journey: { id: string } }>(ctx.stack, JOURNEY_ID, {})).journey.id;
  await graphql(ctx.stack, SETTINGS, { input: { id: journeyId, settings: { idleTimeout: `${idleSeconds}s` } } });
  let results: ScenarioResult;
  try {
    const temporalBefore = temporalBytes(ctx);
    const pgBefore = await pgSizes(ctx);
    const workerBefore = memoryMiB(ctx.stack.services.worker.process.pid!);

    // Entry: N carts through /v1/batch, until every instance has journaled that it waits.
    const cpuEntryBefore = stackCpu(ctx);
    const began = performance.now();
    const firstCartAt = Date.now();
    const acceptSeconds = await closedLoop(Math.ceil(n / BATCH_SIZE), BATCH_SENDERS, batches(n, s.warmup, cart), '/v1/batch carts');
    sampleWorker();
    await waitUntilRouted(ctx.db, 'carts: routing', 3_600_000);
    const routedSeconds = (performance.now() - began) / 1000;
    await waitFor('instances waiting', n, () => waitingCount(s.warmup, customers), 3_600_000, sampleWorker);
    const entrySeconds = (performance.now() - began) / 1000;
    const cpuEntry = cpuShare(cpuEntryBefore, stackCpu(ctx), entrySeconds);
    const entryRate = n / entrySeconds;

    // All N wait: memory and data sizes.
    await sleep(2_000);
    const workerWaiting = memoryMiB(ctx.stack.services.worker.process.pid!);
    const running = (await ctx.temporal.workflow.count(`JourneyId = "abandoned-cart" AND ExecutionStatus = "Running"`)).count;
    const temporalAfter = temporalBytes(ctx);
    const pgAfter = await pgSizes(ctx);
    const sentBeforeStop = (await sentCount()).done;
    const [deadlines] = (await ctx.db.query(
      `SELECT extract(epoch FROM min(at)) * 1000 AS first, extract(epoch FROM max(at)) * 1000 AS last FROM journal_entries WHERE type = 'wait.started' AND ${carts.where}`,
      carts.params,
    )) as Array<{ first: string; last: string }>;
    const lastDeadline = Number(deadlines!.last) + idleSeconds * 1000;

    // Clean stop; every deadline passes while no worker runs.
    const stopBegan = performance.now();
    await ctx.stack.services.worker.stop();
    const stopSeconds = (performance.now() - stopBegan) / 1000;
    const margin = 2_000;
    const downFor = Math.max(0, Math.ceil((lastDeadline + margin - Date.now()) / 1000));
    const down = progress('worker stopped, deadlines passing', downFor);
    for (let t = 0; t < downFor; t++) {
      await sleep(1_000);
      down.tick();
    }
    down.done();

    // Restart and fire-out.
    const cpuFireBefore = stackCpu(ctx);
    const restartAt = Date.now();
    const restartBegan = performance.now();
    ctx.stack.services.worker = await ctx.stack.startWorker();
    const readySeconds = (performance.now() - restartBegan) / 1000;
    const readyAt = Date.now();
    const series: Array<{ seconds: number; sent: number }> = [{ seconds: 0, sent: 0 }];
    let workerPeakFireOut = 0;
    await waitFor(
      'reminders sent after restart',
      n,
      async () => (await sentCount()).done,
      3_600_000,
      (sent) => {
        series.push({ seconds: (Date.now() - restartAt) / 1000, sent });
        workerPeakFireOut = Math.max(workerPeakFireOut, memoryMiB(ctx.stack.services.worker.process.pid!).rss);
      },
    );
    const fireSeconds = (performance.now() - restartBegan) / 1000;
    const cpuFire = cpuShare(cpuFireBefore, stackCpu(ctx), fireSeconds);
    const { failed } = await sentCount();
    // Where the fire-out time went, from a sample of the instances' histories (after the worker was ready).
    const sampleIds = (await ctx.db.query(
      `SELECT instance_id FROM messages WHERE ${carts.where} ORDER BY random() LIMIT ${PHASE_SAMPLE}`,
      carts.params,
    )) as Array<{ instance_id: string }>;
    const phases = await historyPhases(ctx.temporal, sampleIds.map((row) => row.instance_id), readyAt, 'fire-out');

    // Lateness of each send (the emulator's dateCreated) against its deadline (wait.started + idle timeout).
    const arrived = new Map((await emulatorMessages(ctx.stack)).map((m) => [m.to, Date.parse(m.dateCreated)]));
    const rows2 = (await ctx.db.query(
      `SELECT m.to_address AS phone, extract(epoch FROM j.at) * 1000 AS waited FROM messages m
         JOIN journal_entries j ON j.instance_id = m.instance_id AND j.run_id = m.run_id AND j.type = 'wait.started'
        WHERE ${carts.where.replace(/customer_id/g, 'm.customer_id')}`,
      carts.params,
    )) as Array<{ phone: string; waited: string }>;
    const late: number[] = [];
    const afterReady: number[] = [];
    for (const row of rows2) {
      const at = arrived.get(row.phone);
      if (at === undefined) continue;
      late.push((at - (Number(row.waited) + idleSeconds * 1000)) / 1000);
      afterReady.push((at - readyAt) / 1000);
    }

    const temporalDelta = temporalAfter - temporalBefore;
    const pgDelta = pgAfter.database - pgBefore.database;
    const rows: Row[] = [
      { what: `baseline: raw signalWithStart, a new workflow each (${baselineEvents}, ${ROUTING_PARALLELISM} in flight)`, value: round(sws), unit: 'workflows/s' },
      { what: `baseline (a) entry: bare workflows by signalWithStart until each waits on its timer (${baselineEvents}, bare worker)`, value: round(raw.entryRate), unit: 'workflows/s' },
      { what: `baseline (b) fire-out: ${baselineEvents} bare workflows, timers passed while the worker was stopped, one activity each (from worker ready)`, value: round(raw.fireOutRate), unit: 'workflows/s' },
      { what: `warm-up entry rate (${s.warmup} carts, from the first request)`, value: round(warmRate), unit: 'instances/s' },
      { what: 'warm-up steady entry rate (first to last wait.started; sizes the idle timeout)', value: round(steadyRate), unit: 'instances/s' },
      { what: `/v1/batch carts accepted (${n} in ${Math.ceil(n / BATCH_SIZE)} batches, ${BATCH_SENDERS} senders)`, value: round(n / acceptSeconds), unit: 'events/s' },
      { what: 'carts accepted and routed (signalWithStart done)', value: round(n / routedSeconds), unit: 'events/s', ratio: round(n / routedSeconds / sws, 3), baseline: 'signalWithStart' },
      { what: 'entry rate: first cart to every instance waiting (wait.started journaled)', value: round(entryRate), unit: 'instances/s', ratio: round(entryRate / raw.entryRate, 3), baseline: 'baseline (a) entry (goal ≥ 0.8)' },
      { what: 'entry rate against raw signalWithStart (no worker)', value: round(entryRate), unit: 'instances/s', ratio: round(entryRate / sws, 3), baseline: 'signalWithStart' },
      { what: `time for ${n.toLocaleString('en-US')} instances to be waiting`, value: round(entrySeconds), unit: 's' },
      { what: 'abandoned-cart instances running in Temporal (visibility)', value: running, unit: 'instances' },
      { what: 'worker RSS before the carts', value: round(workerBefore.rss), unit: 'MiB' },
      { what: `worker RSS with all ${n.toLocaleString('en-US')} waiting`, value: round(workerWaiting.rss), unit: 'MiB' },
      { what: 'worker RSS peak (VmHWM) by then', value: round(workerWaiting.peak), unit: 'MiB' },
      { what: 'worker RSS growth per 1,000 waiting instances', value: round(((workerWaiting.rss - workerBefore.rss) / n) * 1000, 2), unit: 'MiB' },
      { what: 'Temporal dev server SQLite (temporal.db*) with all waiting', value: round(temporalAfter / MiB), unit: 'MiB' },
      { what: 'Temporal SQLite growth per waiting instance', value: round(temporalDelta / n / 1024, 2), unit: 'KiB' },
      { what: 'PostgreSQL database with all waiting', value: round(pgAfter.database / MiB), unit: 'MiB' },
      { what: 'PostgreSQL growth per waiting instance', value: round(pgDelta / n / 1024, 2), unit: 'KiB' },
      ...TABLES.map((table) => ({
        what: `PostgreSQL ${table}: ${pgAfter.tables[table]!.rows.toLocaleString('en-US')} rows (+${(pgAfter.tables[table]!.rows - pgBefore.tables[table]!.rows).toLocaleString('en-US')})`,
        value: round(pgAfter.tables[table]!.bytes / MiB, 2),
        unit: 'MiB',
      })),
      { what: 'idle timeout (workspace override for the run)', value: idleSeconds, unit: 's' },
      { what: 'reminders sent before the worker stopped (should be 0)', value: sentBeforeStop, unit: 'SMS' },
      { what: 'worker clean stop (SIGTERM to exit)', value: round(stopSeconds, 2), unit: 's' },
      { what: 'worker restart: spawn to "worker started"', value: round(readySeconds, 2), unit: 's' },
      { what: `restart to all ${n.toLocaleString('en-US')} reminders at the emulator`, value: round(fireSeconds), unit: 's' },
      { what: 'fire-out rate (from restart)', value: round(n / fireSeconds), unit: 'SMS/s' },
      { what: 'fire-out rate (from worker ready)', value: round(n / (fireSeconds - readySeconds)), unit: 'SMS/s', ratio: round(n / (fireSeconds - readySeconds) / raw.fireOutRate, 3), baseline: 'baseline (b) fire-out (goal ≥ 0.8)' },
      { what: 'reminders failed or undelivered', value: failed, unit: 'SMS' },
      ...([50, 95, 100] as const).map((p) => ({ what: `send after worker ready, ${p === 100 ? 'max' : `p${p}`}`, value: round(percentile(afterReady, p), 2), unit: 's' })),
      ...([50, 95, 100] as const).map((p) => ({ what: `lateness versus deadline, ${p === 100 ? 'max' : `p${p}`} (includes the downtime)`, value: round(percentile(late, p), 2), unit: 's' })),
      { what: 'worker RSS peak during the fire-out', value: round(workerPeakFireOut), unit: 'MiB' },
      ...phases.rows,
      ...Object.entries(cpuEntry).map(([name, share]) => ({ what: `CPU during entry: ${name}`, value: share, unit: '% of one core' })),
      ...Object.entries(cpuFire).map(([name, share]) => ({ what: `CPU during fire-out: ${name}`, value: share, unit: '% of one core' })),
    ];
    // Cumulative sends at ten points of the fire-out.
    const bars = Array.from({ length: 10 }, (_, k) => {
      const at = (fireSeconds * (k + 1)) / 10;
      const sent = [...series].reverse().find((point) => point.seconds <= at)?.sent ?? 0;
      return { label: `+${round(at)} s after restart`, value: k === 9 ? n : sent, group: 'routed' };
    });
    results = {
      scenario: 'waiting',
      title: `Many waiting journeys: ${n.toLocaleString('en-US')} abandoned carts waiting at once, fired after a worker restart`,
      settings: {
        ...s,
        batchSize: BATCH_SIZE,
        batchSenders: BATCH_SENDERS,
        idleSeconds,
        downSeconds: downFor,
        rawBaselines: { ...raw, workflows: baselineEvents },
        firstCartAt: new Date(firstCartAt).toISOString(),
        workerPeakDuringEntryMiB: round(workerPeakDuringEntry),
        temporalBytes: { before: temporalBefore, after: temporalAfter },
        postgres: { before: pgBefore, after: pgAfter },
        sendSeries: series.map((point) => [round(point.seconds, 1), point.sent]),
      },
      rows,
      notes: [
        'Each customer is identified through /v1/batch first (phone +1416xxxxxxx, first_name; setup, not timed); then one Cart Updated per customer with its own cart_id enters one abandoned-cart instance.',
        `The idle timeout is a workspace override (updateJourneySettings) set to 1.5 × N / the expected entry rate (the warm-up's steady rate, or 0.2 × the baseline if that is more) + 60 s = ${idleSeconds} s for the run, and reset afterwards; the warm-up carts use the stack's short timeout.`,
        `Baselines (a) and (b) (bench/raw/workflows.ts rawEntryThenTimer, a bare worker in the bench process with default options on the same server, ${ROUTING_PARALLELISM} signalWithStart in flight): (a) until each workflow's first task has set its timer (a sink tells the bench, no history); (b) workflows waiting on a ${raw.delaySeconds} s timer while the worker is stopped, then a new worker (Worker.create, bundling, ${round(raw.readySeconds, 2)} s) runs one activity each; from it running until the last activity ran.`,
        'Entry rate: first /v1/batch request until every instance has journaled wait.started (the gateway routed it, the worker ran its first task and started the timer).',
        'Data sizes: temporal.db plus its -wal/-shm files, pg_database_size and pg_total_relation_size (with indexes and TOAST); growth is from just before the carts to all waiting. Earlier scenarios and the baseline workflows are in the totals, not in the growth.',
        'The worker stops cleanly (SIGTERM) once all wait, stays down until every deadline has passed, then a new worker process starts: its cache is empty, so each instance is replayed from history before it sends.',
        'Fire-out: restart (spawn, including the workflow bundle build) until every reminder has a provider status (messages.status past sending). Lateness = emulator dateCreated − (wait.started + idle timeout); it includes the time the worker was down.',
        `Fire-out phases: from the histories of ${PHASE_SAMPLE} instances picked at random (their timers fired while no worker ran): from the worker being ready until it started the instance's first workflow task, then each workflow task's and activity's time queued (scheduled to started; a task scheduled before the worker was ready counts from then) and running (started to completed).`,
        'CPU is utime+stime per process from /proc/<pid>/stat over the phase (PostgreSQL: postmaster, its backends and reaped backends); on 2 cores the sum is at most 200 %.',
      ],
      chart: { title: `Reminders sent after the worker restart (cumulative, of ${n.toLocaleString('en-US')})`, unit: 'SMS', bars },
    };
  } finally {
    await graphql(ctx.stack, SETTINGS, { input: { id: journeyId, settings: { idleTimeout: null } } });
  }
  return results;
}
