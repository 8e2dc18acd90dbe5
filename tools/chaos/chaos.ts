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

/** Journeys per size, and the seconds over which they are driven (the faults fall inside). */
export const CHAOS_SIZES: Record<ChaosSize, { journeys: number; seconds: number }> = {
  small: { journeys: 40, seconds: 50 },
  full: { journeys: 1000, seconds: 240 },
};

/** The cart's idle timeout: longer than an outage, so an exit is routed before its cart falls idle. */
export const CHAOS_IDLE_SECONDS = 20;

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

interface Journey {
  index: number;
  kind: JourneyKind;
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
    /** Delivered more than once (an instance's history holds the same messageId twice). */
    deliveredMoreThanOnce: number;
  };
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
      ABANDONED_CART_IDLE_TIMEOUT: `${CHAOS_IDLE_SECONDS}s`,
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
    const loads = [paced(chunks[0]!, slotSeconds, 32, drive)];
    await sleep(slotSeconds * 1000);
    for (const [k, kind] of faults.entries()) {
      progress.phase = `kill -9 ${kind}`;
      tick();
      const began = Date.now();
      faultResults.push(await fault(kind, () => loads.push(paced(chunks[k + 1]!, slotSeconds, 32, drive))));
      progress.phase = 'load';
      tick();
      await sleep(Math.max(0, began + slotSeconds * 1000 - Date.now()));
    }
    await Promise.all(loads);

    // The drain: every expected send out, every instance ended, the broadcast completed; then a
    // settling time for late duplicates.
    progress.phase = 'drain';
    tick();
    const expected = new Map(journeys.map((journey) => [journey.phone, journey.failed ? 0 : EXPECTED_SENDS[journey.kind]]));
    const drainUntil = Date.now() + (CHAOS_IDLE_SECONDS + 180 + total * 0.3) * 1000;
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
      const outstanding = [...expected].filter(([phone, want]) => (counts.get(phone) ?? 0) < want).length;
      if (outstanding === 0 && (await activeInstances()) === 0 && (await broadcastStatus()).toLowerCase() === 'completed') break;
      await sleep(1000);
    }
    await sleep(5000);

    // The accounting.
    progress.phase = 'accounting';
    tick();
    const counts = countByPhone(await emulatorMessages(emulatorUrl));
    // A customer's SMS the emulator posted but whose webhook answer came too late is sent again (a
    // customer writing twice): each message the gateway stored gets its reply.
    const inboundStored = new Map(
      ((await db.query(`SELECT customer_id, count(*)::int AS n FROM conversation_messages WHERE workspace_id = $1 AND customer_id = ANY($2) AND direction = 'in' GROUP BY customer_id`, [
        DEFAULT_WORKSPACE_ID,
        journeys.filter((journey) => journey.kind === 'inbound-reply').map((journey) => journey.userId),
      ])) as Array<{ customer_id: string; n: number }>).map((row) => [row.customer_id, row.n]),
    );
    // (At least the one whose webhook answered 200: a message acknowledged and not stored still owes its reply.)
    const expectedOf = (journey: Journey) =>
      journey.kind === 'inbound-reply' ? Math.max(journey.failed ? 0 : 1, inboundStored.get(journey.userId) ?? 0) : journey.failed ? 0 : EXPECTED_SENDS[journey.kind];
    const kinds: Array<JourneyKind | 'total'> = ['cart', 'cart-exit', 'transactional', 'inbound-reply', 'broadcast', 'total'];
    const sends = Object.fromEntries(
      kinds.map((kind) => [kind, { journeys: 0, expectedSends: 0, sends: 0, missing: 0, duplicated: 0, journeysWithMissing: 0, journeysWithDuplicates: 0 }]),
    ) as Record<JourneyKind | 'total', KindCounts>;
    for (const journey of journeys) {
      const want = expectedOf(journey);
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
      if (got !== want && problems.length < 40) problems.push(`${journey.kind} journey ${journey.index} (${journey.userId}, ${journey.phone}): ${got} sends, expected ${want}`);
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
    const delivered = new Map<string, number>();
    const carts = journeys.filter((journey) => journey.workflowId && journey.acknowledged.length > 0);
    await paced(carts, 0, 8, async (journey) => {
      for await (const execution of client.workflow.list({ query: `WorkflowId = '${journey.workflowId}'` })) {
        const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
        for (const event of history.events ?? []) {
          const signal = event.workflowExecutionSignaledEventAttributes;
          if (signal?.signalName !== customerEventSignal.name || !signal.input?.payloads?.[0]) continue;
          const [payload] = codec ? await codec.decode([signal.input.payloads[0]]) : [signal.input.payloads[0]];
          const { messageId } = defaultPayloadConverter.fromPayload(payload!) as CustomerEvent;
          delivered.set(messageId, (delivered.get(messageId) ?? 0) + 1);
        }
      }
    });
    const events = { acknowledged: acknowledged.length, notStored: 0, unrouted: 0, routedOnce: 0, lost: 0, deliveredMoreThanOnce: 0 };
    for (const messageId of acknowledged) {
      if (!stored.has(messageId)) events.notStored++;
      else if (stored.get(messageId) === null) events.unrouted++;
      const times = delivered.get(messageId) ?? 0;
      if (times === 1) events.routedOnce++;
      else if (times === 0) events.lost++;
      else events.deliveredMoreThanOnce++;
      if (times !== 1 && problems.length < 60) problems.push(`event ${messageId}: delivered ${times} times`);
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
      settings: { idleTimeoutSeconds: CHAOS_IDLE_SECONDS, downtimeMs, routingLeaseMs: 6000 },
      events,
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
