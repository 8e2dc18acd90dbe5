import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Client } from '@temporalio/client';
import { EMULATOR_AUTH_TOKEN, gatewayConfigSchema, loadConfig } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, openDataSource, WorkspaceStore, type DataSource } from '@continuum/data';
import { connectTemporalClient, type TemporalClientHandle } from '@continuum/temporal';
import { freePort, startTemporalDevServer, startTestPostgres } from '@continuum/testing';
import { computeTwilioSignature } from '@continuum/twilio-emulator';
import { resolveTemporalCli } from '@continuum/provision';
import { startGateway } from '../create-gateway';

export interface GatewayFixture {
  url: string;
  app: INestApplication;
  dataSource: DataSource;
  temporal: Client;
  apiKey: string;
  /** Where the fixture's PostgreSQL and Temporal dev server listen (for a worker a test starts). */
  databaseUrl: string;
  temporalAddress: string;
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
  /** Stops PostgreSQL under the running gateway (outage tests); teardown still works afterwards. */
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
  const dir = mkdtempSync(join(tmpdir(), 'continuum-gateway-'));
  const cliPath = process.env['TEMPORAL_CLI_PATH'] ?? (await resolveTemporalCli());
  const [postgres, server] = await Promise.all([
    startTestPostgres(dir),
    freePort().then((port) => startTemporalDevServer({ cliPath, port, logFile: join(dir, 'temporal.log') })),
  ]);
  const dataSource = await openDataSource(postgres.url, { runMigrations: true, poolSize: 2 });
  await options.beforeStart?.(dataSource);
  const apiKey = await new WorkspaceStore(dataSource).createApiKey(DEFAULT_WORKSPACE_ID, 'fixture');
  const config = loadConfig('gateway', gatewayConfigSchema, {
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: server.address,
    TWILIO_AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    GATEWAY_PORT: '0',
    GATEWAY_PUBLIC_URL: 'https://hooks.example.test',
    LOG_LEVEL: options.writeLog ? 'info' : 'error',
    ...options.env,
  });
  const { app, url } = await startGateway(config, { writeLog: options.writeLog, spanExporter: options.spanExporter });
  const temporal: TemporalClientHandle = await connectTemporalClient(config);
  return {
    url,
    app,
    dataSource,
    temporal: temporal.client,
    apiKey,
    databaseUrl: postgres.url,
    temporalAddress: server.address,
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
      await postgres.stop();
    },
    async teardown() {
      await app.close();
      await temporal.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await server.stop();
      await postgres.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
