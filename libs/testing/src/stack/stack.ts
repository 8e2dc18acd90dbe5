import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { openDataSource, SourceKeyStore, WorkspaceStore } from '@continuum/data';
import { DEFAULT_MESSAGING_SERVICE_SID, DEFAULT_SENDGRID_API_KEY } from '@continuum/twilio-emulator';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';
import { assertPortFree, freePort } from './free-port';
import { startServiceProcess, type ServiceProcess } from './service-process';
import { startTemporalDevServer, type TemporalDevServerHandle } from './temporal-dev-server';
import { startTemporalServer, temporalServerPorts, type TemporalServerHandle, type TemporalServerPorts } from './temporal-server';
import { httpOk } from './wait-for';

/**
 * The real Temporal server on PostgreSQL (engine mode `server`) instead of the CLI's dev server:
 * its databases `temporal` and `temporal_visibility` live on the stack's PostgreSQL.
 */
export interface TemporalServerEngine {
  engine: 'server';
  serverPath: string;
  sqlToolPath: string;
  uiServerPath: string;
  /** Fixed when the `temporal` database is first used. */
  historyShards: number;
  /** Retention of closed workflows in the namespace, when it is created. */
  namespaceRetentionMs?: number;
  /** The server's internal ports; unset: Temporal's defaults shifted with `ports.temporal` (7234, 7235, 7239, 6933…). */
  ports?: TemporalServerPorts;
}

export interface StackOptions {
  /** Holds the Temporal database file, embedded PostgreSQL data, logs and the dev API key. */
  dataDir: string;
  /** The dev server (engine mode `dev`); not needed with `temporalServer`. */
  temporalCliPath?: string;
  /** Runs the real Temporal server instead of the dev server. */
  temporalServer?: TemporalServerEngine;
  /** `worker` is the worker's health and metrics port; unset, a free one is picked. `temporalMetrics`: the Temporal server's `/metrics` (unset: none). */
  ports: { temporal: number; temporalUi?: number; temporalMetrics?: number; postgres: number; gateway: number; emulator: number; worker?: number };
  /** External PostgreSQL; when unset an embedded one runs in dataDir. */
  databaseUrl?: string;
  /** Real Twilio credentials; when unset the emulator runs. */
  twilio?: { accountSid: string; authToken: string; fromNumber: string };
  /** Extra env for worker and gateway (e.g. ABANDONED_CART_IDLE_TIMEOUT). */
  serviceEnv?: Record<string, string>;
  /**
   * Payload encryption (default on): the gateway and worker get CONTINUUM_ROOT_KEY (from the
   * environment, else made once for the data dir) and the Web UI decodes through the codec server.
   */
  payloadEncryption?: boolean;
  /** Fail fast when a fixed port is taken (npm start); tests pass free ports. */
  checkPorts?: boolean;
  /** How long the emulator, the worker and the gateway may take to be ready (default 120 s). */
  serviceReadyTimeoutMs?: number;
  echo?: boolean;
  log?: (line: string) => void;
  /** Collects what has started, so a signal during start-up can stop it too. */
  teardown?: Teardown;
}

/** Stops started parts in reverse order of starting. */
export class Teardown {
  private readonly parts: Array<{ stop(): Promise<void> }> = [];

  add<T extends { stop(): Promise<void> }>(part: T): T {
    this.parts.push(part);
    return part;
  }

  async stopAll(): Promise<void> {
    while (this.parts.length > 0) await this.parts.pop()!.stop().catch(() => undefined);
  }
}

