import { setTimeout as sleep } from 'node:timers/promises';
import { arrivalsAtEmulator, graphql, IDENTIFY, openLoop, percentile, progress, round, trackingPost, unrouted, waitUntilQuiet } from '../lib';
import type { BenchContext, Row, ScenarioResult } from '../lib';
import { DEFAULT_WORKSPACE_ID } from '@continuum/data';
import { historyPhases } from '../history-phases';

const SIZES = {
  small: { importEvents: 3_000, liveCarts: 30, sends: 20 },
  medium: { importEvents: 50_000, liveCarts: 30, sends: 15 },
  large: { importEvents: 50_000, liveCarts: 60, sends: 30 },
} as const;

/** Events per /v1/batch request of the import (about 60 KB each, well under Segment's 500 KB). */
const IMPORT_BATCH = 500;
/** Requests of the import in flight at once. */
const IMPORT_CONCURRENCY = 2;
/** One live cart per second, one transactional send every two seconds. */
const LIVE_RATE = 1;
const SEND_INTERVAL_MS = 2_000;
/** How long a live customer's SMS may take before it counts as missing. */
const ARRIVAL_TIMEOUT_MS = 15 * 60_000;

const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { transactionalMessage { id } userErrors { message } } }`;
const PUBLISH = `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { template { name } userErrors { field message } } }`;

let nextPhone = 0;

interface LiveFigures {
  /** Reminder SMS at the emulator − (cart acknowledged + idle timeout), per live cart. */
  lateness: number[];
  /** SMS at the emulator − sendMessage asked, per transactional send. */
  sendLatency: number[];
  missingCarts: number;
  missingSends: number;
  /** The live carts' journey instances and the transactional sends' workflows, for their histories. */
  cartWorkflows: string[];
  sendWorkflows: string[];
}

/**
 * Live customers while whatever else runs: `carts` abandoned carts at 1/s through GraphQL `track`
 * (each its own identified customer) and a transactional `sendMessage` every 2 s to others.
 */
async function liveCustomers(ctx: BenchContext, label: string, carts: number, sends: number): Promise<LiveFigures> {
  const people = (count: number, areaCode: string) =>
    Array.from({ length: count }, () => {
      const n = nextPhone++;
      return { userId: `fair-${ctx.runId}-${n}`, phone: `+1${areaCode}555${String(n % 10_000).padStart(4, '0')}` };
    });
  const cartPeople = people(carts, '418');
  const sendPeople = people(sends, '419');
  const identified = progress(`${label}: identify`, carts + sends);
  for (const c of [...cartPeople, ...sendPeople]) {
    await graphql(ctx.stack, IDENTIFY, { input: { userId: c.userId, traits: { phone: c.phone, first_name: 'Live', preferred_channel: 'sms' } } });
    identified.tick();
  }
  identified.done();

  const acknowledged = new Map<string, number>();
  const asked = new Map<string, number>();
  const sendWorkflows: string[] = [];
  await Promise.all([
    openLoop(
      carts,
      LIVE_RATE,
      async (k) => {
        const c = cartPeople[k]!;
        // Through the tracking API, as a live site sends it (GraphQL track would wait for routing).
        await trackingPost(ctx.stack, '/v1/track', { userId: c.userId, event: 'Cart Updated', properties: { cart_id: 'live', items: [{ name: 'Red Shoes' }] }, messageId: `${c.userId}-live` });
        acknowledged.set(c.phone, Date.now());
      },
      `${label}: live carts`,
    ),
    openLoop(
      sends,
      1000 / SEND_INTERVAL_MS,
      async (k) => {
        const c = sendPeople[k]!;
        const at = Date.now();
        const { sendMessage } = await graphql<{ sendMessage: { transactionalMessage: { id: string } | null; userErrors: Array<{ message: string }> } }>(ctx.stack, SEND, {
          input: { userId: c.userId, template: 'bench-fair', idempotencyKey: `${c.userId}-send`, data: { code: String(k) } },
        });
        asked.set(c.phone, at);
        if (!sendMessage.transactionalMessage) throw new Error(`sendMessage refused: ${JSON.stringify(sendMessage.userErrors)}`);
        // The workflow id holds the row's UUID: the local id inside the global id (base64url of "TransactionalMessage:<uuid>").
        const rowId = Buffer.from(sendMessage.transactionalMessage.id, 'base64url').toString('utf8').replace(/^TransactionalMessage:/, '');
        sendWorkflows.push(`transactional/${DEFAULT_WORKSPACE_ID}/${rowId}`);
      },
      `${label}: transactional sends`,
    ),
  ]);
  const phones = new Set([...acknowledged.keys(), ...asked.keys()]);
  const arrived = await arrivalsAtEmulator(ctx.stack, phones, ARRIVAL_TIMEOUT_MS, `${label}: SMS at emulator`, 250);
  const lateness = [...acknowledged].flatMap(([phone, at]) => (arrived.has(phone) ? [arrived.get(phone)! - at - ctx.idleTimeoutMs] : []));
  const sendLatency = [...asked].flatMap(([phone, at]) => (arrived.has(phone) ? [arrived.get(phone)! - at] : []));
  return {
    lateness,
    sendLatency,
    missingCarts: acknowledged.size - lateness.length,
    missingSends: asked.size - sendLatency.length,
    cartWorkflows: cartPeople.map((c) => `journey/abandoned-cart/${c.userId}/live`),
    sendWorkflows,
  };
}

/**
 * Fair load: live customers while a bulk import runs. First the live customers alone (the no-load
 * figures), then the same while `importEvents` Cart Updated events of other customers arrive through
 * `/v1/batch` as fast as the gateway takes them: how much later the live carts' reminders go out
 * (p95 lateness past the idle deadline, against no load) and how long a transactional send takes.
 */
export async function fairLoad(ctx: BenchContext): Promise<ScenarioResult> {
  if (!ctx.stack.emulatorUrl) throw new Error('the fair-load scenario needs the Twilio emulator');
  const s = SIZES[ctx.size];
  const importEvents = ctx.members ?? s.importEvents;
  await waitUntilQuiet(ctx);
  await graphql(ctx.stack, PUBLISH, { input: { name: 'bench-fair', channel: 'SMS', body: 'Your code is {{ data.code }}' } });

  const idle = await liveCustomers(ctx, 'no load', s.liveCarts, s.sends);
  await waitUntilQuiet(ctx);

  // The import: its own customers (no phone: their reminders are skipped, after the same work).
  let imported = 0;
  let importDone = false;
  let importEnded = 0;
  let stopImport = false;
  let refusals = 0;
  const authorization = `Basic ${Buffer.from(`${ctx.stack.devWriteKey}:`).toString('base64')}`;
  /** One import batch, resent after Retry-After on 429 (the gateway's share for imports is full), until stopped. */
  const postBatch = async (batch: unknown[]): Promise<boolean> => {
    while (!stopImport) {
      const response = await fetch(`${ctx.stack.gatewayUrl}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ batch }) });
      await response.text();
      if (response.status === 200) return true;
      if (response.status !== 429) throw new Error(`/v1/batch answered ${response.status}`);
      refusals++;
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
    }
    return false;
  };
  const importBegan = Date.now();
  const batches = Math.ceil(importEvents / IMPORT_BATCH);
  const importBar = progress('import: /v1/batch', importEvents);
  let nextBatch = 0;
  const importer = Promise.all(
    Array.from({ length: IMPORT_CONCURRENCY }, async () => {
      while (nextBatch < batches && !stopImport) {
        const index = nextBatch++;
        const size = Math.min(IMPORT_BATCH, importEvents - index * IMPORT_BATCH);
        const batch = Array.from({ length: size }, (_, k) => {
          const n = index * IMPORT_BATCH + k;
          return { type: 'track', userId: `imp-${ctx.runId}-${n}`, event: 'Cart Updated', properties: { cart_id: 'imported', items: [{ name: 'Boots' }] }, messageId: `imp-${ctx.runId}-${n}` };
        });
        if (!(await postBatch(batch))) return;
        imported += size;
        importBar.tick(size);
      }
    }),
  ).then(() => {
    importDone = true;
    importEnded = Date.now();
    importBar.done();
  });
  // Live customers start once the import is well under way.
  while (imported < Math.min(importEvents, IMPORT_BATCH * 4) && !importDone) await sleep(100);
  const liveBegan = Date.now();
  const loaded = await liveCustomers(ctx, `during a ${importEvents}-event import`, s.liveCarts, s.sends);
  const liveSeconds = (Date.now() - liveBegan) / 1000;
  // The rest of the import is not waited for: past the gateway's buffer it goes at the routing pace.
  stopImport = true;
  await importer;
  const acceptSeconds = (importEnded - importBegan) / 1000;
  const backlogAfter = await unrouted(ctx.db);

  const rows: Row[] = [];
  const figures = (label: string, values: number[], missing: number) => {
    for (const p of [50, 95] as const) rows.push({ what: `${label}: p${p}${missing ? ` (${missing} missing after ${ARRIVAL_TIMEOUT_MS / 60_000} min)` : ''}`, value: round(percentile(values, p), 0), unit: 'ms' });
    rows.push({ what: `${label}: max`, value: round(Math.max(...values), 0), unit: 'ms' });
  };
  figures('no load, live cart reminder after its deadline', idle.lateness, idle.missingCarts);
  figures('no load, transactional sendMessage to SMS', idle.sendLatency, idle.missingSends);
  figures('during the import, live cart reminder after its deadline', loaded.lateness, loaded.missingCarts);
  figures('during the import, transactional sendMessage to SMS', loaded.sendLatency, loaded.missingSends);
  const p95Idle = percentile(idle.lateness, 95);
  const p95Loaded = percentile(loaded.lateness, 95);
  rows.push({ what: 'live cart reminder p95: during the import − no load (target ≤ 2,000)', value: round(p95Loaded - p95Idle, 0), unit: 'ms', ratio: round(p95Loaded / Math.max(1, p95Idle), 2), baseline: 'no-load p95' });
  rows.push({ what: 'transactional sendMessage during the import: max (target ≤ 1,000)', value: round(Math.max(...loaded.sendLatency), 0), unit: 'ms' });
  rows.push({ what: 'import: events sent', value: importEvents, unit: 'events' });
  rows.push({ what: 'import: events accepted by the end of the live phase', value: imported, unit: 'events' });
  rows.push({ what: 'import: accepted per second', value: round(imported / acceptSeconds, 0), unit: 'events/s' });
  rows.push({ what: 'import: batches answered 429 (imports\' share of the outbox full; resent after Retry-After)', value: refusals, unit: 'requests' });
  rows.push({ what: 'import: still unrouted when the live figures were in', value: backlogAfter, unit: 'events' });
  rows.push({ what: 'live phase duration', value: round(liveSeconds, 0), unit: 's' });
  // Where the live customers' time went during the import, from their Temporal histories.
  // (Their pick-up time is left out: it counts from the live phase's start, not from each one's own.)
  const phases = async (ids: string[], label: string) =>
    (await historyPhases(ctx.temporal, ids, liveBegan, label)).rows.filter((row) => !row.what.includes('until a worker picked'));
  rows.push(...(await phases(loaded.sendWorkflows, 'during the import, transactional send')));
  rows.push(...(await phases(loaded.cartWorkflows, 'during the import, live cart')));
  return {
    scenario: 'fair-load',
    title: 'Fair load: live carts and transactional sends while a bulk /v1/batch import runs',
    settings: { ...s, importEvents, importBatch: IMPORT_BATCH, importConcurrency: IMPORT_CONCURRENCY, liveRate: LIVE_RATE, sendIntervalMs: SEND_INTERVAL_MS, idleTimeoutMs: ctx.idleTimeoutMs },
    rows,
    notes: [
      'No load: live carts (/v1/track of Cart Updated, one identified customer each, 1/s) and transactional sendMessage (every 2 s) alone; the reminder lateness is the SMS at the emulator minus the acknowledgement minus the idle timeout.',
      `During the import: the same, started once ${IMPORT_BATCH * 4} events of the import were accepted, while /v1/batch requests of ${IMPORT_BATCH} Cart Updated events for other customers (no phone) arrive ${IMPORT_CONCURRENCY} at a time as fast as the gateway takes them.`,
      'The import is stopped when the live figures are in: what was accepted by then is left to the stack to route, so run this scenario last or alone. Past TRACKING_BULK_MAX_BACKLOG unrouted events the gateway answers import batches 429 with Retry-After, and the importer resends them after it.',
    ],
    chart: {
      title: 'Live cart reminder lateness and transactional send latency (ms), p95',
      unit: 'ms',
      bars: [
        { label: 'cart p95 no load', value: round(p95Idle, 0), group: 'cart' },
        { label: 'cart p95 import', value: round(p95Loaded, 0), group: 'cart' },
        { label: 'send p95 no load', value: round(percentile(idle.sendLatency, 95), 0), group: 'send' },
        { label: 'send p95 import', value: round(percentile(loaded.sendLatency, 95), 0), group: 'send' },
      ],
    },
  };
}
