import { join } from 'node:path';
import { DEFAULT_WORKSPACE_ID, JourneyStatsStore, openDataSource, type DataSource, type JourneyStatsQuery } from '@continuum/data';
import type { QueryRunner } from 'typeorm';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@continuum/testing';
import { percentile, round, type DatabaseBenchContext, type Row, type ScenarioResult } from '../lib';

/** Journal rows loaded; every instance journals ten entries and sends one message. */
const SIZES = { small: 1_000_000, medium: 3_000_000, large: 10_000_000 } as const;
const JOURNEYS = 4;
const DAYS = 90;
const WARM_RUNS = 20;
const STATS_INDEXES = ['journal_entries_journey_at_idx', 'journey_instances_stats_idx'];
const START = '2026-01-01T00:00:00Z';

/** Where the rows go and when they enter (see loadFunnelRows). */
export interface FunnelLayout {
  /** When the first instance enters (default 2026-01-01). */
  start?: string;
  /** Over how many days instances enter (default 90). */
  days?: number;
  /** The events stored as routed (default: waiting to be routed). */
  routed?: boolean;
  /**
   * Workspaces beside the default one (default none): every fifth instance goes to one of them in
   * turn, so four in five stay in the default workspace, the one the bench measures.
   */
  workspaces?: number;
  /** Traffic grows over the span (entries per day twice as many at the end as at the start) instead of even. */
  growth?: boolean;
  /** Told how long each step of the load took. */
  log?: (line: string) => void;
}

/** The tables the loader fills: their secondary indexes are built once after the load instead of row by row. */
const LOADED_TABLES = ['journey_instances', 'journal_entries', 'messages', 'message_keys', 'message_sids', 'events', 'event_message_ids'];

/** The id of the bench's workspace `w` (1 … layout.workspaces); 0 is the default workspace. */
export const benchWorkspaceId = (w: number): string => (w === 0 ? DEFAULT_WORKSPACE_ID : `00000000-0000-4000-8000-${String(w).padStart(12, '0')}`);

/**
 * Loads `rows` journal entries (plus instances, messages and events in proportion) with bulk
 * INSERT … SELECT generate_series: 4 journeys, instances entering over 90 days from 2026-01-01 (or
 * `layout`'s days from its start). Loads in minutes, not hours: the rows go in with the row
 * triggers off (`session_replication_role = replica`: no live_changes row and no NOTIFY per row, no
 * foreign-key check per row: the rows are consistent by construction) and without the secondary
 * indexes, which are dropped and built again once at the end (as they were: same definitions).
 */
export async function loadFunnelRows(db: DataSource, rows: number, layout: FunnelLayout = {}): Promise<void> {
  const instances = rows / 10;
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SET session_replication_role = replica`);
    await runner.query(`SET maintenance_work_mem = '512MB'`);
    await runner.query(`SET synchronous_commit = off`);
    // Indexes of the tables themselves (a partitioned table's indexes make its partitions' ones), not those behind a constraint (primary keys).
    const indexes: Array<{ name: string; definition: string }> = await runner.query(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
       WHERE t.relname = ANY($1::text[]) AND t.relnamespace = current_schema()::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      [LOADED_TABLES],
    );
    for (const index of indexes) await runner.query(`DROP INDEX ${index.name}`);
    await step('rows inserted', () => insertFunnelRows(runner, instances, layout));
    await step(`${indexes.length} indexes built`, async () => {
      for (const index of indexes) await runner.query(index.definition.replace(' ON ONLY ', ' ON '));
    });
    await runner.query(`RESET session_replication_role`);
  } finally {
    await runner.release();
  }
  await step('VACUUM ANALYZE', () => db.query(`VACUUM ANALYZE`));

  async function step(what: string, work: () => Promise<unknown>): Promise<void> {
    const began = performance.now();
    await work();
    layout.log?.(`${what} in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  }
}

