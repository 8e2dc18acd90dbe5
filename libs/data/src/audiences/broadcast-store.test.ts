import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { AudienceStore, BroadcastStore, DEFAULT_WORKSPACE_ID } from '../index';

// Real PostgreSQL with every migration applied.
describe('BroadcastStore: runs and their recipients', () => {
  let db: TestDatabase;
  let store: BroadcastStore;
  let audienceId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new BroadcastStore(db.dataSource);
    audienceId = (await new AudienceStore(db.dataSource).save(DEFAULT_WORKSPACE_ID, 'everyone', { trait: 'plan', exists: true })).id;
  });
  afterAll(async () => {
    await db?.teardown();
  });

  it('keeps broadcasts from before runs existed valid: one run each, with their recipients', async () => {
    // Back to the schema before runs, with a broadcast and recipients as it wrote them, then forward again.
    // (Later migrations are undone first: back to the last one before runs.)
    const lastApplied = async () => ((await db.dataSource.query(`SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1`)) as Array<{ name: string }>)[0]?.name;
    while ((await lastApplied()) !== 'Broadcasts1732470000000') await db.dataSource.undoLastMigration({ transaction: 'each' });
    const [old] = await db.dataSource.query(
      `INSERT INTO broadcasts (workspace_id, name, audience_id, template, channel, rate_per_second, status) VALUES ($1, 'Old', $2, 'promo', 'sms', 5, 'completed') RETURNING id`,
      [DEFAULT_WORKSPACE_ID, audienceId],
    );
    await db.dataSource.query(`INSERT INTO broadcast_recipients (broadcast_id, customer_id, outcome, reason) VALUES ($1, 'ana', 'sent', NULL), ($1, 'bia', 'skipped', 'no-consent')`, [old.id]);
    await db.dataSource.runMigrations({ transaction: 'each' });

    const broadcast = (await store.get(DEFAULT_WORKSPACE_ID, old.id))!;
    expect(broadcast).toMatchObject({ template: 'promo', channel: 'sms', journeyId: null, quietHours: 'skip', schedule: null, status: 'completed', workspaceSlug: 'default' });
    const [run] = await store.runs(old.id);
    expect(run).toMatchObject({ number: 1, workflowId: `broadcast/${old.id}`, status: 'completed' });
    expect(run!.endedAt).toBeInstanceOf(Date);
    expect(await store.runByWorkflowId(`broadcast/${old.id}`)).toMatchObject({ id: run!.id });
    expect(await store.progress(old.id)).toEqual({ enrolled: 2, sent: 1, entered: 0, failed: 0, queued: 0, skipped: [{ reason: 'no-consent', count: 1 }] });
    expect((await store.runProgress([run!.id])).get(run!.id)).toMatchObject({ enrolled: 2, sent: 1 });
    expect(await store.reached(run!.id, ['ana', 'bia', 'caio'])).toEqual(new Set(['ana', 'bia']));
  });

  it('numbers runs, opens each workflow once, and keeps every member once per run', async () => {
    const broadcast = await store.create(DEFAULT_WORKSPACE_ID, {
      name: 'Weekly',
      audienceId,
      template: 'promo',
      channel: 'sms',
      ratePerSecond: 10,
      quietHours: 'queue',
      schedule: { cron: '0 9 * * MON', timeZone: 'America/Sao_Paulo' },
    });
    expect(broadcast).toMatchObject({ status: 'scheduled', schedule: { cron: '0 9 * * MON', timeZone: 'America/Sao_Paulo' }, quietHours: 'queue' });
    const first = (await store.openRun(broadcast.id, 'broadcast/default/x-1', new Date('2026-11-30T12:00:00Z')))!;
    const again = (await store.openRun(broadcast.id, 'broadcast/default/x-1', new Date('2026-11-30T12:00:00Z')))!;
    const second = (await store.openRun(broadcast.id, 'broadcast/default/x-2', new Date('2026-12-07T12:00:00Z')))!;
    expect([first.run.number, again.run.number, second.run.number]).toEqual([1, 1, 2]);
    expect(again.run.id).toBe(first.run.id);
    expect(first.broadcast.status).toBe('scheduled');
    // Each run records its audience's size as it starts: its recipient total.
    const [{ size }]: Array<{ size: number }> = await db.dataSource.query(`SELECT count(*)::int AS size FROM audience_members WHERE audience_id = $1`, [audienceId]);
    expect([first.run.recipients, second.run.recipients]).toEqual([size, size]);
    // Runs page latest first, a window fetching one more than asked; backward from a number, the nearest first.
    expect((await store.runPage(broadcast.id, { limit: 1 })).map((run) => run.number)).toEqual([2, 1]);
    expect((await store.runPage(broadcast.id, { limit: 5, after: 2 })).map((run) => run.number)).toEqual([1]);
    expect((await store.runPage(broadcast.id, { limit: 5, backward: true, before: 1 })).map((run) => run.number)).toEqual([2]);
    expect(await store.countRuns(broadcast.id)).toBe(2);

    await store.record(broadcast.id, first.run.id, [{ customerId: 'ana', outcome: 'sent' }, { customerId: 'bia', outcome: 'queued', reason: 'quiet-hours', dueAt: new Date(Date.now() - 1000) }]);
    // A retried batch changes nothing; the next run starts afresh for the same members.
    await store.record(broadcast.id, first.run.id, [{ customerId: 'ana', outcome: 'failed', reason: 'late' }]);
    await store.record(broadcast.id, second.run.id, [{ customerId: 'ana', outcome: 'sent' }, { customerId: 'caio', outcome: 'queued', dueAt: new Date(Date.now() + 3_600_000) }]);
    expect(await store.dueQueued(first.run.id, 10)).toEqual(['bia']);
    expect(await store.dueQueued(second.run.id, 10)).toEqual([]);
    expect((await store.nextQueuedAt(second.run.id))!.getTime()).toBeGreaterThan(Date.now());

    await store.settleQueued(first.run.id, [{ customerId: 'bia', outcome: 'sent' }]);
    // Settled once: a second settlement of the same member changes nothing.
    await store.settleQueued(first.run.id, [{ customerId: 'bia', outcome: 'skipped', reason: 'late' }]);
    expect(await store.nextQueuedAt(first.run.id)).toBeUndefined();
    const byRun = await store.runProgress([first.run.id, second.run.id]);
    expect(byRun.get(first.run.id)).toEqual({ enrolled: 2, sent: 2, entered: 0, failed: 0, queued: 0, skipped: [] });
    expect(byRun.get(second.run.id)).toEqual({ enrolled: 1, sent: 1, entered: 0, failed: 0, queued: 1, skipped: [] });
    expect(await store.progress(broadcast.id)).toMatchObject({ enrolled: 3, sent: 3, queued: 1 });
    // A page of broadcasts counts in one query, as each one alone.
    const none = '00000000-0000-4000-8000-000000000000';
    expect(await store.progressOf([broadcast.id, none])).toEqual(new Map([[broadcast.id, await store.progress(broadcast.id)], [none, await store.progress(none)]]));

    // A run's status moves once it ends; a recurring broadcast's own status is the schedule's, not its runs'.
    expect(await store.setRunStatus(first.run.id, 'completed')).toBe(true);
    expect(await store.setRunStatus(first.run.id, 'running')).toBe(false);
    expect((await store.activeRuns(broadcast.id)).map((run) => run.number)).toEqual([2]);
    expect((await store.get(DEFAULT_WORKSPACE_ID, broadcast.id))!.status).toBe('scheduled');
  });

  it("moves a one-off broadcast's status with its run, and a run opened while paused says so", async () => {
    const broadcast = await store.create(DEFAULT_WORKSPACE_ID, { name: 'Once', audienceId, journeyId: 'onboarding', entry: { event: 'Signed Up', properties: {} }, ratePerSecond: 1 });
    expect(broadcast).toMatchObject({ status: 'running', template: null, channel: null, entry: { event: 'Signed Up', properties: {} } });
    await store.setStatus(broadcast.id, 'paused');
    const opened = (await store.openRun(broadcast.id, 'broadcast/default/once', new Date()))!;
    expect(opened.broadcast.status).toBe('paused');
    await store.setRunStatus(opened.run.id, 'cancelled');
    expect((await store.get(DEFAULT_WORKSPACE_ID, broadcast.id))!.status).toBe('cancelled');
    expect(await store.openRun('00000000-0000-4000-8000-000000000000', 'broadcast/default/none', new Date())).toBeUndefined();
  });

  it("lets a run's last batch complete it only while it runs and its broadcast is neither paused nor cancelled", async () => {
    const create = (name: string) => store.create(DEFAULT_WORKSPACE_ID, { name, audienceId, template: 'promo', channel: 'sms', ratePerSecond: 5 });
    // Running: completed, the one-off broadcast with it; a second try changes nothing.
    const running = await create('Last batch');
    const run = (await store.openRun(running.id, 'broadcast/default/last-batch', new Date()))!.run;
    expect(await store.completeRunIfRunning(run.id)).toBe(true);
    expect(await store.runStatus(run.id)).toBe('completed');
    expect((await store.runs(running.id))[0]!.endedAt).toBeInstanceOf(Date);
    expect((await store.get(DEFAULT_WORKSPACE_ID, running.id))!.status).toBe('completed');
    expect(await store.completeRunIfRunning(run.id)).toBe(false);
    // Paused (the broadcast, as pauseBroadcast records it before signalling; or the run): left to its workflow.
    const paused = await create('Paused meanwhile');
    const pausedRun = (await store.openRun(paused.id, 'broadcast/default/paused-meanwhile', new Date()))!.run;
    await store.setStatus(paused.id, 'paused');
    expect(await store.completeRunIfRunning(pausedRun.id)).toBe(false);
    expect(await store.runStatus(pausedRun.id)).toBe('running');
    await store.setStatus(paused.id, 'running');
    await store.setRunStatus(pausedRun.id, 'paused');
    expect(await store.completeRunIfRunning(pausedRun.id)).toBe(false);
    expect((await store.get(DEFAULT_WORKSPACE_ID, paused.id))!.status).toBe('paused');
    // Cancelled: stays cancelled.
    const cancelled = await create('Cancelled meanwhile');
    const cancelledRun = (await store.openRun(cancelled.id, 'broadcast/default/cancelled-meanwhile', new Date()))!.run;
    await store.setStatus(cancelled.id, 'cancelled');
    expect(await store.completeRunIfRunning(cancelledRun.id)).toBe(false);
    expect((await store.get(DEFAULT_WORKSPACE_ID, cancelled.id))!.status).toBe('cancelled');
    expect(await store.runStatus('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});
