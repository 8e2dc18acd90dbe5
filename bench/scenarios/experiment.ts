import { join } from 'node:path';
import { DEFAULT_WORKSPACE_ID, ExperimentStore, openDataSource, type DataSource, type ExperimentQuery } from '@continuum/data';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@continuum/testing';
import { percentile, round, type DatabaseBenchContext, type Row, type ScenarioResult } from '../lib';
import { loadFunnelRows } from './funnel';

/** Customers assigned in the experiment; the funnel's journal (ten rows per customer) is loaded around them. */
const SIZES = { small: 100_000, medium: 1_000_000, large: 3_000_000 } as const;
const WARM_RUNS = 10;
const DAYS = 30;
const START = '2026-01-01T00:00:00Z';
const INDEX = 'journal_entries_experiment_idx';

/**
 * `customers` assignments of one experiment (3 arms, 40/40/20, one entered and one assigned entry each,
 * 5 % re-entering) over 30 days, and a goal event for 10–13 % of them, by arm.
 */
async function loadExperiment(db: DataSource, customers: number): Promise<void> {
  const params = [DEFAULT_WORKSPACE_ID];
  const at = `'${START}'::timestamptz + n * interval '${DAYS} days' / ${customers}`;
  const arm = `(CASE WHEN n % 5 < 2 THEN 'sms' WHEN n % 5 < 4 THEN 'email' ELSE 'holdout' END)`;
  await db.query(
    `INSERT INTO journal_entries (workspace_id, instance_id, run_id, seq, journey_id, customer_id, type, step, detail, at)
     SELECT $1, 'journey/experiment-bench/x-' || n || '/x-' || n, 'r-' || n || '-' || k, seq, 'experiment-bench', 'x-' || n,
            CASE WHEN seq = 1 THEN 'entered' ELSE 'experiment.assigned' END, CASE WHEN seq = 1 THEN 'entry' ELSE 'offer-test' END,
            CASE WHEN seq = 1 THEN '{}'::jsonb ELSE jsonb_build_object('variant', ${arm}, 'control', ${arm} = 'holdout', 'weights', '{"sms": 40, "email": 40, "holdout": 20}'::jsonb, 'controlId', 'holdout') END,
            ${at} + k * interval '20 days' + seq * interval '1 second'
     FROM generate_series(0, ${customers} - 1) n, generate_series(0, 1) k, generate_series(1, 2) seq
     WHERE k = 0 OR n % 20 = 0`,
    params,
  );
  // Goal events: holdout 10 %, email 11 %, sms 13 % (n / 5 picks customers evenly within an arm), two days after.
  await db.query(
    `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at)
     SELECT $1, 'x-order-' || n, 'x-' || n, 'track', 'Order Completed', '{"total": 25}', ${at} + interval '2 days', ${at} + interval '2 days'
     FROM generate_series(0, ${customers} - 1) n
     WHERE (n / 5) % 100 < CASE ${arm} WHEN 'sms' THEN 13 WHEN 'email' THEN 11 ELSE 10 END`,
    params,
  );
  await db.query(`VACUUM ANALYZE`);
}

/**
 * experimentResults' count (ExperimentStore.arms) for an experiment of `customers` customers amid a
 * journal of ten times as many rows: cold and warm, with the experiment-assignments index and without.
 */
export async function experiment(ctx: DatabaseBenchContext): Promise<ScenarioResult> {
  const customers = SIZES[ctx.size];
  const port = await freePort();
  const dataDir = join(ctx.dataDir, 'experiment-pg');
  let postgres: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir, port });
  let db = await openDataSource(postgres.url, { runMigrations: true, poolSize: 2, applicationName: 'continuum-bench-experiment' });
  const restart = async () => {
    await db.destroy();
    await postgres.stop();
    postgres = await startEmbeddedPostgres({ dataDir, port });
    db = await openDataSource(postgres.url, { poolSize: 2, applicationName: 'continuum-bench-experiment' });
  };
  const rows: Row[] = [];
  const bars: ScenarioResult['chart']['bars'] = [];
  const notes: string[] = [];
  const query: ExperimentQuery = { workspaceId: DEFAULT_WORKSPACE_ID, journeyId: 'experiment-bench', step: 'offer-test', goal: { event: 'Order Completed', withinMs: 7 * 86_400_000 } };
  try {
    console.error(`  loading ${(customers * 10).toLocaleString('en-US')} funnel journal rows and an experiment of ${customers.toLocaleString('en-US')} customers`);
    const began = performance.now();
    await loadFunnelRows(db, customers * 10);
    await loadExperiment(db, customers);
    rows.push({ what: 'load (INSERT … SELECT, VACUUM ANALYZE)', value: round((performance.now() - began) / 1000), unit: 's' });
    const [counts]: Array<Record<string, string>> = await db.query(`SELECT (SELECT count(*) FROM journal_entries) AS journal, (SELECT count(*) FROM events) AS events`);
    notes.push(`Loaded ${Number(counts!['journal']).toLocaleString('en-US')} journal entries and ${Number(counts!['events']).toLocaleString('en-US')} events.`);
    for (const indexed of [true, false]) {
      const mode = indexed ? 'indexed' : `without ${INDEX}`;
      if (!indexed) {
        await db.query(`DROP INDEX ${INDEX}`);
        await db.query('ANALYZE');
      }
      await restart();
      const store = new ExperimentStore(db);
      let t = performance.now();
      const arms = await store.arms(query);
      const cold = performance.now() - t;
      const timings: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) {
        t = performance.now();
        await store.arms(query);
        timings.push(performance.now() - t);
      }
      const p50 = round(percentile(timings, 50));
      rows.push(
        { what: `arms (${mode}): cold`, value: round(cold), unit: 'ms' },
        { what: `arms (${mode}): warm p50`, value: p50, unit: 'ms' },
        { what: `arms (${mode}): warm p95`, value: round(percentile(timings, 95)), unit: 'ms' },
      );
      bars.push({ label: `${mode}: p50`, value: p50, group: indexed ? 'p50' : 'baseline' });
      if (indexed) notes.push(`Arms: ${arms.map((arm) => `${arm.variant} ${arm.converted.toLocaleString('en-US')}/${arm.entered.toLocaleString('en-US')}`).join(', ')}.`);
    }
    notes.push(`Cold: the first run after a PostgreSQL restart. Warm: p50/p95 of ${WARM_RUNS} runs.`);
  } finally {
    await db.destroy();
    await postgres.stop();
  }
  return {
    scenario: 'experiment',
    title: `Experiment results count (experimentResults) for ${customers.toLocaleString('en-US')} customers`,
    settings: { customers, journalRowsAround: customers * 10, warmRuns: WARM_RUNS, goal: 'Order Completed within 7 days' },
    rows,
    notes,
    chart: { title: `experimentResults count, warm p50, ${customers.toLocaleString('en-US')} customers (grey: without the experiment index)`, unit: 'ms', bars },
  };
}
