import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { JOURNEY_SEARCH_ATTRIBUTES } from '@continuum/contracts';
import { waitFor } from './wait-for';

export interface TemporalDevServerHandle {
  address: string;
  uiUrl?: string;
  /** The server's own Prometheus metrics (`/metrics`), when started with `metricsPort`. */
  metricsUrl?: string;
  /** The real server's history shards in use: the number its database was first set up with. */
  historyShards?: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** SQLite pragmas of the dev server's file (with `dbFile`). */
export const DEV_SERVER_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'] as const;

/**
 * `temporal server start-dev` with our search attributes registered and priority matching on; with `dbFile` its state
 * survives restarts, so waiting journeys resume on the next start.
 */
export async function startTemporalDevServer(options: {
  cliPath: string;
  port: number;
  uiPort?: number;
  /** The Web UI's remote codec endpoint (the gateway's /codec/…), to show payloads decoded. */
  codecEndpoint?: string;
  /** Serves the server's Prometheus metrics on this port. */
  metricsPort?: number;
  dbFile?: string;
  logFile: string;
}): Promise<TemporalDevServerHandle> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', 'default', '--log-level', 'warn'];
  for (const name of JOURNEY_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=Keyword`);
  // Priority matching, so live customers' tasks go ahead of bulk work's (TASK_PRIORITY in libs/contracts).
  args.push('--dynamic-config-value', 'matching.useNewMatcher=true');
  // The gateway's bulk admission reads the task queue's backlog; the server caches it this long (default 5 s).
  args.push('--dynamic-config-value', 'matching.TaskQueueInfoByBuildIdTTL="1s"');
  if (options.uiPort) {
    args.push('--ui-port', String(options.uiPort));
    if (options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  } else args.push('--headless');
  if (options.metricsPort) args.push('--metrics-port', String(options.metricsPort));
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
    // Write-ahead log, synced at checkpoints: every write the server acknowledges is in the WAL file
    // (the OS's page cache), so a crash or kill -9 of the server loses nothing (temporal-dev-server.test.ts);
    // only a crash of the machine itself may lose the last transactions. With SQLite's defaults
    // (rollback journal, a sync per transaction) raw signalWithStart ran at about half the rate.
    for (const pragma of DEV_SERVER_SQLITE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const address = `127.0.0.1:${options.port}`;
  await waitFor(`Temporal dev server on ${address} (log: ${options.logFile})`, async () => {
    if (exited !== null) throw new Error(`temporal exited with code ${exited}: ${lastErrors(options.logFile)}`);
    const connection = await Connection.connect({ address, connectTimeout: '1s' });
    try {
      await connection.workflowService.getSystemInfo({});
      const attributes = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      return JOURNEY_SEARCH_ATTRIBUTES.every((name) => name in (attributes.customAttributes ?? {}));
    } finally {
      await connection.close();
    }
  }, 90_000, 300);
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    metricsUrl: options.metricsPort ? `http://127.0.0.1:${options.metricsPort}/metrics` : undefined,
    process: child,
    stop: () => stopProcess(child),
  };
}

/** The last error lines of the dev server's log (its dial warnings while starting are noise). */
function lastErrors(logFile: string): string {
  if (!existsSync(logFile)) return 'no log written';
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('level=ERROR') || line.startsWith('Error'));
  return lines.slice(-3).join(' | ') || `see ${logFile}`;
}

/** SIGTERM, then SIGKILL if the process has not exited after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
