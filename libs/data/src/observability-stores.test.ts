import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import {
  CustomerTimelineStore,
  DEFAULT_WORKSPACE_ID,
  JournalStore,
  JourneyInstanceSearchStore,
  MessageStore,
  OperatorAuditStore,
  WorkspaceStore,
  type InstancePosition,
  type TimelinePosition,
} from './index';

const AT = new Date('2026-03-01T10:00:00.000Z');
const LATER = new Date('2026-03-01T10:00:01.000Z');

// Keyset pages must neither skip nor repeat rows, even when many rows of every kind share one instant.
describe('timeline and instance search stores (real PostgreSQL)', () => {
  let db: TestDatabase;
  let keyId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    await new WorkspaceStore(ds).createApiKey(DEFAULT_WORKSPACE_ID, 'ops');
    [{ id: keyId }] = await ds.query(`SELECT id FROM api_keys WHERE name = 'ops'`);
    // 12 events (ids cross from one digit to two: text order differs from numeric), half at one instant.
    for (let i = 1; i <= 12; i++) {
      await ds.query(
        `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, $2, 'tia', 'track', 'Viewed', '{}', $3, $3)`,
        [DEFAULT_WORKSPACE_ID, `m-${i}`, i % 2 === 0 ? AT : new Date(AT.getTime() - i * 1000)],
      );
    }
    const journal = new JournalStore(ds);
    for (let seq = 1; seq <= 4; seq++) {
      await journal.record({
        workspaceId: DEFAULT_WORKSPACE_ID,
        instanceId: 'journey/j/tia/k',
        runId: 'r1',
        seq,
        journeyId: 'j',
        customerId: 'tia',
        key: 'k',
        type: seq === 1 ? 'entered' : 'wait.started',
        step: 's',
        status: 'active',
        detail: {},
        at: seq <= 2 ? AT : LATER,
      });
    }
    const messages = new MessageStore(ds);
    for (const step of ['a', 'b', 'c']) {
      await messages.claim({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'tia', instanceId: 'journey/j/tia/k', runId: 'r1', step, channel: 'sms', to: '+14155550100', body: step });
    }
    await ds.query(`UPDATE messages SET created_at = $1`, [AT]);
    const audit = new OperatorAuditStore(ds);
    for (const outcome of ['ok', 'error'] as const) {
      await audit.record({ workspaceId: DEFAULT_WORKSPACE_ID, actorKeyId: keyId, action: 'endJourneyInstance', target: 'journey/j/tia/k', instanceId: 'journey/j/tia/k', customerId: 'tia', input: {}, outcome, at: AT });
    }
    // Someone else's row at the same instant never shows.
    await ds.query(
      `INSERT INTO events (workspace_id, message_id, user_id, type, properties, timestamp, received_at) VALUES ($1, 'other', 'ugo', 'track', '{}', $2, $2)`,
      [DEFAULT_WORKSPACE_ID, AT],
    );
  });

  afterAll(async () => {
    await db?.teardown();
  });

  async function walk(order: 'newest' | 'oldest', first: number, window: { from?: Date; to?: Date } = {}) {
    const store = new CustomerTimelineStore(db.dataSource);
    const keys: string[] = [];
    let after: TimelinePosition | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await store.page(DEFAULT_WORKSPACE_ID, 'tia', { limit: first, order, ...window, ...(after ? { after } : {}) });
      const rows = page.rows.slice(0, first);
      keys.push(...rows.map((row) => `${row.kind}:${row.id}`));
      const last = rows.at(-1);
      if (page.rows.length <= first) return keys;
      after = { at: last!.position, kind: last!.kind, id: last!.id };
    }
    throw new Error('too many pages');
  }

  /** From the end back to the start with `before`: each fetch nearest the cursor first, so pages are put back in order. */
  async function walkBack(order: 'newest' | 'oldest', last: number) {
    const store = new CustomerTimelineStore(db.dataSource);
    const pages: string[][] = [];
    let before: TimelinePosition | undefined;
    for (let count = 0; count < 100; count++) {
      const page = await store.page(DEFAULT_WORKSPACE_ID, 'tia', { limit: last, backward: true, order, ...(before ? { before } : {}) });
      const rows = page.rows.slice(0, last).reverse();
      pages.unshift(rows.map((row) => `${row.kind}:${row.id}`));
      if (page.rows.length <= last) return pages.flat();
      const first = rows[0]!;
      before = { at: first.position, kind: first.kind, id: first.id };
    }
    throw new Error('too many pages');
  }

  it('pages the merged timeline without gaps or repeats, in both orders, at any page size', async () => {
    const all = await walk('newest', 100);
    expect(all).toHaveLength(12 + 4 + 3 + 2);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((key) => key.startsWith('JOURNEY_STEP'))).toHaveLength(4);
    for (const first of [1, 2, 3, 5]) {
      expect(await walk('newest', first)).toEqual(all);
      expect(await walk('oldest', first)).toEqual([...all].reverse());
      expect(await walkBack('newest', first)).toEqual(all);
      expect(await walkBack('oldest', first)).toEqual([...all].reverse());
    }
    const store = new CustomerTimelineStore(db.dataSource);
    expect(await store.count(DEFAULT_WORKSPACE_ID, 'tia', {})).toBe(all.length);
  });

  it('limits to [from, to)', async () => {
    const atTheInstant = await walk('oldest', 4, { from: AT, to: LATER });
    // 6 events, 2 journal entries, 3 messages and 2 audit rows share AT; the LATER steps are out.
    expect(atTheInstant).toHaveLength(13);
    expect(atTheInstant.filter((key) => key.startsWith('EVENT'))).toHaveLength(6);
    expect(await new CustomerTimelineStore(db.dataSource).count(DEFAULT_WORKSPACE_ID, 'tia', { from: AT, to: LATER })).toBe(13);
  });

  it('pages journey instances newest entry first, ties broken by instance and run', async () => {
    const journal = new JournalStore(db.dataSource);
    for (const key of ['x1', 'x2', 'x3', 'x4', 'x5']) {
      await journal.record({
        workspaceId: DEFAULT_WORKSPACE_ID,
        instanceId: `journey/tie/vic/${key}`,
        runId: 'r',
        seq: 1,
        journeyId: 'tie',
        customerId: 'vic',
        key,
        type: 'entered',
        step: 'entry',
        status: 'active',
        detail: {},
        at: key === 'x5' ? LATER : AT,
      });
    }
    const search = new JourneyInstanceSearchStore(db.dataSource);
    const seen: string[] = [];
    let after: InstancePosition | undefined;
    for (;;) {
      const page = await search.search(DEFAULT_WORKSPACE_ID, { journeyId: 'tie' }, { limit: 2, ...(after ? { after } : {}) });
      const instances = page.instances.slice(0, 2);
      seen.push(...instances.map((row) => row.instanceKey));
      const last = instances.at(-1);
      if (page.instances.length <= 2) break;
      after = { startedAt: last!.position, instanceId: last!.instanceId, runId: last!.runId };
    }
    expect(seen).toEqual(['x5', 'x4', 'x3', 'x2', 'x1']);
    expect(await search.count(DEFAULT_WORKSPACE_ID, { journeyId: 'tie' })).toBe(5);
    // Backward from the end: the rows nearest the end first; before a position, only what precedes it.
    const tail = await search.search(DEFAULT_WORKSPACE_ID, { journeyId: 'tie' }, { limit: 2, backward: true });
    expect(tail.instances.map((row) => row.instanceKey)).toEqual(['x1', 'x2', 'x3']);
    const x3 = tail.instances[2]!;
    const ahead = await search.search(DEFAULT_WORKSPACE_ID, { journeyId: 'tie' }, { limit: 2, backward: true, before: { startedAt: x3.position, instanceId: x3.instanceId, runId: x3.runId } });
    expect(ahead.instances.map((row) => row.instanceKey)).toEqual(['x4', 'x5']);
    const before = await search.search(DEFAULT_WORKSPACE_ID, { journeyId: 'tie', enteredBefore: LATER, customerId: 'vic' }, { limit: 10 });
    expect(before.instances.map((row) => row.instanceKey)).toEqual(['x4', 'x3', 'x2', 'x1']);
  });
});
