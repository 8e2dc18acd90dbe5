import { join } from 'node:path';
import { DEFAULT_WORKSPACE_ID, JourneyStatsStore, openDataSource, type DataSource, type JourneyStatsQuery } from '@continuum/data';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@continuum/testing';
import { percentile, round, type DatabaseBenchContext, type Row, type ScenarioResult } from '../lib';

/** Journal rows loaded; every instance journals ten entries and sends one message. */
const SIZES = { small: 1_000_000, medium: 3_000_000, large: 10_000_000 } as const;
const JOURNEYS = 4;
const DAYS = 90;
const WARM_RUNS = 20;
const STATS_INDEXES = ['journal_entries_journey_at_idx', 'journey_instances_stats_idx'];
const START = '2026-01-01T00:00:00Z';

/**
 * Loads `rows` journal entries (plus instances, messages and events in proportion) with bulk
 * INSERT … SELECT generate_series: 4 journeys, instances entering evenly over 90 days from
 * 2026-01-01 (or `layout`'s days from its start; `routed`: the events stored as routed).
 */
export async function loadFunnelRows(db: DataSource, rows: number, layout: { start?: string; days?: number; routed?: boolean } = {}): Promise<void> {
  const instances = rows / 10;
  const params = [DEFAULT_WORKSPACE_ID];
  // Instance n of N enters at START + n/N × DAYS (numbers of our own, inlined as literals).
  const started = `'${layout.start ?? START}'::timestamptz + n * interval '${layout.days ?? DAYS} days' / ${instances}`;
  // Outcomes per 20 instances: 9 completed, 4 exited on 'Order Completed', 2 archived, 5 active.
  await db.query(
    `INSERT INTO journey_instances (instance_id, run_id, workspace_id, journey_id, customer_id, instance_key, status, current_step, exit_reason, started_at, updated_at, journey_version)
     SELECT 'journey/funnel-' || n % ${JOURNEYS} || '/c-' || n || '/c-' || n, 'r-' || n, $1, 'funnel-' || n % ${JOURNEYS}, 'c-' || n, 'c-' || n,
            CASE WHEN n % 20 < 9 THEN 'completed' WHEN n % 20 < 15 THEN 'exited' ELSE 'active' END,
            CASE WHEN n % 20 < 9 THEN 'done' ELSE 'wait' END,
            CASE WHEN n % 20 BETWEEN 9 AND 12 THEN 'Order Completed' WHEN n % 20 BETWEEN 13 AND 14 THEN 'archived' END,
            started, started + interval '100 minutes', CASE WHEN n < ${instances / 2} THEN 1 ELSE 2 END
     FROM generate_series(0, ${instances} - 1) n, LATERAL (SELECT ${started} AS started) s`,
    params,
  );
  await db.query(
    `INSERT INTO journal_entries (workspace_id, instance_id, run_id, seq, journey_id, customer_id, type, step, detail, at)
     SELECT $1, 'journey/funnel-' || n % ${JOURNEYS} || '/c-' || n || '/c-' || n, 'r-' || n, seq, 'funnel-' || n % ${JOURNEYS}, 'c-' || n,
            (ARRAY['entered', 'wait.started', 'timer.reset', 'timer.reset', 'timer.reset', 'wait.ended', 'branch.taken', 'message.sent', 'wait.started',
                   CASE WHEN n % 20 < 9 THEN 'completed' WHEN n % 20 < 15 THEN 'exited' ELSE 'wait.ended' END])[seq],
            (ARRAY['entry', 'idle', 'idle', 'idle', 'idle', 'idle', 'has-items', 'reminder', 'wait',
                   CASE WHEN n % 20 < 9 THEN 'done' ELSE 'wait' END])[seq],
            '{}', started + seq * interval '10 minutes'
     FROM generate_series(0, ${instances} - 1) n, LATERAL (SELECT ${started} AS started) s, generate_series(1, 10) seq`,
    params,
  );
  // One sms per instance: 70% delivered, 10% undelivered, 10% failed, 10% queued.
  await db.query(
    `INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status, created_at)
     SELECT $1, 'c-' || n, 'journey/funnel-' || n % ${JOURNEYS} || '/c-' || n || '/c-' || n, 'r-' || n, 'reminder', 'sms', '+15005550006', 'Your cart is waiting',
            (ARRAY['delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'undelivered', 'failed', 'queued'])[n % 10 + 1],
            ${started} + interval '80 minutes'
     FROM generate_series(0, ${instances} - 1) n`,
    params,
  );
  // Two unrelated events per customer, and the goal for 30%: 2 days after the send (20%) or 10 days (10%).
  await db.query(
    `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at, routed_at)
     SELECT $1, 'e-' || n || '-' || k, 'c-' || n, 'track', CASE WHEN k = 3 THEN 'Order Completed' ELSE 'Cart Updated' END, '{}', at, at, ${layout.routed ? 'at' : 'NULL'}
     FROM generate_series(0, ${instances} - 1) n, generate_series(1, 3) k,
          LATERAL (SELECT ${started}
                          + CASE WHEN k < 3 THEN k * interval '1 minute' WHEN n % 10 < 2 THEN interval '2 days' ELSE interval '10 days' END AS at) s
     WHERE k < 3 OR n % 10 < 3`,
    params,
  );
  await db.query(`VACUUM ANALYZE`);
}

interface Variant {
  label: string;
  query: JourneyStatsQuery;
}

