/**
 * Webhook outbox benchmark (a program that prints figures, never a timed test):
 *
 *   node -r ./tools/register.cjs bench/webhook-outbox.ts
 *
 * What the outbox triggers cost the writes that record subscribed events: on an embedded PostgreSQL,
 * journal entries (half `entered`, a subscribed type) and consent changes written one per
 * transaction, as the worker and the gateway write them, by BENCH_CONCURRENCY writers, with 0, 1
 * and 5 enabled endpoints subscribed to every type in the workspace. Prints writes per second and
 * the deliveries queued, and writes a JSON report under bench/results/ (git-ignored).
 *
 * Settings (environment): BENCH_WRITES [4000] per case, BENCH_CONCURRENCY [8].
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ConsentStore, DEFAULT_WORKSPACE_ID, JournalStore, WebhookStore } from '@continuum/data';
import { createTestDatabase } from '@continuum/testing';

const setting = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const WRITES = setting('BENCH_WRITES', 4000);
const CONCURRENCY = setting('BENCH_CONCURRENCY', 8);
const ALL_TYPES = ['message.sent', 'message.delivered', 'message.failed', 'journey.entered', 'journey.exited', 'conversation.escalated', 'consent.changed'];

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const journal = new JournalStore(db.dataSource);
  const consents = new ConsentStore(db.dataSource);
  const webhooks = new WebhookStore(db.dataSource, undefined);
  const results: Array<{ endpoints: number; kind: string; writesPerSecond: number; deliveriesQueued: number }> = [];
  let endpoints = 0;
  let round = 0;
  try {
    for (const target of [0, 1, 5]) {
      while (endpoints < target) {
        await webhooks.createEndpoint(DEFAULT_WORKSPACE_ID, { url: `https://example.com/${endpoints}`, eventTypes: ALL_TYPES, description: '', enabled: true });
        endpoints += 1;
      }
      for (const kind of ['journal', 'consent'] as const) {
        round += 1;
        const before: number = (await db.dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries`))[0].n;
        let next = 0;
        const started = process.hrtime.bigint();
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            for (let i = next++; i < WRITES; i = next++) {
              const customerId = `bench-${round}-${i}`;
              if (kind === 'journal') {
                await journal.record({
                  workspaceId: DEFAULT_WORKSPACE_ID,
                  instanceId: `journey/bench/${customerId}/${customerId}`,
                  runId: 'r1',
                  seq: 1 + (i % 2),
                  journeyId: 'bench',
                  customerId,
                  key: customerId,
                  type: i % 2 === 0 ? 'entered' : 'wait.started',
                  step: 'start',
                  status: 'active',
                  detail: {},
                  at: new Date(),
                });
              } else {
                await consents.apply(DEFAULT_WORKSPACE_ID, customerId, [{ channel: 'sms', purpose: 'marketing', status: 'subscribed', source: 'bench', at: new Date() }]);
              }
            }
          }),
        );
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const after: number = (await db.dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries`))[0].n;
        const row = { endpoints, kind, writesPerSecond: Math.round(WRITES / seconds), deliveriesQueued: after - before };
        results.push(row);
        console.log(`${kind.padEnd(8)} endpoints=${endpoints}  ${String(row.writesPerSecond).padStart(6)} writes/s  ${row.deliveriesQueued} deliveries queued`);
      }
    }
  } finally {
    await db.teardown();
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `webhook-outbox-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ writes: WRITES, concurrency: CONCURRENCY, cpus: cpus().length, results }, null, 2));
  console.log(`report: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
