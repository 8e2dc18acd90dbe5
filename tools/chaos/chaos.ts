import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { customerEventSignal, journeyWorkflowId, type CustomerEvent } from '@continuum/contracts';
import { AudienceStore, createPayloadCodec, DEFAULT_WORKSPACE_ID, openDataSource, RoutingLeaseStore, type DataSource } from '@continuum/data';
import { continuumDataConverter } from '@continuum/temporal';
import { ChaosTopology, FAULT_KINDS, type FaultKind } from './topology';

export type ChaosSize = 'small' | 'full';

/**
 * Journeys per size, the seconds over which they are driven (the faults fall inside), and the
 * cart's idle timeout. The idle timeout must be longer than the time to recover from a fault (so a
 * cart's later update or its exit reaches it before it falls idle): an update routed after its cart
 * sent its reminder and ended starts a new cart, with a reminder of its own, and the report counts
 * it (`lateCartEvents`). The full size's recovery took up to 166 s at load 17 on 2 cores.
 */
export const CHAOS_SIZES: Record<ChaosSize, { journeys: number; seconds: number; idleSeconds: number }> = {
  small: { journeys: 40, seconds: 50, idleSeconds: 45 },
  full: { journeys: 1000, seconds: 240, idleSeconds: 240 },
};

export interface ChaosOptions {
  size: ChaosSize;
  /** Overrides the size's number of journeys. */
  journeys?: number;
  /** The faults, in turn (default: gateway, worker, Temporal server, PostgreSQL). */
  faults?: readonly FaultKind[];
  /** How long a killed part stays dead before it is restarted. */
  downtimeMs?: number;
  /** Keeps the data dir (logs, PostgreSQL) afterwards. */
  keep?: boolean;
  log?: (line: string) => void;
  /** Journeys driven to their end so far (a progress bar). */
  onProgress?: (done: number, total: number, phase: string) => void;
}

type JourneyKind = 'cart' | 'cart-exit' | 'transactional' | 'inbound-reply' | 'broadcast';
const KIND_OF_TENTH: JourneyKind[] = ['cart', 'cart', 'cart', 'cart', 'cart', 'cart-exit', 'cart-exit', 'transactional', 'inbound-reply', 'broadcast'];
/** Sends each kind of journey must make: a reminder, none (the cart was bought), the message, the agent's reply, the broadcast's. */
const EXPECTED_SENDS: Record<JourneyKind, number> = { cart: 1, 'cart-exit': 0, transactional: 1, 'inbound-reply': 1, broadcast: 1 };

/** The stretch of the run a journey was driven in: before the first fault, or the fault whose kill released its chunk. */
export type ChaosWindow = 'before' | FaultKind;

interface Journey {
  index: number;
  kind: JourneyKind;
  /** Driven journeys: the chunk's window. Broadcast members: the window their SMS went out in. */
  window: ChaosWindow;
  userId: string;
  phone: string;
  /** The abandoned-cart instance (carts only). */
  workflowId?: string;
  /** Tracked events the gateways acknowledged (200), by messageId. */
  acknowledged: string[];
  /** Gave up (an acknowledgement never came within the deadline). */
  failed?: string;
}

export interface FaultResult {
  kind: FaultKind;
  /** From SIGKILL until the part was started again and ready. */
  restartedAfterMs: number;
  /** From SIGKILL until every probe event (one per routing gateway) was routed and its SMS was at the emulator. */
  recoveredAfterMs: number;
  /** Other parts that died meanwhile and were restarted by the supervisor. */
  alsoRestarted: string[];
}

export interface KindCounts {
  journeys: number;
  expectedSends: number;
  sends: number;
  missing: number;
  duplicated: number;
  /** Instances (journeys) with a missing send or a duplicate. */
  journeysWithMissing: number;
  journeysWithDuplicates: number;
}

/** One fault window's journeys: what they sent in, what reached their instances, what was sent to them. */
export interface WindowCounts {
  window: ChaosWindow;
  journeys: number;
  /** Journeys the driver gave up on (their calls unacknowledged within 180 s). */
  driverFailures: number;
  /** The carts' tracked events (see ChaosReport.events). */
  events: { acknowledged: number; routedOnce: number; lost: number; redelivered: number; actedOnTwice: number; late: number };
  sends: { expected: number; sent: number; missing: number; duplicated: number };
  /** The fault's recovery (absent for `before`). */
  restartedAfterMs?: number;
  recoveredAfterMs?: number;
}

