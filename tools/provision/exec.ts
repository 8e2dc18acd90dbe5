import { execFile, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, resolve } from 'node:path';

/** Progress goes to stderr so that stdout stays clean for the paths the CLI prints. */
export function log(message: string): void {
  process.stderr.write(`[provision] ${message}\n`);
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of the first executable `command` on PATH (plus any extra directories given). */
export async function findExecutable(command: string, extraDirs: string[] = []): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter((dir) => dir !== '');
  for (const dir of dirs) {
    const candidate = resolve(dir, command);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export interface ProbeResult {
  ok: boolean;
  output: string;
}

/** Runs a short command (e.g. `--version`) and returns its combined output; never throws. */
export function probe(file: string, args: string[], timeoutMs = 30_000): Promise<ProbeResult> {
  return new Promise((done) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      done({ ok: error === null, output: error === null ? output : output || error.message });
    });
  });
}

// Debian's Maven prints bare colour resets even in batch mode.
const COLOUR_CODES = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');

export interface RunOptions {
  label: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a long build step, forwarding its output to stderr and logging a heartbeat so that a
 * multi-minute build visibly makes progress. Rejects with the output's tail on failure.
 */
export function runLogged(command: string, args: string[], options: RunOptions): Promise<void> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const forward = (chunk: Buffer): void => {
      const text = chunk.toString('utf8').replace(COLOUR_CODES, '');
      if (text === '') return;
      process.stderr.write(text);
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    const heartbeat = setInterval(() => {
      log(`${options.label}: still running (${formatDuration(Date.now() - started)} so far)`);
    }, 30_000);
    heartbeat.unref();
    child.on('error', (error) => {
      clearInterval(heartbeat);
      fail(new Error(`${options.label}: could not run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) {
        log(`${options.label}: done in ${formatDuration(Date.now() - started)}`);
        done();
      } else {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        fail(new Error(`${options.label} failed (${how}): ${command} ${args.join(' ')}\n${tail.trim()}`));
      }
    });
  });
}
