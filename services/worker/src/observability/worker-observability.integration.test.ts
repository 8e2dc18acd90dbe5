import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { customerEventSignal, journeyWorkflowId, type CustomerEvent } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, openDataSource, ProfileStore, type DataSource } from '@continuum/data';
import {
  createIsolatedDatabase,
  freePort,
  sharedTestServers,
  startEmbeddedPostgres,
  startServiceProcess,
  startTestTemporal,
  waitFor,
  type ServiceProcess,
  type TemporalDevServerHandle,
} from '@continuum/testing';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';

/** The value of one sample in a Prometheus exposition, e.g. `continuum_sends_total{channel="sms",status="sent"}`. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

// The worker process exactly as deployed (main.ts: Runtime.install, JSON logs, HTTP server) against
// a real PostgreSQL, a Temporal dev server and the Twilio emulator.
describe('worker health, metrics and logs', () => {
  let dir: string;
  /** This file's database: on the run's shared cluster (stopping it cuts it off), or a cluster of its own. */
  let postgres: { url: string; stop(): Promise<void> };
  let temporal: TemporalDevServerHandle;
  let emulator: TwilioEmulator;
  let dataSource: DataSource;
  let worker: ServiceProcess;
  let workerUrl: string;
  let connection: Connection;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'continuum-worker-obs-'));
    const shared = sharedTestServers();
    // A Temporal of its own (the run's engine): the checks below use its `default` namespace.
    [postgres, temporal] = await Promise.all([
      shared
        ? createIsolatedDatabase(shared).then((database) => ({ url: database.url, stop: () => database.cutOff().then(() => database.drop()) }))
        : freePort().then((port) => startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port })),
      startTestTemporal(join(dir, 'temporal')),
    ]);
    dataSource = await openDataSource(postgres.url, { runMigrations: true, poolSize: 2 });
    await new ProfileStore(dataSource).mergeTraits(DEFAULT_WORKSPACE_ID, 'ana', { first_name: 'Ana', phone: '+14155550100' }, { phone: '+14155550100' });
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    const port = await freePort();
    workerUrl = `http://127.0.0.1:${port}`;
    worker = await startServiceProcess({
      name: 'worker',
      entry: 'services/worker/src/main.ts',
      env: {
        DATABASE_URL: postgres.url,
        TEMPORAL_ADDRESS: temporal.address,
        TWILIO_ACCOUNT_SID: EMULATOR_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
        TWILIO_FROM_NUMBER: EMULATOR_FROM_NUMBER,
        TWILIO_API_BASE_URL: emulatorUrl,
        ABANDONED_CART_IDLE_TIMEOUT: '1s',
        WORKER_HTTP_PORT: String(port),
      },
      logFile: join(dir, 'worker.log'),
      ready: async (output) => output.includes('"worker started"'),
    });
    connection = await Connection.connect({ address: temporal.address });
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await emulator?.close();
    await temporal?.stop();
    await postgres?.stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is live, and ready once PostgreSQL and Temporal answer and the worker polls', async () => {
    const live = await fetch(`${workerUrl}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    await waitFor('worker ready', async () => (await fetch(`${workerUrl}/health/ready`)).ok, 10_000, 100);
    expect(await (await fetch(`${workerUrl}/health/ready`)).json()).toEqual({
      status: 'ok',
      checks: { database: 'up', temporal: 'up', worker: 'up' },
    });
  });

  it('counts the entry, the SMS and the completion, and logs them as JSON with workflow and customer ids', async () => {
    const before = await (await fetch(`${workerUrl}/metrics`)).text();
    expect(sample(before, 'continuum_sends_total{channel="sms",status="sent"}')).toBe(0);
    // Unversioned (no WORKER_DEPLOYMENT_NAME / WORKER_BUILD_ID): the build info names none.
    expect(sample(before, 'continuum_worker_build_info{deployment="",build_id=""}')).toBe(1);

    const client = new Client({ connection });
    const workflowId = journeyWorkflowId('abandoned-cart', 'ana', 'c1');
    const now = new Date().toISOString();
    const event: CustomerEvent = {
      messageId: 'm-1',
      workspaceId: DEFAULT_WORKSPACE_ID,
      userId: 'ana',
      type: 'track',
      event: 'Cart Updated',
      properties: { cart_id: 'c1', items: [{ name: 'Red Shoes' }] },
      timestamp: now,
      receivedAt: now,
    };
    const handle = await client.workflow.signalWithStart('abandonedCart', {
      workflowId,
      taskQueue: 'journeys',
      args: [{ journeyId: 'abandoned-cart', workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'ana', key: 'c1' }],
      signal: customerEventSignal,
      signalArgs: [event],
    });
    await expect(handle.result()).resolves.toMatchObject({ status: 'completed' });
    expect(emulator.messages()).toHaveLength(1);

    const metrics = await (await fetch(`${workerUrl}/metrics`)).text();
    expect(sample(metrics, 'continuum_journey_entries_total{journey="abandoned-cart"}')).toBe(1);
    expect(sample(metrics, 'continuum_journey_completions_total{journey="abandoned-cart"}')).toBe(1);
    expect(sample(metrics, 'continuum_sends_total{channel="sms",status="sent"}')).toBe(1);
    // The SDK's own metrics, merged from its exporter.
    expect(metrics).toMatch(/^temporal_workflow_completed\{.*\} 1$/m);
    expect(metrics).toMatch(/^temporal_activity_execution_latency_bucket\{/m);

    const lines = readFileSync(worker.logFile, 'utf8').split('\n').filter((line) => line.trim() !== '');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) expect(entry).toMatchObject({ time: expect.any(String), level: expect.any(String), msg: expect.any(String) });
    expect(entries.find((entry) => entry['msg'] === 'message sent')).toMatchObject({
      workflowId,
      customerId: 'ana',
      journeyId: 'abandoned-cart',
      channel: 'sms',
      providerId: expect.stringMatching(/^SM/),
    });
    expect(entries.find((entry) => entry['msg'] === 'journey completed')).toMatchObject({ workflowId, customerId: 'ana' });
  });

  it('counts an exit by its reason', async () => {
    const client = new Client({ connection });
    const workflowId = journeyWorkflowId('abandoned-cart', 'ana', 'c2');
    const event = (messageId: string, name: string): CustomerEvent => {
      const now = new Date().toISOString();
      return { messageId, workspaceId: DEFAULT_WORKSPACE_ID, userId: 'ana', type: 'track', event: name, properties: { cart_id: 'c2', items: ['Hat'] }, timestamp: now, receivedAt: now };
    };
    const handle = await client.workflow.signalWithStart('abandonedCart', {
      workflowId,
      taskQueue: 'journeys',
      args: [{ journeyId: 'abandoned-cart', workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'ana', key: 'c2' }],
      signal: customerEventSignal,
      signalArgs: [event('m-2', 'Cart Updated')],
    });
    await handle.signal(customerEventSignal, event('m-3', 'Order Completed'));
    await expect(handle.result()).resolves.toMatchObject({ status: 'exited' });
    const metrics = await (await fetch(`${workerUrl}/metrics`)).text();
    expect(sample(metrics, 'continuum_journey_entries_total{journey="abandoned-cart"}')).toBe(2);
    expect(sample(metrics, 'continuum_journey_exits_total{journey="abandoned-cart",reason="event: Order Completed"}')).toBe(1);
    expect(sample(metrics, 'continuum_sends_total{channel="sms",status="sent"}')).toBe(1);
  });

  it('is not ready, naming the database, while PostgreSQL is down, and still live', async () => {
    await dataSource.destroy();
    await postgres.stop();
    const response = await fetch(`${workerUrl}/health/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('degraded');
    expect(body.checks['database']).toMatch(/^down: /);
    expect(body.checks['temporal']).toBe('up');
    expect((await fetch(`${workerUrl}/health/live`)).status).toBe(200);
  });
});