export interface ChaosReport {
  size: ChaosSize;
  journeys: number;
  startedAt: string;
  durationSeconds: number;
  topology: { gateways: number; workers: number; temporal: string; postgres: string };
  settings: { idleTimeoutSeconds: number; downtimeMs: number; routingLeaseMs: number };
  events: {
    acknowledged: number;
    /** Acknowledged, but not in the events table. */
    notStored: number;
    /** Stored, but routed_at never set. */
    unrouted: number;
    /** Delivered to their instance exactly once (each cart's Temporal history, every run). */
    routedOnce: number;
    /** Never delivered to their instance. */
    lost: number;
    /**
     * Signalled more than once, all to one instance (its runs linked by continue-as-new): the repeat
     * was dropped by messageId (routing is at least once). Harmless.
     */
    redelivered: number;
    /** Reached two instances (a repeat started a new run of an ended cart): acted on twice. */
    actedOnTwice: number;
    /** Runs read from their workflow id (the journal, the latest run) that Temporal's visibility did not list. */
    runsNotInVisibility: number;
    /**
     * Cart events routed after their cart had fallen idle and ended (its reminder sent): routing was
     * held up longer than the idle timeout, so an update started a new cart (and a second reminder)
     * and an exit reached no instance. Counted here, not as delivered once or lost.
     */
    lateCartEvents: number;
  };
  /** Customers' SMS the gateway stored (webhook answered 200 or not), and those recorded in their conversation. */
  inbound: { stored: number; recorded: number };
  /** The counts per fault window: the journeys driven while each fault (or none yet) was in force. */
  windows: WindowCounts[];
  sends: Record<JourneyKind | 'total', KindCounts>;
  /** Instances still active after the drain, transactional sends still pending, the broadcast not completed. */
  stuck: { instances: number; transactional: number; broadcast: number };
  /** Journeys the driver gave up on (no acknowledgement within its deadline): a failure of their own. */
  driverFailures: number;
  faults: FaultResult[];
  /** Examples of whatever went wrong, for the reader. */
  problems: string[];
}

const ABANDONED_CART = 'abandoned-cart';
const TEMPLATE = 'chaos-code';
const BROADCAST_TEMPLATE = 'chaos-news';

/** One HTTP call that retries through the gateways, in turn, until it is acknowledged or the deadline passes. */
class Caller {
  private next = 0;
  constructor(
    private readonly urls: string[],
    private readonly apiKey: string,
    private readonly writeKey: string,
  ) {}

  private async attempt<T>(what: string, call: (url: string) => Promise<{ retry: boolean; value?: T; error?: string }>, deadlineMs = 180_000): Promise<T> {
    const until = Date.now() + deadlineMs;
    let delay = 200;
    let lastError = '';
    while (Date.now() < until) {
      const url = this.urls[this.next++ % this.urls.length]!;
      try {
        const result = await call(url);
        if (!result.retry) {
          if (result.error) throw new Error(`${what}: ${result.error}`);
          return result.value as T;
        }
        lastError = result.error ?? 'retry';
      } catch (error) {
        if ((error as Error).message.startsWith(`${what}:`)) throw error;
        lastError = (error as Error).message;
      }
      await sleep(delay);
      delay = Math.min(2000, delay * 1.5);
    }
    throw new Error(`${what}: no acknowledgement within ${deadlineMs / 1000} s (last: ${lastError})`);
  }

  /** The tracking API: acknowledged (200) once the event is stored; the same messageId is stored once. */
  track(userId: string, event: string, messageId: string, properties: Record<string, unknown>): Promise<void> {
    return this.attempt(`track ${messageId}`, async (url) => {
      const response = await fetch(`${url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${this.writeKey}:`).toString('base64')}` },
        body: JSON.stringify({ userId, event, messageId, properties }),
        signal: AbortSignal.timeout(30_000),
      });
      await response.text();
      if (response.status === 200) return { retry: false };
      return { retry: response.status >= 500 || response.status === 429, error: `HTTP ${response.status}` };
    });
  }

  /** A GraphQL mutation; userErrors and input errors are final, anything else is tried again. */
  graphql<T>(what: string, query: string, variables: Record<string, unknown>, payloadField?: string): Promise<T> {
    return this.attempt<T>(what, async (url) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status >= 500 || response.status === 429) return { retry: true, error: `HTTP ${response.status}` };
      let body: { data?: Record<string, unknown>; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        return { retry: true, error: `HTTP ${response.status}: ${text.slice(0, 200)}` };
      }
      if (body.errors?.length) {
        const code = body.errors[0]!.extensions?.code;
        const final = code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'UNAUTHENTICATED' || code === 'FORBIDDEN';
        return { retry: !final, error: `${code}: ${body.errors[0]!.message}` };
      }
      const payload = payloadField ? (body.data?.[payloadField] as { userErrors?: Array<{ message: string }> } | undefined) : undefined;
      if (payload?.userErrors?.length) return { retry: false, error: payload.userErrors.map((error) => error.message).join('; ') };
      return { retry: false, value: body.data as T };
    });
  }

  identify(userId: string, traits: Record<string, unknown>): Promise<unknown> {
    return this.graphql(`identify ${userId}`, `mutation($input: IdentifyInput!) { identify(input: $input) { userErrors { message } } }`, { input: { userId, traits } }, 'identify');
  }

  /** A customer's SMS through the emulator, which posts it to the gateway's signed Twilio webhook. */
  inbound(emulatorUrl: string, from: string, to: string, body: string): Promise<void> {
    return this.attempt(`inbound from ${from}`, async () => {
      const response = await fetch(`${emulatorUrl}/__emulator/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from, to, body }),
        signal: AbortSignal.timeout(30_000),
      });
      const result = (await response.json()) as { webhookStatus?: number | null; error?: string };
      if (result.webhookStatus === 200) return { retry: false };
      return { retry: true, error: `webhook ${result.webhookStatus ?? result.error}` };
    });
  }
}