function variants(): Variant[] {
  const goal = { event: 'Order Completed', withinMs: 7 * 86_400_000 };
  const base = { workspaceId: DEFAULT_WORKSPACE_ID, journeyId: 'funnel-1', goal };
  const day = (d: number) => new Date(Date.parse(START) + d * 86_400_000);
  return [
    { label: '7 days', query: { ...base, from: day(40), to: day(47) } },
    { label: '30 days', query: { ...base, from: day(30), to: day(60) } },
    { label: 'all time, version 2', query: { ...base, version: 2 } },
    { label: 'all time', query: base },
  ];
}

async function indexScans(db: DataSource): Promise<number> {
  const rows: Array<{ scans: string }> = await db.query(`SELECT COALESCE(sum(idx_scan), 0) AS scans FROM pg_stat_user_indexes WHERE indexrelname = ANY($1)`, [STATS_INDEXES]);
  return Number(rows[0]?.scans ?? 0);
}

/**
 * The funnel query (JourneyStatsStore.stats) at one million journal rows: cold (first run after a
 * PostgreSQL restart: empty shared buffers, the OS page cache left as it is) and warm (p50/p95 of
 * 20 runs), with the journey-stats indexes and without them.
 */
export async function funnel(ctx: DatabaseBenchContext): Promise<ScenarioResult> {
  const rows = SIZES[ctx.size];
  const port = await freePort();
  const dataDir = join(ctx.dataDir, 'funnel-pg');
  let postgres: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir, port });
  let db = await openDataSource(postgres.url, { runMigrations: true, poolSize: 2, applicationName: 'continuum-bench-funnel' });
  const restart = async () => {
    await db.destroy();
    await postgres.stop();
    postgres = await startEmbeddedPostgres({ dataDir, port });
    db = await openDataSource(postgres.url, { poolSize: 2, applicationName: 'continuum-bench-funnel' });
  };
  const result: Row[] = [];
  const bars: ScenarioResult['chart']['bars'] = [];
  const notes: string[] = [];
  try {
    console.error(`  loading ${rows.toLocaleString('en-US')} journal rows`);
    const began = performance.now();
    await loadFunnelRows(db, rows);
    const loadSeconds = (performance.now() - began) / 1000;
    const [counts]: Array<Record<string, string>> = await db.query(
      `SELECT (SELECT count(*) FROM journal_entries) AS journal, (SELECT count(*) FROM journey_instances) AS instances,
              (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM events) AS events`,
    );
    result.push({ what: 'load (INSERT … SELECT, VACUUM ANALYZE)', value: round(loadSeconds), unit: 's' });
    notes.push(`Loaded ${Object.entries(counts!).map(([table, count]) => `${Number(count).toLocaleString('en-US')} ${table}`).join(', ')} (${JOURNEYS} journeys over ${DAYS} days).`);

    for (const indexed of [true, false]) {
      const mode = indexed ? 'indexed' : 'no stats indexes';
      if (!indexed) {
        for (const index of STATS_INDEXES) await db.query(`DROP INDEX ${index}`);
        await db.query(`ANALYZE`);
      }
      for (const variant of variants()) {
        await restart();
        const store = new JourneyStatsStore(db);
        const scansBefore = await indexScans(db);
        let t = performance.now();
        const stats = await store.stats(variant.query);
        const cold = performance.now() - t;
        const timings: number[] = [];
        for (let i = 0; i < WARM_RUNS; i++) {
          t = performance.now();
          await store.stats(variant.query);
          timings.push(performance.now() - t);
        }
        const p50 = round(percentile(timings, 50));
        const p95 = round(percentile(timings, 95));
        const usedIndexes = (await indexScans(db)) > scansBefore;
        const plan = await store.explain(variant.query);
        const scans = [...new Set([...plan.matchAll(/(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan) (?:using (\w+) )?on (\w+)/g)].map((m) => `${m[1]}${m[2] ? ` ${m[2]}` : ''} on ${m[3]}`))];
        result.push(
          { what: `${variant.label} (${mode}): cold`, value: round(cold), unit: 'ms' },
          { what: `${variant.label} (${mode}): warm p50`, value: p50, unit: 'ms' },
          { what: `${variant.label} (${mode}): warm p95`, value: p95, unit: 'ms' },
        );
        bars.push({ label: `${variant.label}, ${mode}: p50`, value: p50, group: indexed ? 'p50' : 'baseline' });
        if (indexed) {
          notes.push(
            `${variant.label}: ${stats.entered.toLocaleString('en-US')} instances entered, ${stats.steps.reduce((sum, step) => sum + step.instances, 0).toLocaleString('en-US')} step reaches, ` +
              `converted ${stats.conversion?.converted.toLocaleString('en-US')} of ${stats.conversion?.messaged.toLocaleString('en-US')}; journey-stats indexes scanned: ${usedIndexes ? 'yes' : 'no'}.`,
          );
        }
        notes.push(`Plan of ${variant.label} (${mode}): ${scans.join('; ')}.`);
      }
    }
    notes.push('Cold: the first run after a PostgreSQL restart (empty shared buffers; the OS page cache is not dropped). Warm: p50/p95 of 20 runs after it.');
  } finally {
    await db.destroy();
    await postgres.stop();
  }
  return {
    scenario: 'funnel',
    title: `Funnel query (journeyStats) at ${rows.toLocaleString('en-US')} journal rows`,
    settings: { journalRows: rows, journeys: JOURNEYS, days: DAYS, warmRuns: WARM_RUNS, goal: 'Order Completed within 7 days' },
    rows: result,
    notes,
    chart: { title: `journeyStats warm p50 at ${rows.toLocaleString('en-US')} journal rows (grey: without the journey-stats indexes)`, unit: 'ms', bars },
  };
}
