import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Client } from '@temporalio/client';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER, gatewayConfigSchema, loadConfig, workerConfigSchema, type WorkerConfig } from '@continuum/config';
import { createPayloadCodec, DEFAULT_WORKSPACE_ID, openDataSource, WorkspaceStore, type DataSource } from '@continuum/data';
import { connectTemporalClient, type TemporalClientHandle } from '@continuum/temporal';
import { createIsolatedDatabase, createIsolatedNamespace, sharedTestServers, startTestPostgres, startTestTemporal, workerWorkflowBundleEnv } from '@continuum/testing';
import { computeTwilioSignature } from '@continuum/twilio-emulator';
import { startGateway } from '../create-gateway';

export interface GatewayFixture {
  url: string;
  app: INestApplication;
  dataSource: DataSource;
  temporal: Client;
  apiKey: string;
  /** Where the fixture's database and Temporal namespace are (for a worker or a second gateway a test starts). */
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    apiKey?: string | null,
  ): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /**
   * Posts a form to a Twilio webhook (`/webhooks/twilio/inbound`, …) signed as Twilio signs it, over
   * the form as the gateway will parse it (form encoding turns a lone surrogate into U+FFFD).
   */
  twilioWebhook(path: string, form: Record<string, string>): Promise<Response>;
  /** Takes the fixture's database away from the running gateway (outage tests); teardown still works afterwards. */
  stopPostgres(): Promise<void>;
  teardown(): Promise<void>;
}

/** The gateway in-process against a real PostgreSQL and a real Temporal dev server (no worker). */
export async function startGatewayFixture(
  options: {
    beforeStart?: (dataSource: DataSource) => Promise<void>;
    /** Gateway log lines (JSON) go here instead of stdout, at LOG_LEVEL `info` instead of `error`. */
    writeLog?: (line: string) => void;
    /** Installs tracing for the test process, exporting the gateway's spans here. */
    spanExporter?: SpanExporter;
    /** More gateway settings (e.g. SENDGRID_WEBHOOK_PUBLIC_KEY). */
    env?: Record<string, string>;
  } = {},
): Promise<GatewayFixture> {
  const { database, temporal: server, stop: stopServers } = await serversFor();
  const dataSource = await openDataSource(database.url, { runMigrations: true, poolSize: 2 });
  await options.beforeStart?.(dataSource);
  const apiKey = await new WorkspaceStore(dataSource).createApiKey(DEFAULT_WORKSPACE_ID, 'fixture');
  const config = loadConfig(
    'gateway',
    gatewayConfigSchema,
    gatewayEnvFor({ databaseUrl: database.url, temporalAddress: server.address, temporalNamespace: server.namespace }, { LOG_LEVEL: options.writeLog ? 'info' : 'error', ...options.env }),
  );
  const { app, url } = await startGateway(config, { writeLog: options.writeLog, spanExporter: options.spanExporter });
  const temporal: TemporalClientHandle = await connectTemporalClient(config, { codec: createPayloadCodec(dataSource, config.CONTINUUM_ROOT_KEY, config.CONTINUUM_PREVIOUS_ROOT_KEYS) });
  return {
    url,
    app,
    dataSource,
    temporal: temporal.client,
    apiKey,
    databaseUrl: database.url,
    temporalAddress: server.address,
    temporalNamespace: server.namespace,
    async graphql(query, variables = {}, key = apiKey) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'x-api-key': key }) },
        body: JSON.stringify({ query, variables }),
      });
      return response.json() as never;
    },
    twilioWebhook(path, form) {
      const received = Object.fromEntries(new URLSearchParams(form));
      return fetch(`${url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': computeTwilioSignature(EMULATOR_AUTH_TOKEN, `${config.GATEWAY_PUBLIC_URL}${path}`, received),
        },
        body: new URLSearchParams(form).toString(),
      });
    },
    async stopPostgres() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.cutOff();
    },
    async teardown() {
      await app.close();
      await temporal.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await stopServers();
    },
  };
}

interface FixtureServers {
  database: { url: string; cutOff(): Promise<void> };
  temporal: { address: string; namespace: string };
  stop(): Promise<void>;
}

/**
 * A database and a Temporal namespace of the fixture's own on the run's shared servers or, without
 * the global set-up, a PostgreSQL cluster and a dev server of its own.
 */
async function serversFor(): Promise<FixtureServers> {
  const shared = sharedTestServers();
  if (shared) {
    const [database, namespace] = await Promise.all([createIsolatedDatabase(shared), createIsolatedNamespace(shared.temporalAddress)]);
    return { database, temporal: { address: shared.temporalAddress, namespace }, stop: () => database.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'continuum-gateway-'));
  const [postgres, server] = await Promise.all([
    startTestPostgres(dir),
    startTestTemporal(join(dir, 'temporal')),
  ]);
  return {
    database: { url: postgres.url, cutOff: () => postgres.stop() },
    temporal: { address: server.address, namespace: 'default' },
    async stop() {
      await server.stop();
      await postgres.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The environment of a gateway over a fixture's database and Temporal namespace (the fixture's own,
 * or another gateway a test starts beside it, in-process or as a process): quiet logs, webhooks
 * signed for https://hooks.example.test, no retention job; `env` adds or overrides settings.
 */
export function gatewayEnvFor(
  gw: Pick<GatewayFixture, 'databaseUrl' | 'temporalAddress' | 'temporalNamespace'>,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: gw.databaseUrl,
    TEMPORAL_ADDRESS: gw.temporalAddress,
    TEMPORAL_NAMESPACE: gw.temporalNamespace,
    TWILIO_AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    GATEWAY_PORT: '0',
    GATEWAY_PUBLIC_URL: 'https://hooks.example.test',
    LOG_LEVEL: 'error',
    // Tests write rows dated in the past: the retention runs only where a test asks for it.
    RETENTION_INTERVAL_MS: '0',
    ...env,
  };
}

/**
 * The configuration of a journey worker for a gateway fixture: its database, Temporal namespace and
 * the Twilio emulator at `emulatorUrl`, the run's shared workflow bundle, quiet logs; `env` adds or
 * overrides settings (an idle timeout, CONTINUUM_ROOT_KEY…).
 */
export async function workerConfigFor(gw: GatewayFixture, emulatorUrl: string, env: Record<string, string> = {}): Promise<WorkerConfig> {
  return loadConfig('worker', workerConfigSchema, {
    DATABASE_URL: gw.databaseUrl,
    TEMPORAL_ADDRESS: gw.temporalAddress,
    TEMPORAL_NAMESPACE: gw.temporalNamespace,
    TWILIO_ACCOUNT_SID: EMULATOR_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    TWILIO_API_BASE_URL: emulatorUrl,
    TWILIO_FROM_NUMBER: EMULATOR_FROM_NUMBER,
    NODE_ENV: 'test',
    ...(await workerWorkflowBundleEnv()),
    LOG_LEVEL: 'error',
    ...env,
  });
}
