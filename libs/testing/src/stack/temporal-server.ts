import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client as PgClient } from 'pg';
import { temporal } from '@temporalio/proto';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { JOURNEY_SEARCH_ATTRIBUTES } from '@continuum/contracts';
import { assertPortFree, freePort, freePortBelow } from './free-port';
import { stopProcess, type TemporalDevServerHandle } from './temporal-dev-server';
import { httpOk, waitFor } from './wait-for';

/** The two databases the server keeps its state in, on the PostgreSQL cluster it is given. */
export const TEMPORAL_DATABASE = 'temporal';
export const TEMPORAL_VISIBILITY_DATABASE = 'temporal_visibility';
/** The schemas `temporal-sql-tool` carries for the `postgres12` plugin (PostgreSQL 12 and newer). */
const SCHEMAS: Record<string, string> = {
  [TEMPORAL_DATABASE]: 'postgresql/v12/temporal',
  [TEMPORAL_VISIBILITY_DATABASE]: 'postgresql/v12/visibility',
};

/** The ports of one server process: each of its four services listens twice (gRPC, membership). */
export interface TemporalServerPorts {
  frontend: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
  /** The Web UI server (unset: none runs). */
  ui?: number;
}

/** Temporal's own defaults, shifted with the frontend port: 7233 gives 7234, 7235, 7239 and 6933, 6934, 6935, 6939. */
export function temporalServerPorts(frontend: number, ui?: number): TemporalServerPorts {
  const membership = frontend - 300;
  return {
    frontend,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 6,
    frontendMembership: membership,
    historyMembership: membership + 1,
    matchingMembership: membership + 2,
    workerMembership: membership + 6,
    ui,
  };
}

/**
 * Every internal port free right now, around a given frontend port (tests, where fixed ports would
 * collide). Membership ports stay below 32768: the server stores them in a PostgreSQL smallint.
 */
export async function freeTemporalServerPorts(frontend: number, ui?: number): Promise<TemporalServerPorts> {
  return {
    frontend,
    history: await freePort(),
    matching: await freePort(),
    worker: await freePort(),
    frontendMembership: await freePortBelow(),
    historyMembership: await freePortBelow(),
    matchingMembership: await freePortBelow(),
    workerMembership: await freePortBelow(),
    ui,
  };
}

export interface TemporalServerOptions {
  serverPath: string;
  sqlToolPath: string;
  /** The Web UI server; needed when `ports.ui` is set. */
  uiServerPath?: string;
  /** Any database URL on the PostgreSQL cluster that holds (or will hold) `temporal` and `temporal_visibility`. */
  postgresUrl: string;
  ports: TemporalServerPorts;
  /** Config, dynamic config and the UI's config are written here. */
  dir: string;
  logFile: string;
  /** Fixed when the `temporal` database is first used; a different number later refuses to start. */
  historyShards: number;
  /** Created when missing, with the journeys' search attributes. */
  namespace?: string;
  /** Retention of closed workflows in the namespace, when it is created. */
  namespaceRetentionMs?: number;
  /** The Web UI's remote codec endpoint (the gateway's /codec/…), to show payloads decoded. */
  codecEndpoint?: string;
  /** Where the server serves its Prometheus metrics (`/metrics`; unset: none). */
  metricsPort?: number;
  /** Fail fast when a port is taken (npm start). */
  checkPorts?: boolean;
  /**
   * When the server exits because one of its internal ports (not the frontend's, the UI's or the
   * metrics') was taken as it bound it, start it again on fresh internal ports, up to this many
   * times (unset: 0, it fails). For ports picked free a moment before (tests, the chaos program):
   * another process may take one between the pick and the bind. The handle tells the ports used.
   */
  retriesOnBusyInternalPort?: number;
}

/** The handle of a real server: the ports it runs on (internal ones may differ from those asked for). */
export interface TemporalServerHandle extends TemporalDevServerHandle {
  ports: TemporalServerPorts;
}

const INTERNAL_PORTS = [
  'history',
  'matching',
  'worker',
  'frontendMembership',
  'historyMembership',
  'matchingMembership',
  'workerMembership',
] as const satisfies ReadonlyArray<keyof TemporalServerPorts>;

/** The ports the server's log (from `fromByte`) says it could not bind because they were in use. */
export function busyPortsInLog(logFile: string, fromByte: number): number[] {
  if (!existsSync(logFile)) return [];
  const text = readFileSync(logFile).subarray(fromByte).toString('utf8');
  return [...text.matchAll(/:(\d{1,5}): bind: address already in use/g)].map((match) => Number(match[1]));
}

interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

function postgresTarget(url: string): PostgresTarget {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** Runs the SQL tool; rejects with its output, which names the failing statement. */
function runSqlTool(sqlToolPath: string, target: PostgresTarget, database: string, args: string[], logFile: string): Promise<void> {
  const common = ['--plugin', 'postgres12', '--endpoint', target.host, '--port', String(target.port), '--user', target.user, '--database', database];
  return new Promise((done, fail) => {
    // The password goes through the environment, not the command line that `ps` shows.
    const child = spawn(sqlToolPath, [...common, ...args], { env: { ...process.env, SQL_PASSWORD: target.password }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', fail);
    child.once('exit', (code) => {
      writeFileSync(logFile, `$ temporal-sql-tool --database ${database} ${args.join(' ')}\n${output}\n`, { flag: 'a' });
      if (code === 0) done();
      else fail(new Error(`temporal-sql-tool ${args[0]} on ${database} failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

async function databaseExists(target: PostgresTarget, name: string): Promise<boolean> {
  const client = new PgClient({ ...target, database: 'postgres', application_name: 'continuum-temporal-setup' });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/**
 * Brings both databases to the schema this server version expects, as Temporal's own tooling does:
 * `create-database` when missing, `setup-schema -v 0.0` (the version tables; a no-op once set up),
 * then `update-schema` through every versioned step not applied yet. Safe to run at every start.
 */
export async function setUpTemporalSchemas(sqlToolPath: string, postgresUrl: string, logFile: string): Promise<void> {
  const target = postgresTarget(postgresUrl);
  for (const [database, schema] of Object.entries(SCHEMAS)) {
    if (!(await databaseExists(target, database))) await runSqlTool(sqlToolPath, target, database, ['create-database'], logFile);
    await runSqlTool(sqlToolPath, target, database, ['setup-schema', '--version', '0.0'], logFile);
    await runSqlTool(sqlToolPath, target, database, ['update-schema', '--schema-name', schema], logFile);
  }
}

/** The server's static config; JSON is YAML, and no `# enable-template` line means no templating. */
function serverConfig(options: TemporalServerOptions, dynamicConfigFile: string): string {
  const target = postgresTarget(options.postgresUrl);
  const { ports } = options;
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${target.host}:${target.port}`,
      connectProtocol: 'tcp',
      user: target.user,
      password: target.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, httpPort?: number) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...(httpPort ? { httpPort } : {}) },
  });
  return JSON.stringify(
    {
      log: { stdout: true, level: 'warn', format: 'json' },
      persistence: {
        defaultStore: 'default',
        visibilityStore: 'visibility',
        numHistoryShards: options.historyShards,
        datastores: { default: datastore(TEMPORAL_DATABASE, 20), visibility: datastore(TEMPORAL_VISIBILITY_DATABASE, 10) },
      },
      global: {
        membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
        ...(options.metricsPort
          ? { metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${options.metricsPort}` } } }
          : {}),
      },
      services: {
        frontend: service(ports.frontend, ports.frontendMembership),
        history: service(ports.history, ports.historyMembership),
        matching: service(ports.matching, ports.matchingMembership),
        worker: service(ports.worker, ports.workerMembership),
      },
      clusterMetadata: {
        enableGlobalNamespace: false,
        failoverVersionIncrement: 10,
        masterClusterName: 'active',
        currentClusterName: 'active',
        clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` } },
      },
      dcRedirectionPolicy: { policy: 'noop' },
      // Absolute: the server resolves this path from its working directory, not from --root.
      dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
    },
    null,
    2,
  );
}

/**
 * The real server's dynamic config: what the dev server runs with (see temporal-dev-server.ts and the
 * CLI's own defaults). docker-compose.yml gives its `temporal` service the same (a test compares them).
 */
export const TEMPORAL_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  // Journey workflow ids (journey/<journeyId>/<customerId>/<key>) stay well under this limit (the server's default, stated).
  'limit.maxIDLength': 1000,
  // Priority matching, so live customers' tasks go ahead of bulk work's (TASK_PRIORITY in libs/contracts).
  'matching.useNewMatcher': true,
  // The gateway's bulk admission reads the task queue's backlog; the server caches it this long (default 5 s).
  'matching.TaskQueueInfoByBuildIdTTL': '1s',
  // Search attributes usable as soon as they are registered, as on the dev server; hence its higher persistence QPS.
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  'frontend.persistenceMaxQPS': 10_000,
  'history.persistenceMaxQPS': 45_000,
  'frontend.namespaceRPS.visibility': 100,
  // Nothing here uses Nexus, which wants the frontend's HTTP port; off, it logs no warning at start.
  'system.enableNexus': false,
};

function dynamicConfig(): string {
  const entries = Object.entries(TEMPORAL_SERVER_DYNAMIC_CONFIG).map(([key, value]) => [key, [{ value, constraints: {} }]]);
  return JSON.stringify(Object.fromEntries(entries), null, 2);
}

function uiConfig(address: string, port: number, namespace: string, codecEndpoint: string | undefined): string {
  return JSON.stringify(
    {
      temporalGrpcAddress: address,
      host: '127.0.0.1',
      port,
      enableUi: true,
      defaultNamespace: namespace,
      cors: { cookieInsecure: true },
      ...(codecEndpoint ? { codec: { endpoint: codecEndpoint } } : {}),
      notifyOnNewVersion: false,
      hideLogs: true,
    },
    null,
    2,
  );
}

const isNotFound = (error: unknown) => (error as { code?: number }).code === 5;
const isAlreadyExists = (error: unknown) => (error as { code?: number }).code === 6;

/** Creates the namespace when missing, then registers the journeys' search attributes it lacks. */
export async function ensureJourneyNamespace(address: string, namespace: string, retentionMs: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const described = await connection.workflowService.describeNamespace({ namespace }).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (!described) {
      await connection.workflowService
        .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(retentionMs) })
        .catch((error: unknown) => {
          if (!isAlreadyExists(error)) throw error;
        });
    }
    // A new namespace reaches the frontend's cache within its refresh interval; until then calls on it fail.
    await waitFor(`namespace ${namespace} on ${address}`, async () => {
      await connection.operatorService.listSearchAttributes({ namespace });
      return true;
    }, 30_000, 250);
    const existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
    const missing = JOURNEY_SEARCH_ATTRIBUTES.filter((name) => !(name in existing));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
      });
    }
    await waitFor(`search attributes of ${namespace} on ${address}`, async () => {
      const attributes = await connection.operatorService.listSearchAttributes({ namespace });
      return JOURNEY_SEARCH_ATTRIBUTES.every((name) => name in (attributes.customAttributes ?? {}));
    }, 30_000, 250);
  } finally {
    await connection.close();
  }
}

/** The last error lines of the server's JSON log, or its plain-text start-up errors. */
function lastErrors(logFile: string): string {
  if (!existsSync(logFile)) return 'no log written';
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => /"level":"(error|fatal|dpanic|panic)"/.test(line) || /^(Unable|Error|panic)/.test(line));
  return (
    lines
      .slice(-3)
      .map((line) => {
        try {
          const entry = JSON.parse(line) as { msg?: string; error?: string };
          return [entry.msg, entry.error].filter(Boolean).join(': ');
        } catch {
          return line;
        }
      })
      .join(' | ') || `see ${logFile}`
  );
}

/**
 * The history shards the server runs with: the configured number, unless its database was first set
 * up with another, which the server keeps (and says so in its log once at start).
 */
function historyShardsInUse(logFile: string, fromByte: number, configured: number): number {
  const text = readFileSync(logFile).subarray(fromByte).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line.includes('"persistence.numHistoryShards"')) continue;
    try {
      const entry = JSON.parse(line) as { value?: number };
      if (typeof entry.value === 'number') return entry.value;
    } catch {
      // not a JSON line
    }
  }
  return configured;
}

/**
 * The real Temporal server (`temporal-server start`: frontend, history, matching and worker in one
 * process) persisting to PostgreSQL, with its schemas set up, the namespace and search attributes
 * in place, and optionally the Web UI server in front of it. The handle is the dev server's.
 */
export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServerHandle> {
  let ports = options.ports;
  for (let retry = 0; ; retry++) {
    const logStart = existsSync(options.logFile) ? statSync(options.logFile).size : 0;
    try {
      return await startTemporalServerOnce({ ...options, ports });
    } catch (error) {
      const busy = busyPortsInLog(options.logFile, logStart);
      const internal = INTERNAL_PORTS.filter((name) => busy.includes(ports[name]));
      if (retry >= (options.retriesOnBusyInternalPort ?? 0) || internal.length === 0 || busy.some((port) => !internal.some((name) => ports[name] === port))) {
        throw error;
      }
      const fresh = await freeTemporalServerPorts(ports.frontend, ports.ui);
      ports = { ...ports, ...Object.fromEntries(internal.map((name) => [name, fresh[name]])) };
    }
  }
}

async function startTemporalServerOnce(options: TemporalServerOptions): Promise<TemporalServerHandle> {
  const { ports } = options;
  const namespace = options.namespace ?? 'default';
  if (!Number.isInteger(options.historyShards) || options.historyShards < 1) {
    throw new Error(`The number of history shards must be a positive integer, got ${options.historyShards}`);
  }
  if (options.checkPorts) {
    const named: Array<[number, string]> = [
      [ports.history, 'history'],
      [ports.matching, 'matching'],
      [ports.worker, 'worker'],
      [ports.frontendMembership, 'frontend membership'],
      [ports.historyMembership, 'history membership'],
      [ports.matchingMembership, 'matching membership'],
      [ports.workerMembership, 'worker membership'],
    ];
    for (const [port, what] of named) await assertPortFree(port, `the Temporal server's ${what} service`, 'TEMPORAL_PORT');
  }
  const dir = resolve(options.dir);
  mkdirSync(join(dir, 'config'), { recursive: true });
  mkdirSync(join(options.logFile, '..'), { recursive: true });
  await setUpTemporalSchemas(options.sqlToolPath, options.postgresUrl, options.logFile);

  const dynamicConfigFile = join(dir, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfigFile, dynamicConfig());
  writeFileSync(join(dir, 'config', 'continuum.yaml'), serverConfig(options, dynamicConfigFile), { mode: 0o600 });

  const logStart = existsSync(options.logFile) ? statSync(options.logFile).size : 0;
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const started: ChildProcess[] = [];
  const stopAll = async () => {
    while (started.length > 0) await stopProcess(started.pop()!);
    // Flushed before anyone reads the log (a failed start's busy ports, its errors).
    await new Promise<void>((done) => log.end(done));
  };
  const spawnLogged = (file: string, args: string[]) => {
    const child = spawn(file, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    started.push(child);
    let exited: number | null = null;
    child.once('exit', (code) => (exited = code ?? -1));
    return { child, exitCode: () => exited };
  };

  try {
    const server = spawnLogged(options.serverPath, ['--root', dir, '--config', 'config', '--env', 'continuum', '--allow-no-auth', 'start']);
    const address = `127.0.0.1:${ports.frontend}`;
    const exitedEarly = () => {
      const code = server.exitCode();
      if (code !== null) throw new Error(`temporal-server exited with code ${code}: ${lastErrors(options.logFile)}`);
    };
    await waitFor(`Temporal server on ${address} (log: ${options.logFile})`, async () => {
      // An exit ends the wait at once; the check below reports it.
      if (server.exitCode() !== null) return true;
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } finally {
        await connection.close();
      }
    }, 90_000, 300);
    exitedEarly();
    await ensureJourneyNamespace(address, namespace, options.namespaceRetentionMs ?? 7 * 24 * 3_600_000);

    let uiUrl: string | undefined;
    if (ports.ui) {
      if (!options.uiServerPath) throw new Error('A Web UI port was given without the Web UI server (TEMPORAL_UI_SERVER_PATH)');
      mkdirSync(join(dir, 'ui'), { recursive: true });
      writeFileSync(join(dir, 'ui', 'continuum.yaml'), uiConfig(address, ports.ui, namespace, options.codecEndpoint));
      const ui = spawnLogged(options.uiServerPath, ['--root', dir, '--config', 'ui', '--env', 'continuum', 'start']);
      uiUrl = `http://127.0.0.1:${ports.ui}`;
      await waitFor(`Temporal Web UI on ${uiUrl}`, async () => ui.exitCode() !== null || httpOk(uiUrl!), 30_000, 200);
      if (ui.exitCode() !== null) throw new Error(`temporal-ui-server exited with code ${ui.exitCode()}; see ${options.logFile}`);
    }
    const historyShards = historyShardsInUse(options.logFile, logStart, options.historyShards);
    const metricsUrl = options.metricsPort ? `http://127.0.0.1:${options.metricsPort}/metrics` : undefined;
    return { address, uiUrl, metricsUrl, historyShards, ports, process: server.child, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
