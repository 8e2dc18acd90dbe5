import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analytics } from '@segment/analytics-node';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyStateQuery, type JourneyState } from '@continuum/contracts';
import type { Payload } from '@temporalio/common';
import { createPayloadCodec, openDataSource, type DataSource, type EncryptionCodec } from '@continuum/data';
import { continuumDataConverter } from '@continuum/temporal';
import { freePort, httpOk, stackEngineOptions, startServiceProcess, startStack, waitFor, type ServiceProcess, type Stack } from '@continuum/testing';

/**
 * A TCP proxy between the gateway and Temporal that can cut the gateway off: while blocked, open
 * connections are reset and new ones refused, so nothing the gateway sends reaches Temporal.
 */
class TemporalLink {
  private readonly sockets = new Set<Socket>();
  private blocked = false;

  private constructor(
    private readonly server: Server,
    readonly address: string,
  ) {}

  static async open(target: string): Promise<TemporalLink> {
    const [host, port] = target.split(':');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const link = new TemporalLink(server, `127.0.0.1:${(server.address() as { port: number }).port}`);
    server.on('connection', (client) => {
      if (link.blocked) return client.destroy();
      const upstream = connect(Number(port), host);
      for (const socket of [client, upstream]) {
        link.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          link.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    return link;
  }

  block(): void {
    this.blocked = true;
    for (const socket of this.sockets) socket.destroy();
  }

  unblock(): void {
    this.blocked = false;
  }

  close(): Promise<void> {
    this.block();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// The stack as `npm start` runs it, with the gateway reaching Temporal through a link the test
// can cut: events are acknowledged while they cannot be routed, the gateway is killed with SIGKILL
// right after the acknowledgement, and on restart each event reaches its journey exactly once,
// in the order it was accepted.
describe('tracking API: nothing acknowledged is lost', { timeout: 180_000 }, () => {
  const customers = Array.from({ length: 8 }, (_, index) => `crash-${index}`);
  let stack: Stack;
  let dataDir: string;
  let link: TemporalLink;
  let gateway: ServiceProcess;
  let gatewayPort: number;
  let dataSource: DataSource;
  let temporalConnection: Connection;
  let temporal: Client;
  let codec: EncryptionCodec | undefined;
  let sequence = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'continuum-tracking-e2e-'));
    gatewayPort = await freePort();
    const temporalPort = await freePort();
    stack = await startStack({
      dataDir,
      ...(await stackEngineOptions(undefined, temporalPort)),
      ports: { temporal: temporalPort, postgres: await freePort(), gateway: gatewayPort, emulator: await freePort() },
      serviceEnv: { LOG_LEVEL: 'warn' },
    });
    // The stack's own gateway makes way for one whose Temporal connection goes through the link.
    await stack.services.gateway.stop();
    link = await TemporalLink.open(stack.temporal.address);
    gateway = await startGateway();
    dataSource = await openDataSource(stack.databaseUrl, { poolSize: 2 });
    temporalConnection = await Connection.connect({ address: stack.temporal.address });
    // The stack encrypts payloads: this client decodes them as the gateway's does.
    codec = createPayloadCodec(dataSource, stack.rootKey);
    temporal = new Client({ connection: temporalConnection, dataConverter: continuumDataConverter(codec) });
  });

  afterAll(async () => {
    await gateway?.stop();
    await link?.close();
    await temporalConnection?.close();
    await dataSource?.destroy();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function startGateway(): Promise<ServiceProcess> {
    return startServiceProcess({
      name: 'gateway',
      entry: 'services/gateway/src/main.ts',
      env: {
        DATABASE_URL: stack.databaseUrl,
        TEMPORAL_ADDRESS: link.address,
        TWILIO_AUTH_TOKEN: stack.workerEnv['TWILIO_AUTH_TOKEN'],
        ...(stack.rootKey ? { CONTINUUM_ROOT_KEY: stack.rootKey } : {}),
        GATEWAY_PORT: String(gatewayPort),
        LOG_LEVEL: 'warn',
      },
      logFile: join(dataDir, 'logs', 'gateway-under-test.log'),
      ready: () => httpOk(`${stack.gatewayUrl}/health`),
    });
  }

  /** Sends one Cart Updated per customer through @segment/analytics-node; resolves once acknowledged. */
  async function sendRound(label: string): Promise<Map<string, string>> {
    const client = new Analytics({ writeKey: stack.devWriteKey, host: stack.gatewayUrl, flushAt: 100, flushInterval: 10_000, maxRetries: 0 });
    const statuses: number[] = [];
    client.on('http_response', (response) => statuses.push(response.status));
    const sent = new Map<string, string>();
    for (const userId of customers) {
      const messageId = `crash-${label}-${userId}-${sequence++}`;
      client.track({ userId, event: 'Cart Updated', properties: { cart_id: 'K', items: [{ name: messageId }] }, messageId });
      sent.set(userId, messageId);
    }
    await client.closeAndFlush();
    expect(statuses).toEqual([200]);
    return sent;
  }

  const unrouted = async (messageIds: string[]): Promise<number> =>
    ((await dataSource.query(`SELECT count(*)::int AS n FROM events WHERE message_id = ANY($1) AND routed_at IS NULL`, [messageIds])) as Array<{ n: number }>)[0]!.n;
  const stored = async (messageIds: string[]): Promise<number> =>
    ((await dataSource.query(`SELECT count(*)::int AS n FROM events WHERE message_id = ANY($1)`, [messageIds])) as Array<{ n: number }>)[0]!.n;

  /** The messageIds signalled to an instance (its latest run, or `runId`), in the order its history received them. */
  async function signalled(workflowId: string, runId?: string): Promise<string[]> {
    const history = await temporal.workflow.getHandle(workflowId, runId).fetchHistory();
    const payloads = (history.events ?? []).flatMap((event) => {
      const signal = event.workflowExecutionSignaledEventAttributes;
      const payload = signal?.signalName === 'customerEvent' ? signal.input?.payloads?.[0] : undefined;
      return payload ? [payload as Payload] : [];
    });
    // fetchHistory hands the payloads out as stored (encrypted): decode them here.
    const decoded = codec ? await codec.decode(payloads) : payloads;
    return decoded.map((payload) => (JSON.parse(Buffer.from(payload.data ?? []).toString('utf8')) as { messageId: string }).messageId);
  }

  const rounds: Array<Map<string, string>> = [];
  const all = () => rounds.flatMap((round) => [...round.values()]);

  it('acknowledges events while routing is cut off, and routes them in order once Temporal is back', async () => {
    rounds.push(await sendRound('before'));
    await waitFor('the first round routed', async () => (await unrouted(all())) === 0, 30_000);

    link.block();
    rounds.push(await sendRound('cut-off'), await sendRound('cut-off'));
    expect(await stored(all())).toBe(customers.length * 3);
    expect(await unrouted([...rounds[1]!.values(), ...rounds[2]!.values()])).toBe(customers.length * 2);

    link.unblock();
    await waitFor('the retries to route every event', async () => (await unrouted(all())) === 0, 60_000);
    for (const userId of customers) {
      const workflowId = `journey/abandoned-cart/${userId}/K`;
      const expected = rounds.map((round) => round.get(userId));
      // A signal accepted while a workflow task runs is buffered, and joins the history only when that task completes.
      let received = await signalled(workflowId);
      await waitFor(`${expected.length} signals in ${workflowId}`, async () => (received = await signalled(workflowId)).length >= expected.length, 15_000).catch(
        () => undefined,
      );
      // Should an event ever go missing again, the failure says where it went.
      const diagnostics = JSON.stringify(received) === JSON.stringify(expected) ? undefined : await routingDiagnostics(userId, workflowId);
      expect(received, diagnostics).toEqual(expected);
    }
  });

  /** What routing recorded for a customer's events, every run of their instance, and the gateway's last log lines. */
  async function routingDiagnostics(userId: string, workflowId: string): Promise<string> {
    const events = await dataSource.query(`SELECT id, message_id, received_at, routed_at, routing_error FROM events WHERE user_id = $1 ORDER BY id`, [userId]);
    const runs: unknown[] = [];
    for await (const run of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      runs.push({ runId: run.runId, status: run.status.name, signals: await signalled(workflowId, run.runId).catch((error: unknown) => String(error)) });
    }
    const log = readFileSync(join(dataDir, 'logs', 'gateway-under-test.log'), 'utf8').split('\n').slice(-40).join('\n');
    return `events: ${JSON.stringify(events)}\nruns: ${JSON.stringify(runs)}\ngateway log (last 40 lines):\n${log}`;
  }

  it('routes every acknowledged event exactly once, in order, after the gateway is killed with SIGKILL right after acknowledging', async () => {
    link.block();
    const acknowledged = [await sendRound('killed'), await sendRound('killed')];
    await gateway.kill(); // kill -9, right after the 200
    rounds.push(...acknowledged);
    const pending = acknowledged.flatMap((round) => [...round.values()]);
    expect(await stored(pending)).toBe(pending.length);
    expect(await unrouted(pending)).toBe(pending.length); // acknowledged, stored, never routed

    link.unblock();
    gateway = await startGateway();
    rounds.push(await sendRound('after-restart')); // queued behind the swept events of each customer
    await waitFor('the start-up sweep to route every event', async () => (await unrouted(all())) === 0, 60_000);

    expect(await stored(all())).toBe(all().length);
    for (const userId of customers) {
      const workflowId = `journey/abandoned-cart/${userId}/K`;
      const expected = rounds.map((round) => round.get(userId)!);
      // Each event once, in the order accepted: nothing lost, nothing delivered twice.
      expect(await signalled(workflowId)).toEqual(expected);
      // The journey applied them in that order: its cart holds the items of the last event.
      const state: JourneyState = await temporal.workflow.getHandle(workflowId).query(journeyStateQuery);
      expect(state).toMatchObject({ status: 'active', step: 'wait-for-idle-cart', context: { items: [{ name: expected[expected.length - 1] }] } });
    }
  });
});
