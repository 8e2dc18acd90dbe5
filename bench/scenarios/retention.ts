import { join } from 'node:path';
import {
  CustomerTimelineStore,
  DEFAULT_WORKSPACE_ID,
  EventStore,
  JourneyStatsStore,
  MAX_RETENTION_DAYS,
  RetentionStore,
  openDataSource,
  type DataSource,
  type NewEvent,
} from '@continuum/data';
import { freePort, startEmbeddedPostgres } from '@continuum/testing';
import { percentile, round, type DatabaseBenchContext, type Row, type ScenarioResult } from '../lib';
import { benchWorkspaceId, loadFunnelRows } from './funnel';

/** Journal rows loaded (ten per instance, instances entering evenly over 13 months up to now). */
const SIZES = { small: 1_000_000, medium: 3_000_000, large: 10_000_000 } as const;
const DAY = 86_400_000;
const SPAN_DAYS = 395;
const RETENTION_DAYS = 365;
const WARM_RUNS = 10;
const LOAD_SECONDS = 8;
const ALL_PARTITIONS = Array.from({ length: 64 }, (_, i) => i);
/** Workspaces beside the default one (a fifth of the instances among them); the first SHORTER of them keep their data SHORTER_DAYS only. */
const WORKSPACES = 39;
const SHORTER = 3;
const SHORTER_DAYS = 180;

type Operation = 'funnel' | 'timeline' | 'routing';
interface Sample {
  op: Operation;
  at: number;
  ms: number;
}

/**
 * Retention at `rows` journal rows: the figures of funnels (journeyStats, a 30-day cohort),
 * timelines (a customer's newest 50) and routing (accept 50 events, list the unrouted of every
 * routing partition, mark them routed) before, while and after the retention drops the month past
 * RETENTION_DAYS, all three running concurrently during the drop; with an unrouted event in the
 * oldest month of events, whose partition is kept until it is routed.
 */