interface EmulatedMessage {
  to: string;
  body: string;
  dateCreated: string;
}

async function emulatorMessages(emulatorUrl: string): Promise<EmulatedMessage[]> {
  // The emulator never fails on purpose; on an overloaded machine a read can time out: read again.
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${emulatorUrl}/__emulator/messages`, { signal: AbortSignal.timeout(30_000) });
      return ((await response.json()) as { messages: EmulatedMessage[] }).messages;
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(1000);
    }
  }
}

/** Runs tasks with at most `limit` at once, each started no earlier than its slot of `seconds`. */
async function paced<T>(items: T[], seconds: number, limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const began = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await sleep(Math.max(0, began + (index * seconds * 1000) / items.length - Date.now()));
        await task(items[index]!);
      }
    }),
  );
}

/** At most `limit` calls of the returned function's tasks at once (the journeys of every chunk together). */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    while (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * The chaos run: the real-server topology (3 gateways, 2 workers), journeys driven through the
 * public APIs while each fault kind in turn kills one part with SIGKILL and restarts it, then the
 * accounting from PostgreSQL, Temporal's histories and the emulator.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const size = CHAOS_SIZES[options.size];
  const total = options.journeys ?? size.journeys;
  const faults = options.faults ?? FAULT_KINDS;
  const downtimeMs = options.downtimeMs ?? 3000;
  const idleSeconds = size.idleSeconds;
  const startedAt = new Date();
  const run = startedAt.getTime().toString(36);
  const dataDir = mkdtempSync(join(tmpdir(), 'continuum-chaos-'));
  const progress = { done: 0, phase: 'starting' };
  const tick = () => options.onProgress?.(progress.done, total, progress.phase);

  log(`data dir ${dataDir}`);
  const topology = await ChaosTopology.start(
    dataDir,
    {
      LOG_LEVEL: 'warn',
      ABANDONED_CART_IDLE_TIMEOUT: `${idleSeconds}s`,
      TRACKING_RATE_LIMIT_PER_SECOND: '0',
      GRAPHQL_RATE_LIMIT_PER_SECOND: '0',
    },
    log,
  );
  let db: DataSource | undefined;
  let connection: Connection | undefined;
  try {
    const stack = topology.stack;
    const emulatorUrl = stack.emulatorUrl!;
    const caller = new Caller(topology.gatewayUrls, stack.devApiKey, stack.devWriteKey);
    db = await openDataSource(stack.databaseUrl, { applicationName: 'continuum-chaos', poolSize: 2 });

    const journeys: Journey[] = Array.from({ length: total }, (_, index) => {
      const kind = KIND_OF_TENTH[index % 10]!;
      const userId = `chaos-${run}-${index}`;
      return {
        index,
        kind,
        userId,
        phone: `+1646${String(1_000_000 + index).slice(-7)}`,
        window: 'before',
        ...(kind === 'cart' || kind === 'cart-exit' ? { workflowId: journeyWorkflowId(ABANDONED_CART, userId, `cart-${index}`) } : {}),
        acknowledged: [],
      };
    });

    // Set-up while nothing fails: the templates, the broadcast's audience (its members identified first).
    progress.phase = 'set-up';
    tick();
    await caller.graphql('publish template', `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { userErrors { message } } }`, {
      input: { name: TEMPLATE, channel: 'SMS', body: 'Hi {{ profile.traits.first_name }}, your code is {{ data.code }}' },
    }, 'publishTemplate');
    await caller.graphql('publish broadcast template', `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { userErrors { message } } }`, {
      input: { name: BROADCAST_TEMPLATE, channel: 'SMS', body: 'Hi {{ profile.traits.first_name }}, something new for you' },
    }, 'publishTemplate');
    const members = journeys.filter((journey) => journey.kind === 'broadcast');
    const segment = `chaos-${run}`;
    await paced(members, 0, 8, async (member) => {
      await caller.identify(member.userId, { first_name: 'Bea', phone: member.phone, segment });
    });
    const audiences = new AudienceStore(db);
    await audiences.evaluate(await audiences.save(DEFAULT_WORKSPACE_ID, segment, { trait: 'segment', eq: segment }));
    let broadcastId: string | undefined;
    if (members.length > 0) {
      // Paced over most of the run, so the faults fall while it sends; created once (not retried: a second would send twice).
      const rate = Math.max(0.2, members.length / (size.seconds * 0.6));
      const created = await caller.graphql<{ createBroadcast: { broadcast: { id: string } | null } }>(
        'createBroadcast',
        `mutation($input: CreateBroadcastInput!) { createBroadcast(input: $input) { broadcast { id } userErrors { message } } }`,
        { input: { name: `chaos ${run}`, audienceName: segment, template: BROADCAST_TEMPLATE, channel: 'SMS', ratePerSecond: rate } },
        'createBroadcast',
      );
      // A global id (base64 of "Broadcast:<uuid>"): the row's id is the uuid.
      broadcastId = Buffer.from(created.createBroadcast.broadcast!.id, 'base64url').toString('utf8').replace(/^Broadcast:/, '');
    }
    progress.done += members.length;
    progress.phase = 'load';
    tick();

    // The load: every other kind of journey, paced over the run.
    const problems: string[] = [];
    // Journeys in flight at once, over every chunk: on a slow machine the load waits rather than piles up.
    const inFlight = limiter(24);
    const drive = (journey: Journey) => inFlight(() => driveOne(journey));
    const driveOne = async (journey: Journey) => {
      try {
        const { userId } = journey;
        if (journey.kind === 'cart' || journey.kind === 'cart-exit') {
          await caller.identify(userId, { first_name: 'Cy', phone: journey.phone });
          const cartId = `cart-${journey.index}`;
          const updates = journey.kind === 'cart' ? 2 + (journey.index % 2) : 1;
          for (let n = 0; n < updates; n++) {
            const messageId = `${userId}-u${n}`;
            await caller.track(userId, 'Cart Updated', messageId, { cart_id: cartId, items: [{ name: `Item ${n}`, quantity: n + 1 }] });
            journey.acknowledged.push(messageId);
            await sleep(300);
          }
          if (journey.kind === 'cart-exit') {
            const messageId = `${userId}-exit`;
            await caller.track(userId, 'Order Completed', messageId, { cart_id: cartId, order_id: `o-${journey.index}` });
            journey.acknowledged.push(messageId);
          }
        } else if (journey.kind === 'transactional') {
          await caller.identify(userId, { first_name: 'Tia', phone: journey.phone });
          await caller.graphql('sendMessage', `mutation($input: SendMessageInput!) { sendMessage(input: $input) { transactionalMessage { id } userErrors { message } } }`, {
            input: { userId, template: TEMPLATE, idempotencyKey: `${userId}-code`, data: { code: String(100_000 + journey.index) } },
          }, 'sendMessage');
        } else if (journey.kind === 'inbound-reply') {
          await caller.identify(userId, { first_name: 'Ines', phone: journey.phone });
          await caller.inbound(emulatorUrl, journey.phone, '+15005550006', `I want to return my order #${5000 + journey.index}`);
        }
      } catch (error) {
        journey.failed = (error as Error).message;
        if (problems.length < 20) problems.push(`journey ${journey.index} (${journey.kind}): ${journey.failed}`);
      } finally {
        progress.done++;
        tick();
      }
    };

    const faultResults: FaultResult[] = [];
    /** One fault: probes ready in every gateway's partitions, SIGKILL, downtime, restart, probes routed and sent. */
    let probeCount = 0;
    const fault = async (kind: FaultKind, onKilled: () => void): Promise<FaultResult> => {
      const probes = await probeCustomers(db!, `probe-${run}-${probeCount++}`);
      for (const probe of probes) await caller.identify(probe.userId, { first_name: 'Pat', phone: probe.phone });
      const killedAt = Date.now();
      await topology.kill(kind);
      log(`killed ${kind} (SIGKILL)`);
      onKilled();
      // From the kill on, the probes go in (retried through the gateways) and their SMS are watched
      // for, while the killed part stays dead for the downtime and is then restarted.
      const phones = new Set(probes.map((probe) => probe.phone));
      let restarted = false;
      const alsoRestarted: string[] = [];
      const recovered = (async () => {
        await Promise.all(probes.map((probe) => caller.track(probe.userId, 'Order Shipped', `${probe.userId}-shipped`, { order_id: `${probe.userId}-o` })));
        const until = Date.now() + 600_000;
        for (;;) {
          const seen = new Set((await emulatorMessages(emulatorUrl)).map((message) => message.to).filter((to) => phones.has(to)));
          if (seen.size === phones.size) return Date.now();
          if (Date.now() > until) {
            problems.push(`${kind}: the probes' SMS did not all arrive within 600 s of the kill`);
            return Date.now();
          }
          if (restarted) alsoRestarted.push(...(await topology.supervise()));
          await sleep(200);
        }
      })().catch((error: unknown) => {
        problems.push(`${kind}: the probes failed: ${(error as Error).message}`);
        return Date.now();
      });
      await sleep(downtimeMs);
      try {
        await topology.restart(kind);
      } catch (error) {
        // The supervisor tries again below (e.g. a start slower than its timeout on a loaded machine).
        problems.push(`${kind}: the first restart failed: ${(error as Error).message}`);
      }
      restarted = true;
      alsoRestarted.push(...(await topology.supervise()));
      const restartedAfterMs = Date.now() - killedAt;
      const recoveredAfterMs = (await recovered) - killedAt;
      log(`${kind}: restarted after ${restartedAfterMs} ms, recovered after ${recoveredAfterMs} ms${alsoRestarted.length ? ` (also restarted: ${alsoRestarted.join(', ')})` : ''}`);
      return { kind, restartedAfterMs, recoveredAfterMs, alsoRestarted };
    };

    // The load in as many chunks as faults, plus one before the first: chunk k is released as fault k
    // kills its part, so every fault falls inside load however long the restarts take.
    const driven = journeys.filter((journey) => journey.kind !== 'broadcast');
    const slotSeconds = (size.seconds * Math.max(1, total / size.journeys)) / (faults.length + 1);
    const chunks = Array.from({ length: faults.length + 1 }, (_, k) =>
      driven.slice(Math.floor((k * driven.length) / (faults.length + 1)), Math.floor(((k + 1) * driven.length) / (faults.length + 1))),
    );
    chunks.forEach((chunk, k) => chunk.forEach((journey) => (journey.window = k === 0 ? 'before' : faults[k - 1]!)));
    /** When each window began (the load's start, then each kill): a broadcast member's window is the one its SMS went out in. */
    const windowStarts: Array<{ window: ChaosWindow; at: number }> = [{ window: 'before', at: Date.now() }];
    const loads = [paced(chunks[0]!, slotSeconds, 32, drive)];
    await sleep(slotSeconds * 1000);
    for (const [k, kind] of faults.entries()) {
      progress.phase = `kill -9 ${kind}`;
      tick();
      const began = Date.now();
      faultResults.push(
        await fault(kind, () => {
          windowStarts.push({ window: kind, at: Date.now() });
          loads.push(paced(chunks[k + 1]!, slotSeconds, 32, drive));
        }),
      );
      progress.phase = 'load';
      tick();
      await sleep(Math.max(0, began + slotSeconds * 1000 - Date.now()));
    }
    await Promise.all(loads);

    // The drain: every expected send out, every instance ended, the broadcast completed; then a
    // settling time for late duplicates.
    progress.phase = 'drain';
    tick();
    // What each customer is owed follows from what the gateways stored, not from what the driver
    // heard back: a call the driver gave up on may still have been stored (and must then be sent once).
    const expectedSends = async (): Promise<Map<Journey, number>> => {
      const stored = await storedFor(db!, journeys);
      return new Map(journeys.map((journey) => [journey, expectedOf(journey, stored)]));
    };
    const drainUntil = Date.now() + (idleSeconds + 180 + total * 0.3) * 1000;
    const userIds = journeys.map((journey) => journey.userId);
    const activeInstances = async () =>
      ((await db!.query(`SELECT count(*)::int AS n FROM journey_instances WHERE customer_id = ANY($1) AND journey_id = $2 AND status = 'active'`, [userIds, ABANDONED_CART])) as Array<{ n: number }>)[0]!.n;
    const broadcastStatus = async () =>
      broadcastId
        ? (((await db!.query(`SELECT status FROM broadcasts WHERE id = $1`, [broadcastId])) as Array<{ status: string }>)[0]?.status ?? 'missing')
        : 'completed';
    while (Date.now() < drainUntil) {
      await topology.supervise();
      const counts = countByPhone(await emulatorMessages(emulatorUrl));
      const outstanding = [...(await expectedSends())].filter(([journey, want]) => (counts.get(journey.phone) ?? 0) < want).length;
      if (outstanding === 0 && (await activeInstances()) === 0 && (await broadcastStatus()).toLowerCase() === 'completed') break;
      await sleep(1000);
    }
    await sleep(5000);

    // The accounting.
    progress.phase = 'accounting';
    tick();
    const messages = await emulatorMessages(emulatorUrl);
    const counts = countByPhone(messages);
    // A broadcast member's window: when its (first) SMS went out; one never sent counts in the last window.
    const firstSent = new Map<string, number>();
    for (const message of messages) if (!firstSent.has(message.to)) firstSent.set(message.to, Date.parse(message.dateCreated));
    for (const member of members) {
      const at = firstSent.get(member.phone) ?? Infinity;
      member.window = windowStarts.filter((start) => start.at <= at).at(-1)?.window ?? 'before';
    }
    const owed = await expectedSends();
    const kinds: Array<JourneyKind | 'total'> = ['cart', 'cart-exit', 'transactional', 'inbound-reply', 'broadcast', 'total'];
    const sends = Object.fromEntries(
      kinds.map((kind) => [kind, { journeys: 0, expectedSends: 0, sends: 0, missing: 0, duplicated: 0, journeysWithMissing: 0, journeysWithDuplicates: 0 }]),
    ) as Record<JourneyKind | 'total', KindCounts>;
    for (const journey of journeys) {
      const want = owed.get(journey)!;
      const got = counts.get(journey.phone) ?? 0;
      for (const row of [sends[journey.kind], sends.total]) {
        row.journeys++;
        row.expectedSends += want;
        row.sends += got;
        row.missing += Math.max(0, want - got);
        row.duplicated += Math.max(0, got - want);
        if (got < want) row.journeysWithMissing++;
        if (got > want) row.journeysWithDuplicates++;
      }
      if (got !== want && problems.length < 40) problems.push(`${journey.kind} journey ${journey.index} (${journey.userId}, ${journey.phone}, window ${journey.window}${journey.failed ? ', driver gave up' : ''}): ${got} sends, expected ${want}`);
    }

    const acknowledged = journeys.flatMap((journey) => journey.acknowledged);
    const stored = new Map(
      ((await db.query(`SELECT message_id, routed_at FROM events WHERE workspace_id = $1 AND message_id = ANY($2)`, [DEFAULT_WORKSPACE_ID, acknowledged])) as Array<{
        message_id: string;
        routed_at: Date | null;
      }>).map((row) => [row.message_id, row.routed_at]),
    );
    connection = await Connection.connect({ address: topology.stack.temporal.address });
    const client = new Client({ connection, namespace: 'default', dataConverter: continuumDataConverter(createPayloadCodec(db, stack.rootKey)) });
    const codec = createPayloadCodec(db, stack.rootKey);
    // Every run of each cart's workflow id: those Temporal's visibility lists (eventually consistent:
    // a run started around a Temporal kill can be missing there), those the journal recorded, and the
    // latest run, read by workflow id. Each delivery is counted with its instance: the runs linked by
    // continue-as-new (one firstExecutionRunId) are one instance, which drops a repeated messageId.
    const carts = journeys.filter((journey) => journey.workflowId && journey.acknowledged.length > 0);
    const journaled = new Map<string, Set<string>>();
    for (const row of (await db.query(`SELECT instance_id, run_id FROM journey_instances WHERE instance_id = ANY($1)`, [carts.map((journey) => journey.workflowId!)])) as Array<{
      instance_id: string;
      run_id: string;
    }>) {
      journaled.set(row.instance_id, (journaled.get(row.instance_id) ?? new Set()).add(row.run_id));
    }
    /** messageId → the instance (first run id) of each delivery. */
    const deliveries = new Map<string, string[]>();
    /** Each cart's first instance (the one started first): a later one was started by an event routed after it ended. */
    const firstInstance = new Map<string, string>();
    let runsNotInVisibility = 0;
    await paced(carts, 0, 8, async (journey) => {
      const workflowId = journey.workflowId!;
      const listed = new Set<string>();
      for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) listed.add(execution.runId);
      const runs = new Set([...listed, ...(journaled.get(workflowId) ?? [])]);
      const latest = await client.workflow
        .getHandle(workflowId)
        .describe()
        .then((description) => description.runId)
        .catch(() => undefined);
      if (latest) runs.add(latest);
      runsNotInVisibility += [...runs].filter((runId) => !listed.has(runId)).length;
      let earliest = Infinity;
      for (const runId of runs) {
        const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
        const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
        const instance = started?.firstExecutionRunId || runId;
        const startedAt = Number(history.events?.[0]?.eventTime?.seconds ?? 0) * 1000 + Math.floor((history.events?.[0]?.eventTime?.nanos ?? 0) / 1e6);
        if (startedAt < earliest) {
          earliest = startedAt;
          firstInstance.set(workflowId, instance);
        }
        for (const event of history.events ?? []) {
          const signal = event.workflowExecutionSignaledEventAttributes;
          if (signal?.signalName !== customerEventSignal.name || !signal.input?.payloads?.[0]) continue;
          const [payload] = codec ? await codec.decode([signal.input.payloads[0]]) : [signal.input.payloads[0]];
          const { messageId } = defaultPayloadConverter.fromPayload(payload!) as CustomerEvent;
          deliveries.set(messageId, [...(deliveries.get(messageId) ?? []), instance]);
        }
      }
    });
    const ended = new Map(
      ((await db.query(`SELECT instance_id, min(ended_at) AS ended_at FROM journey_instances WHERE instance_id = ANY($1) GROUP BY instance_id`, [carts.map((journey) => journey.workflowId!)])) as Array<{
        instance_id: string;
        ended_at: Date | null;
      }>).map((row) => [row.instance_id, row.ended_at]),
    );
    const cartOf = new Map(carts.flatMap((journey) => journey.acknowledged.map((messageId) => [messageId, journey.workflowId!] as const)));
    /**
     * Routed after its cart had fallen idle and ended (routing held up longer than the idle timeout):
     * it started a new cart (delivered only to a later instance), or reached none (an exit).
     */
    const isLate = (messageId: string, instances: string[]): boolean => {
      const workflowId = cartOf.get(messageId);
      if (!workflowId) return false;
      if (instances.length > 0) return !instances.includes(firstInstance.get(workflowId)!);
      const routedAt = stored.get(messageId);
      const endedAt = ended.get(workflowId);
      return Boolean(routedAt && endedAt && routedAt.getTime() > endedAt.getTime());
    };
    const events = { acknowledged: acknowledged.length, notStored: 0, unrouted: 0, routedOnce: 0, lost: 0, redelivered: 0, actedOnTwice: 0, runsNotInVisibility, lateCartEvents: 0 };
    /** How each acknowledged event fared: once, never, again in the same instance (dropped), or in a second instance. */
    const fate = new Map<string, 'once' | 'lost' | 'redelivered' | 'actedOnTwice' | 'late'>();
    for (const messageId of acknowledged) {
      if (!stored.has(messageId)) events.notStored++;
      else if (stored.get(messageId) === null) events.unrouted++;
      const instances = deliveries.get(messageId) ?? [];
      const outcome = isLate(messageId, instances)
        ? 'late'
        : instances.length === 0
          ? 'lost'
          : instances.length === 1
            ? 'once'
            : new Set(instances).size === 1
              ? 'redelivered'
              : 'actedOnTwice';
      fate.set(messageId, outcome);
      if (outcome === 'once') events.routedOnce++;
      else if (outcome === 'late') events.lateCartEvents++;
      else events[outcome]++;
      if (outcome !== 'once' && problems.length < 60) problems.push(`event ${messageId} (${outcome}): delivered ${instances.length} times, to ${new Set(instances).size} instances`);
    }
    if (events.lateCartEvents > 0) problems.push(`${events.lateCartEvents} cart events routed after their cart had fallen idle (routing held up longer than the ${idleSeconds} s idle timeout)`);

    // Inbound SMS: every one the gateway stored reaches the customer's conversation (recorded there).
    const inboundUsers = journeys.filter((journey) => journey.kind === 'inbound-reply').map((journey) => journey.userId);
    const [inbound] = (await db.query(
      `SELECT count(*)::int AS stored, count(m.id)::int AS recorded
         FROM events e LEFT JOIN conversation_messages m ON m.id = e.message_id AND m.workspace_id = e.workspace_id
        WHERE e.workspace_id = $1 AND e.user_id = ANY($2) AND e.type = 'track' AND e.name = 'Message Received'`,
      [DEFAULT_WORKSPACE_ID, inboundUsers],
    )) as Array<{ stored: number; recorded: number }>;

    // Per fault window.
    const windows: WindowCounts[] = (['before', ...faults] as ChaosWindow[]).map((window) => {
      const fault = faultResults.find((result) => result.kind === window);
      return {
        window,
        journeys: 0,
        driverFailures: 0,
        events: { acknowledged: 0, routedOnce: 0, lost: 0, redelivered: 0, actedOnTwice: 0, late: 0 },
        sends: { expected: 0, sent: 0, missing: 0, duplicated: 0 },
        ...(fault ? { restartedAfterMs: fault.restartedAfterMs, recoveredAfterMs: fault.recoveredAfterMs } : {}),
      };
    });
    for (const journey of journeys) {
      const row = windows.find((each) => each.window === journey.window)!;
      row.journeys++;
      if (journey.failed) row.driverFailures++;
      for (const messageId of journey.acknowledged) {
        row.events.acknowledged++;
        const outcome = fate.get(messageId)!;
        if (outcome === 'once') row.events.routedOnce++;
        else row.events[outcome]++;
      }
      const want = owed.get(journey)!;
      const got = counts.get(journey.phone) ?? 0;
      row.sends.expected += want;
      row.sends.sent += got;
      row.sends.missing += Math.max(0, want - got);
      row.sends.duplicated += Math.max(0, got - want);
    }

    const stuckInstances = await activeInstances();
    const stuckTransactional = ((await db.query(
      `SELECT count(*)::int AS n FROM transactional_messages WHERE customer_id = ANY($1) AND status = 'pending'`,
      [userIds],
    )) as Array<{ n: number }>)[0]!.n;
    const broadcast = await broadcastStatus();
    if (broadcast.toLowerCase() !== 'completed') problems.push(`the broadcast is ${broadcast}`);

    return {
      size: options.size,
      journeys: total,
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      topology: { gateways: topology.gatewayUrls.length, workers: 2, temporal: 'Temporal server 1.29.1 on PostgreSQL', postgres: 'embedded PostgreSQL (one cluster: Continuum, temporal, temporal_visibility)' },
      settings: { idleTimeoutSeconds: idleSeconds, downtimeMs, routingLeaseMs: 6000 },
      events,
      inbound: inbound ?? { stored: 0, recorded: 0 },
      windows,
      sends,
      stuck: { instances: stuckInstances, transactional: stuckTransactional, broadcast: broadcast.toLowerCase() === 'completed' ? 0 : 1 },
      driverFailures: journeys.filter((journey) => journey.failed).length,
      faults: faultResults,
      problems,
    };
  } finally {
    await connection?.close().catch(() => undefined);
    await db?.destroy().catch(() => undefined);
    await topology.stop();
    if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What the gateways stored for the journeys' customers: tracked events by name, and transactional sends. */
interface StoredForJourneys {
  events: Map<string, Map<string, number>>;
  transactional: Map<string, number>;
}

async function storedFor(db: DataSource, journeys: Journey[]): Promise<StoredForJourneys> {
  const userIds = journeys.map((journey) => journey.userId);
  const events = new Map<string, Map<string, number>>();
  for (const row of (await db.query(
    `SELECT user_id, name, count(*)::int AS n FROM events WHERE workspace_id = $1 AND user_id = ANY($2) AND type = 'track' GROUP BY user_id, name`,
    [DEFAULT_WORKSPACE_ID, userIds],
  )) as Array<{ user_id: string; name: string; n: number }>) {
    events.set(row.user_id, (events.get(row.user_id) ?? new Map<string, number>()).set(row.name, row.n));
  }
  const transactional = new Map(
    ((await db.query(`SELECT customer_id, count(*)::int AS n FROM transactional_messages WHERE workspace_id = $1 AND customer_id = ANY($2) GROUP BY customer_id`, [
      DEFAULT_WORKSPACE_ID,
      userIds,
    ])) as Array<{ customer_id: string; n: number }>).map((row) => [row.customer_id, row.n]),
  );
  return { events, transactional };
}

/**
 * The sends a journey's customer is owed, from what was stored (acknowledged or not: a call the
 * driver gave up on may have been stored all the same): a cart with an update and no order gets its
 * reminder; a transactional request (one per idempotency key) its message; each SMS the customer
 * wrote that the gateway stored its reply (an SMS whose webhook answered after the emulator's 5 s is
 * sent again by the driver, as a customer writing twice); a broadcast member the broadcast's SMS.
 */
function expectedOf(journey: Journey, stored: StoredForJourneys): number {
  const named = (name: string) => stored.events.get(journey.userId)?.get(name) ?? 0;
  switch (journey.kind) {
    case 'cart':
    case 'cart-exit':
      return named('Cart Updated') > 0 && named('Order Completed') === 0 ? 1 : 0;
    case 'transactional':
      return stored.transactional.get(journey.userId) ?? 0;
    case 'inbound-reply':
      return named('Message Received');
    case 'broadcast':
      return EXPECTED_SENDS.broadcast;
  }
}

function countByPhone(messages: EmulatedMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
  return counts;
}

/** One fresh customer in a partition of each gateway holding leases now: a probe routed by each of them. */
async function probeCustomers(db: DataSource, prefix: string): Promise<Array<{ userId: string; phone: string }>> {
  const holders = await new RoutingLeaseStore(db).holders();
  const owners = new Set(holders.values());
  const found = new Map<string, string>();
  for (let n = 0; found.size < owners.size && n < 2000; n++) {
    const userId = `${prefix}-${n}`;
    const [{ p }] = (await db.query(`SELECT continuum_routing_partition($1::uuid, $2) AS p`, [DEFAULT_WORKSPACE_ID, userId])) as [{ p: number }];
    const owner = holders.get(p);
    if (owner && !found.has(owner)) found.set(owner, userId);
  }
  return [...found.values()].map((userId, index) => ({ userId, phone: `+1332${String(Date.now() % 1_000_000).padStart(6, '0')}${index}` }));
}