async function insertFunnelRows(runner: QueryRunner, instances: number, layout: FunnelLayout): Promise<void> {
  const workspaces = layout.workspaces ?? 0;
  for (let w = 1; w <= workspaces; w++) {
    await runner.query(`INSERT INTO workspaces (id, slug, name) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`, [benchWorkspaceId(w), `bench-${w}`, `Bench workspace ${w}`]);
  }
  // Instance n of N enters at START + f(n/N) × DAYS: f(x) = x (even), or with growth the entries per day rise linearly from 1 to 2 (numbers of our own, inlined as literals).
  const fraction = layout.growth ? `(sqrt(1 + 3 * n::float8 / ${instances}) - 1)` : `(n::float8 / ${instances})`;
  const started = `'${layout.start ?? START}'::timestamptz + ${fraction} * interval '${layout.days ?? DAYS} days'`;
  const workspace =
    workspaces === 0
      ? `'${DEFAULT_WORKSPACE_ID}'::uuid`
      : `CASE WHEN n % 5 = 4 THEN ('00000000-0000-4000-8000-' || lpad((1 + (n / 5) % ${workspaces})::text, 12, '0'))::uuid ELSE '${DEFAULT_WORKSPACE_ID}'::uuid END`;
  const each = `generate_series(0, ${instances} - 1) n, LATERAL (SELECT ${started} AS started, ${workspace} AS workspace_id) s`;
  // Outcomes per 20 instances: 9 completed, 4 exited on 'Order Completed', 2 archived, 5 active.
  await runner.query(
    `INSERT INTO journey_instances (instance_id, run_id, workspace_id, journey_id, customer_id, instance_key, status, current_step, exit_reason, started_at, updated_at, journey_version)
     SELECT 'journey/funnel-' || n % ${JOURNEYS} || '/c-' || n || '/c-' || n, 'r-' || n, workspace_id, 'funnel-' || n % ${JOURNEYS}, 'c-' || n, 'c-' || n,
            CASE WHEN n % 20 < 9 THEN 'completed' WHEN n % 20 < 15 THEN 'exited' ELSE 'active' END,
            CASE WHEN n % 20 < 9 THEN 'done' ELSE 'wait' END,
            CASE WHEN n % 20 BETWEEN 9 AND 12 THEN 'Order Completed' WHEN n % 20 BETWEEN 13 AND 14 THEN 'archived' END,
            started, started + interval '100 minutes', CASE WHEN n < ${instances / 2} THEN 1 ELSE 2 END
     FROM ${each}`,
  );
  await runner.query(
    `INSERT INTO journal_entries (workspace_id, instance_id, run_id, seq, journey_id, customer_id, type, step, detail, at)
     SELECT workspace_id, 'journey/funnel-' || n % ${JOURNEYS} || '/c-' || n || '/c-' || n, 'r-' || n, seq, 'funnel-' || n % ${JOURNEYS}, 'c-' || n,
            (ARRAY['entered', 'wait.started', 'timer.reset', 'timer.reset', 'timer.reset', 'wait.ended', 'branch.taken', 'message.sent', 'wait.started',
                   CASE WHEN n % 20 < 9 THEN 'completed' WHEN n % 20 < 15 THEN 'exited' ELSE 'wait.ended' END])[seq],
            (ARRAY['entry', 'idle', 'idle', 'idle', 'idle', 'idle', 'has-items', 'reminder', 'wait',
                   CASE WHEN n % 20 < 9 THEN 'done' ELSE 'wait' END])[seq],
            '{}', started + seq * interval '10 minutes'
     FROM ${each}, generate_series(1, 10) seq`,
  );
  // One sms per instance: 70% delivered, 10% undelivered, 10% failed, 10% queued; the provider's sid once handed over.
  // Each with its outbox key and its sid, as the message store keeps them (message_keys, message_sids).
  await runner.query(
    `WITH sent AS (
       INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status, provider_id, created_at, updated_at)
       SELECT workspace_id, 'c-' || n, 'journey/funnel-' || n % ${JOURNEYS} || '/c-' || n || '/c-' || n, 'r-' || n, 'reminder', 'sms', '+15005550006', 'Your cart is waiting',
              (ARRAY['delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'undelivered', 'failed', 'queued'])[n % 10 + 1],
              CASE WHEN n % 10 <> 8 THEN 'SM' || md5(n::text) END,
              started + interval '80 minutes', started + interval '82 minutes'
       FROM ${each}
       RETURNING id, instance_id, run_id, step, provider_id, created_at
     ),
     keys AS (INSERT INTO message_keys (instance_id, run_id, step, message_id, created_at) SELECT instance_id, run_id, step, id, created_at FROM sent)
     INSERT INTO message_sids (provider_id, message_id, created_at) SELECT provider_id, id, created_at FROM sent WHERE provider_id IS NOT NULL`,
  );
  // Two unrelated events per customer, and the goal for 30%: 2 days after the send (20%) or 10 days (10%).
  const events = `FROM ${each}, generate_series(1, 3) k,
          LATERAL (SELECT started + CASE WHEN k < 3 THEN k * interval '1 minute' WHEN n % 10 < 2 THEN interval '2 days' ELSE interval '10 days' END AS at) e
     WHERE k < 3 OR n % 10 < 3`;
  await runner.query(
    `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at, routed_at)
     SELECT workspace_id, 'e-' || n || '-' || k, 'c-' || n, 'track', CASE WHEN k = 3 THEN 'Order Completed' ELSE 'Cart Updated' END, '{}', at, at, ${layout.routed ? 'at' : 'NULL'}
     ${events}`,
  );
  // Each event's messageId, as the event store keeps it unique (event_message_ids).
  await runner.query(`INSERT INTO event_message_ids (workspace_id, message_id, received_at) SELECT workspace_id, 'e-' || n || '-' || k, at ${events}`);
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
