import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stopProcess } from './temporal-dev-server';
import { waitFor } from './wait-for';

const workspaceRoot = resolve(__dirname, '../../../..');

export interface ServiceProcess {
  name: string;
  process: ChildProcess;
  logFile: string;
  /** Graceful stop: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** Abrupt death, as in a crash or `kill -9`. */
  kill(): Promise<void>;
}

/**
 * Runs one of the workspace's Node services (`services/<name>/src/main.ts`) as a child process,
 * logging to `logFile` (and echoing with a prefix when `echo` is set), and waits until `ready()`.
 */
export async function startServiceProcess(options: {
  name: string;
  entry: string;
  env: Record<string, string | undefined>;
  logFile: string;
  /** Readiness probe; gets what the process has printed so far. */
  ready: (output: string) => Promise<boolean>;
  echo?: boolean;
  readyTimeoutMs?: number;
}): Promise<ServiceProcess> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  // CONTINUUM_CPU_PROFILE_DIR: each service writes V8 CPU profiles (one per thread, CPU.<date>.<time>.<pid>.<thread>…) under <dir>/<service> when it exits.
  const profileDir = process.env['CONTINUUM_CPU_PROFILE_DIR'];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(resolve(profileDir), options.name)}`] : [];
  const child = spawn(process.execPath, [...profile, '-r', join(workspaceRoot, 'tools/register.cjs'), join(workspaceRoot, options.entry)], {
    cwd: workspaceRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (output.length < 64 * 1024) output += chunk.toString();
      if (options.echo) {
        for (const line of chunk.toString().split('\n')) if (line.trim()) process.stdout.write(`[${options.name}] ${line}\n`);
      }
    });
  }
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = signal ?? String(code)));
  await waitFor(
    `${options.name} to be ready (log: ${options.logFile})`,
    async () => {
      if (exited !== null) throw new Error(`${options.name} exited (${exited}); see ${options.logFile}`);
      return options.ready(output);
    },
    options.readyTimeoutMs ?? 120_000,
    250,
  );
  return {
    name: options.name,
    process: child,
    logFile: options.logFile,
    stop: () => stopProcess(child),
    kill: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
  };
}