export interface Stack {
  /** The real server's handle also tells the ports it runs on. */
  temporal: TemporalDevServerHandle | TemporalServerHandle;
  postgres?: EmbeddedPostgresHandle;
  databaseUrl: string;
  gatewayUrl: string;
  /** The worker's `/health/live`, `/health/ready` and `/metrics`. */
  workerUrl: string;
  emulatorUrl?: string;
  devApiKey: string;
  /** The payload encryption root key the services run with; undefined with encryption off. */
  rootKey: string | undefined;
  /** Source write key of the tracking API (HTTP Basic user name), in the default workspace. */
  devWriteKey: string;
  workerEnv: Record<string, string>;
  services: { emulator?: ServiceProcess; worker: ServiceProcess; gateway: ServiceProcess };
  /** Starts a (new) worker process, e.g. after killing one. */
  startWorker(extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/** The dev API key printed by `npm start`: kept in the data dir so it survives restarts. */
function devApiKey(dataDir: string): string {
  const file = join(dataDir, 'dev-api-key');
  if (process.env['CONTINUUM_DEV_API_KEY']) return process.env['CONTINUUM_DEV_API_KEY'];
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `ck_dev_${randomBytes(18).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** The dev write key of the tracking API, kept in the data dir like the dev API key. */
function devWriteKey(dataDir: string): string {
  const file = join(dataDir, 'dev-write-key');
  if (process.env['CONTINUUM_DEV_WRITE_KEY']) return process.env['CONTINUUM_DEV_WRITE_KEY'];
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `wk_dev_${randomBytes(18).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * The root key of payload encryption (CONTINUUM_ROOT_KEY, else one made for this data dir and kept
 * in it, like the Temporal dev server's state it protects: a new key would leave old histories unreadable).
 */
function rootKey(dataDir: string): string {
  const file = join(dataDir, 'root-key');
  if (process.env['CONTINUUM_ROOT_KEY']) return process.env['CONTINUUM_ROOT_KEY'];
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** Starts everything on embedded defaults: Temporal dev server, PostgreSQL, emulator, worker, gateway. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = resolve(options.dataDir);
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const log = options.log ?? (() => undefined);
  const { ports } = options;
  if (options.checkPorts) {
    await assertPortFree(ports.temporal, 'Temporal', 'TEMPORAL_PORT');
    if (ports.temporalUi) await assertPortFree(ports.temporalUi, 'the Temporal Web UI', 'TEMPORAL_UI_PORT');
    if (!options.databaseUrl) await assertPortFree(ports.postgres, 'PostgreSQL', 'POSTGRES_PORT');
    await assertPortFree(ports.gateway, 'the gateway', 'GATEWAY_PORT');
    if (ports.worker) await assertPortFree(ports.worker, "the worker's health and metrics", 'WORKER_HTTP_PORT');
    if (!options.twilio) await assertPortFree(ports.emulator, 'the Twilio emulator', 'EMULATOR_PORT');
  }

  const teardown = options.teardown ?? new Teardown();
  const stopAll = () => teardown.stopAll();
  try {
    const key = devApiKey(dataDir);
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    const encryption = options.payloadEncryption ?? true;
    const payloadRootKey = encryption ? rootKey(dataDir) : undefined;
    // The Web UI decodes payloads through the gateway's codec server, as the development key.
    const codecEndpoint = encryption && ports.temporalUi ? `${gatewayUrl}/codec/${key}` : undefined;
    const startPostgres = () =>
      options.databaseUrl
        ? Promise.resolve(undefined)
        : startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: ports.postgres }).then((handle) => teardown.add(handle));
    let temporal: TemporalDevServerHandle | TemporalServerHandle;
    let postgres: EmbeddedPostgresHandle | undefined;
    const engine = options.temporalServer;
    if (engine) {
      // The server keeps its state in PostgreSQL: that comes first.
      log('starting PostgreSQL, then the Temporal server on it');
      postgres = await startPostgres();
      temporal = teardown.add(
        await startTemporalServer({
          serverPath: engine.serverPath,
          sqlToolPath: engine.sqlToolPath,
          uiServerPath: engine.uiServerPath,
          postgresUrl: options.databaseUrl ?? postgres!.url,
          ports: engine.ports ?? temporalServerPorts(ports.temporal, ports.temporalUi),
          dir: join(dataDir, 'temporal-server'),
          logFile: join(logs, 'temporal.log'),
          historyShards: engine.historyShards,
          namespaceRetentionMs: engine.namespaceRetentionMs,
          ...(codecEndpoint ? { codecEndpoint } : {}),
          metricsPort: ports.temporalMetrics,
          checkPorts: options.checkPorts,
          // Internal ports picked free (tests) may be taken before the server binds them.
          retriesOnBusyInternalPort: engine.ports && !options.checkPorts ? 3 : 0,
        }),
      );
    } else {
      if (!options.temporalCliPath) throw new Error('startStack needs temporalCliPath for the dev server, or temporalServer for the real server');
      log('starting Temporal dev server and PostgreSQL');
      [temporal, postgres] = await Promise.all([
        startTemporalDevServer({
          cliPath: options.temporalCliPath,
          port: ports.temporal,
          uiPort: ports.temporalUi,
          ...(codecEndpoint ? { codecEndpoint } : {}),
          metricsPort: ports.temporalMetrics,
          dbFile: join(dataDir, 'temporal.db'),
          logFile: join(logs, 'temporal.log'),
        }).then((handle) => teardown.add(handle)),
        startPostgres(),
      ]);
    }
    const databaseUrl = options.databaseUrl ?? postgres!.url;

    log('running migrations');
    const dataSource = await openDataSource(databaseUrl, { applicationName: 'continuum-stack', runMigrations: true, poolSize: 2 });
    await new WorkspaceStore(dataSource).ensureDevApiKey(key);
    const writeKey = devWriteKey(dataDir);
    await new SourceKeyStore(dataSource).ensureDevWriteKey(writeKey);
    await dataSource.destroy();

    let emulator: ServiceProcess | undefined;
    let emulatorUrl: string | undefined;
    /** The emulator signs SendGrid events with a key made for this run; the gateway verifies them. */
    const eventKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    /** The secret of the Inbound Parse URL, made for this run: the emulator posts customers' emails to the gateway with it. */
    const inboundEmailToken = options.serviceEnv?.['SENDGRID_INBOUND_TOKEN'] || randomBytes(18).toString('base64url');
    const channelEnv: Record<string, string> = {};
    const twilio = options.twilio ?? { accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, fromNumber: EMULATOR_FROM_NUMBER };
    if (!options.twilio) {
      emulatorUrl = `http://127.0.0.1:${ports.emulator}`;
      log('starting Twilio emulator');
      emulator = await startServiceProcess({
        name: 'twilio-emulator',
        entry: 'services/twilio-emulator/src/main.ts',
        env: {
          TWILIO_ACCOUNT_SID: twilio.accountSid,
          TWILIO_AUTH_TOKEN: twilio.authToken,
          EMULATOR_PORT: String(ports.emulator),
          EMULATOR_INBOUND_WEBHOOK_URL: `${gatewayUrl}/webhooks/twilio/inbound`,
          EMULATOR_SENDGRID_EVENT_WEBHOOK_URL: `${gatewayUrl}/webhooks/sendgrid/events`,
          EMULATOR_SENDGRID_INBOUND_WEBHOOK_URL: `${gatewayUrl}/webhooks/sendgrid/inbound?token=${encodeURIComponent(inboundEmailToken)}`,
          EMULATOR_SENDGRID_EVENT_WEBHOOK_PRIVATE_KEY: eventKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
        logFile: join(logs, 'twilio-emulator.log'),
        ready: () => httpOk(`${emulatorUrl}/__emulator/health`),
        echo: options.echo,
        readyTimeoutMs: options.serviceReadyTimeoutMs,
      });
      teardown.add(emulator);
      // Every channel on the emulator, both ways: WhatsApp from its number, RCS through its Messaging Service, email through SendGrid.
      Object.assign(channelEnv, {
        TWILIO_WHATSAPP_FROM: twilio.fromNumber,
        TWILIO_MESSAGING_SERVICE_SID: DEFAULT_MESSAGING_SERVICE_SID,
        SENDGRID_API_KEY: DEFAULT_SENDGRID_API_KEY,
        SENDGRID_API_BASE_URL: emulatorUrl,
        EMAIL_FROM: 'journeys@continuum.test',
        EMAIL_FROM_NAME: 'Continuum',
        SENDGRID_WEBHOOK_PUBLIC_KEY: eventKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        SENDGRID_INBOUND_TOKEN: inboundEmailToken,
      });
    }

    const common: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM_NUMBER: twilio.fromNumber,
      ...(emulatorUrl ? { TWILIO_API_BASE_URL: emulatorUrl } : {}),
      ...(payloadRootKey ? { CONTINUUM_ROOT_KEY: payloadRootKey } : {}),
      ...channelEnv,
      ...options.serviceEnv,
    };
    const workerPort = ports.worker ?? (await freePort());
    const workerUrl = `http://127.0.0.1:${workerPort}`;
    const workerEnv = { ...common, STATUS_CALLBACK_BASE_URL: gatewayUrl, WORKER_HTTP_PORT: String(workerPort) };
    const startWorker = async (extraEnv: Record<string, string> = {}) => {
      const env = { ...workerEnv, ...extraEnv };
      const url = `http://127.0.0.1:${env.WORKER_HTTP_PORT}`;
      const worker = await startServiceProcess({
        name: 'worker',
        entry: 'services/worker/src/main.ts',
        env,
        logFile: join(logs, extraEnv['WORKER_HTTP_PORT'] ? `worker-${extraEnv['WORKER_HTTP_PORT']}.log` : 'worker.log'),
        // Ready when its readiness endpoint says so (PostgreSQL, Temporal, worker RUNNING), whatever LOG_LEVEL hides.
        ready: () => httpOk(`${url}/health/ready`),
        echo: options.echo,
        readyTimeoutMs: options.serviceReadyTimeoutMs,
      });
      return teardown.add(worker);
    };
    log('starting worker and gateway');
    const [worker, gateway] = await Promise.all([
      startWorker(),
      startServiceProcess({
        name: 'gateway',
        entry: 'services/gateway/src/main.ts',
        env: {
          ...common,
          GATEWAY_PORT: String(ports.gateway),
          GATEWAY_PUBLIC_URL: gatewayUrl,
          ...(ports.temporalUi ? { CODEC_CORS_ORIGINS: `http://127.0.0.1:${ports.temporalUi},http://localhost:${ports.temporalUi}` } : {}),
          ...options.serviceEnv,
        },
        logFile: join(logs, 'gateway.log'),
        ready: () => httpOk(`${gatewayUrl}/health`),
        echo: options.echo,
        readyTimeoutMs: options.serviceReadyTimeoutMs,
      }).then((handle) => teardown.add(handle)),
    ]);
    return {
      temporal,
      postgres,
      databaseUrl,
      gatewayUrl,
      workerUrl,
      emulatorUrl,
      devApiKey: key,
      rootKey: payloadRootKey,
      devWriteKey: writeKey,
      workerEnv,
      services: { emulator, worker, gateway },
      startWorker,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