export async function retention(ctx: DatabaseBenchContext): Promise<ScenarioResult> {
  const rows = SIZES[ctx.size];
  const postgres = await startEmbeddedPostgres({ dataDir: join(ctx.dataDir, 'retention-pg'), port: await freePort() });
  const db = await openDataSource(postgres.url, { runMigrations: true, poolSize: 8, applicationName: 'continuum-bench-retention' });
  const result: Row[] = [];
  const notes: string[] = [];
  const bars: ScenarioResult['chart']['bars'] = [];
  try {
    const now = new Date();
    const start = new Date(now.getTime() - SPAN_DAYS * DAY);
    const store = new RetentionStore(db);
    // The monthly partitions of the 13 months the rows span (as a retention run each month would have made them).
    await store.run({ defaultDays: MAX_RETENTION_DAYS, now: start, monthsAhead: 17 });
    console.error(`  loading ${rows.toLocaleString('en-US')} journal rows over ${SPAN_DAYS} days`);
    let began = performance.now();
    const loadSteps: string[] = [];
    await loadFunnelRows(db, rows, { start: start.toISOString(), days: SPAN_DAYS - 5, routed: true, workspaces: WORKSPACES, growth: true, log: (line) => loadSteps.push(line) });
    result.push({ what: 'load (INSERT … SELECT without row triggers, indexes built after, VACUUM ANALYZE)', value: round((performance.now() - began) / 1000), unit: 's' });
    notes.push(`Load: ${loadSteps.join(', ')}.`);
    console.error(`  loaded: ${loadSteps.join(', ')}`);
    for (let w = 1; w <= SHORTER; w++) await store.setRetention(benchWorkspaceId(w), SHORTER_DAYS);
    const events = new EventStore(db);
    const oldest = new Date(start.getTime() + DAY);
    const [unrouted] = await events.acceptBatch([{ ...event('retention-old-unrouted', 'c-0', oldest), routedAt: undefined }]);
    const partitions = await store.listPartitions();
    const expired = partitions.filter((p) => p.to !== null && p.to.getTime() <= now.getTime() - RETENTION_DAYS * DAY);
    const sizes = await partitionRows(db, expired.map((p) => p.name));
    const [counts]: Array<Record<string, string>> = await db.query(
      `SELECT (SELECT count(*) FROM journal_entries) AS journal, (SELECT count(*) FROM journey_instances) AS instances, (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM events) AS events`,
    );
    notes.push(
      `Loaded ${Object.entries(counts!).map(([table, count]) => `${Number(count).toLocaleString('en-US')} ${table}`).join(', ')}, entering from ${start.toISOString().slice(0, 10)} over ${SPAN_DAYS - 5} days; ` +
        `${WORKSPACES + 1} workspaces (four in five instances in the default one, ${SHORTER} with a ${SHORTER_DAYS}-day retention), entries per day rising linearly to twice the first day's; ` +
        `${partitions.length} partitions. Past the ${RETENTION_DAYS}-day retention: ${expired.map((p) => `${p.name} (${(sizes.get(p.name) ?? 0).toLocaleString('en-US')} rows)`).join(', ')}.`,
    );

    const funnelQuery = {
      workspaceId: DEFAULT_WORKSPACE_ID,
      journeyId: 'funnel-1',
      from: new Date(now.getTime() - 40 * DAY),
      to: new Date(now.getTime() - 10 * DAY),
      goal: { event: 'Order Completed', withinMs: 7 * DAY },
    };
    const instances = rows / 10;
    let batch = 0;
    const operations: Record<Operation, () => Promise<unknown>> = {
      funnel: () => new JourneyStatsStore(db).stats(funnelQuery),
      // (customer c-n is in the default workspace when n % 5 is not 4: instances is a multiple of 5)
      timeline: () => new CustomerTimelineStore(db).page(DEFAULT_WORKSPACE_ID, `c-${instances - 5 - (batch % 1000) * 35}`, { limit: 50, backward: false, order: 'newest' }),
      routing: async () => {
        const round = batch++;
        await events.acceptBatch(Array.from({ length: 50 }, (_, i) => event(`live-${round}-${i}`, `live-${i % 13}`, new Date())));
        const ids = await events.listUnroutedIdsInPartitions(ALL_PARTITIONS, '0', 1_000);
        await events.markRoutedMany(ids.filter((id) => id !== unrouted!.id));
      },
    };
    const entered = ((await operations.funnel()) as { entered: number }).entered;
    notes.push(`Funnel: journey funnel-1, the cohort entered 40 to 10 days ago (${entered.toLocaleString('en-US')} instances), goal Order Completed within 7 days.`);

    const warm = async (label: string) => {
      for (const op of Object.keys(operations) as Operation[]) {
        const timings: number[] = [];
        for (let i = 0; i < WARM_RUNS; i++) {
          const t = performance.now();
          await operations[op]();
          timings.push(performance.now() - t);
        }
        result.push({ what: `${op}, ${label}: p50`, value: round(percentile(timings, 50)), unit: 'ms' }, { what: `${op}, ${label}: p95`, value: round(percentile(timings, 95)), unit: 'ms' });
        bars.push({ label: `${op}, ${label}`, value: round(percentile(timings, 50)), group: label === 'before the drop' ? 'baseline' : 'p50' });
      }
    };
    await warm('before the drop');

    // The three at once, the retention run in the middle.
    console.error(`  funnels, timelines and routing at once for ${2 * LOAD_SECONDS} s, the retention run after ${LOAD_SECONDS} s`);
    const samples: Sample[] = [];
    const errors: string[] = [];
    let running = true;
    const loops = (Object.keys(operations) as Operation[]).map(async (op) => {
      while (running) {
        const t = performance.now();
        try {
          await operations[op]();
          samples.push({ op, at: t, ms: performance.now() - t });
        } catch (error) {
          errors.push(`${op}: ${String(error)}`);
        }
      }
    });
    await sleep(LOAD_SECONDS * 1000);
    const runBegan = performance.now();
    const report = await store.run({ defaultDays: RETENTION_DAYS });
    const runEnded = performance.now();
    await sleep(LOAD_SECONDS * 1000);
    running = false;
    await Promise.all(loops);

    result.push(
      { what: 'retention run (drops included) under load', value: round(runEnded - runBegan), unit: 'ms' },
      { what: 'of which: partitions made ahead', value: report.ms.create, unit: 'ms' },
      { what: 'of which: partitions dropped (a messages partition: its outbox keys, sids and inbox entries deleted first)', value: report.ms.drop, unit: 'ms' },
      { what: `of which: rows deleted (messageIds, the ${SHORTER} shorter-retention workspaces)`, value: report.ms.deleteRows, unit: 'ms' },
      { what: `of which: messages deleted row by row (the ${SHORTER} shorter-retention workspaces)`, value: report.ms.deleteMessages, unit: 'ms' },
      { what: 'message partitions dropped', value: report.dropped.filter((name) => name.startsWith('messages_')).length, unit: 'partitions' },
      { what: 'outbox keys and provider sids deleted with them', value: report.deleted.messageKeys, unit: 'rows' },
      { what: 'messages deleted row by row', value: report.deleted.messages, unit: 'rows' },
      { what: 'events + journal entries deleted row by row (shorter retentions)', value: report.deleted.events + report.deleted.journalEntries, unit: 'rows' },
      { what: 'event messageIds deleted', value: report.deleted.eventMessageIds, unit: 'rows' },
    );
    for (const op of Object.keys(operations) as Operation[]) {
      const windows = {
        'before the run': samples.filter((s) => s.op === op && s.at + s.ms < runBegan),
        'overlapping the run': samples.filter((s) => s.op === op && s.at < runEnded && s.at + s.ms > runBegan),
        'after the run': samples.filter((s) => s.op === op && s.at > runEnded),
      };
      for (const [window, list] of Object.entries(windows)) {
        const ms = list.map((s) => s.ms);
        if (ms.length === 0) continue;
        result.push(
          { what: `${op} under load, ${window}: p50`, value: round(percentile(ms, 50)), unit: 'ms' },
          { what: `${op} under load, ${window}: max`, value: round(Math.max(...ms)), unit: 'ms' },
        );
      }
      notes.push(`${op} under load: ${windows['before the run'].length} / ${windows['overlapping the run'].length} / ${windows['after the run'].length} operations before / overlapping / after the run.`);
    }
    const droppedRows = report.dropped.reduce((sum, name) => sum + (sizes.get(name) ?? 0), 0);
    result.push({ what: 'rows gone with the dropped partitions', value: droppedRows, unit: 'rows' }, { what: 'errors in funnels, timelines and routing during the run', value: errors.length, unit: 'errors' });
    notes.push(`Dropped: ${report.dropped.join(', ') || 'none'}. Kept: ${report.kept.map((k) => `${k.partition} (${k.reason})`).join(', ') || 'none'}.`);
    if (errors.length > 0) notes.push(`Errors: ${[...new Set(errors)].slice(0, 5).join('; ')}`);

    const stillUnrouted = await events.listUnroutedIdsInPartitions(ALL_PARTITIONS, '0', 1_000);
    notes.push(`Unrouted after the run: ${stillUnrouted.length} (${stillUnrouted.includes(unrouted!.id) ? 'the old unrouted event is still there to route' : 'THE OLD UNROUTED EVENT IS GONE'}).`);
    await events.markRoutedMany([unrouted!.id]);
    began = performance.now();
    const second = await store.run({ defaultDays: RETENTION_DAYS });
    result.push({ what: 'retention run once that event is routed (idle)', value: round(performance.now() - began), unit: 'ms' });
    notes.push(`Once routed, the next run dropped: ${second.dropped.join(', ') || 'none'}.`);

    await db.query(`ANALYZE`);
    await warm('after the drop');
  } finally {
    await db.destroy();
    await postgres.stop();
  }
  return {
    scenario: 'retention',
    title: `Retention: a month dropped at ${rows.toLocaleString('en-US')} journal rows while funnels, timelines and routing run`,
    settings: { journalRows: rows, spanDays: SPAN_DAYS, retentionDays: RETENTION_DAYS, warmRuns: WARM_RUNS, loadSeconds: 2 * LOAD_SECONDS },
    rows: result,
    notes,
    chart: { title: `p50 before (grey) and after the month past retention is dropped, ${rows.toLocaleString('en-US')} journal rows`, unit: 'ms', bars },
  };
}

function event(messageId: string, userId: string, at: Date): NewEvent {
  return { workspaceId: DEFAULT_WORKSPACE_ID, messageId, userId, type: 'track', name: 'Cart Updated', properties: {}, timestamp: at, receivedAt: at };
}

async function partitionRows(db: DataSource, names: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const name of names) {
    const [row]: Array<{ count: number }> = await db.query(`SELECT count(*)::int AS count FROM ${name}`);
    counts.set(name, row!.count);
  }
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
