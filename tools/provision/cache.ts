import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { formatDuration, log } from './exec';

/** Where provisioned tools live: `CONTINUUM_TOOLS_CACHE`, default `~/.cache/continuum` (outside the repo). */
export function toolsCacheDir(): string {
  const configured = process.env.CONTINUUM_TOOLS_CACHE?.trim();
  return resolve(configured ? configured : join(homedir(), '.cache', 'continuum'));
}

const LOCK_WAIT_LIMIT_MS = 45 * 60_000;
const LOCK_POLL_MS = 1_000;
// A lock file is written right after it is created; an empty one older than this was abandoned.
const EMPTY_LOCK_GRACE_MS = 30_000;

interface LockOwner {
  pid: number;
  host: string;
}

function parseOwner(text: string): LockOwner | undefined {
  const [pid, host] = text.split('\n');
  const parsed = Number(pid);
  return Number.isInteger(parsed) && parsed > 0 && host ? { pid: parsed, host } : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock file's content if it was left by a dead process (or abandoned empty), else undefined. */
async function staleContent(lockPath: string): Promise<string | undefined> {
  try {
    const content = await readFile(lockPath, 'utf8');
    const owner = parseOwner(content);
    if (owner) return owner.host === hostname() && !isAlive(owner.pid) ? content : undefined;
    return Date.now() - (await stat(lockPath)).mtimeMs > EMPTY_LOCK_GRACE_MS ? content : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes a stale lock without ever removing a fresh one: the file is first moved aside
 * atomically, and put back if another process had replaced it in the meantime.
 */
async function breakStaleLock(lockPath: string, stale: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => stale);
  if (moved === stale) {
    log(`removed stale lock ${lockPath}`);
  } else {
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function tryAcquire(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    try {
      await handle.writeFile(`${process.pid}\n${hostname()}\n${new Date().toISOString()}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Runs `task` while holding `<cache>/<name>.lock`, so that concurrent processes (parallel test
 * workers, `npm start` beside `npm test`) never build the same tool at once. A lock left by a
 * process that died is taken over.
 */
export async function withCacheLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const cacheDir = toolsCacheDir();
  await mkdir(cacheDir, { recursive: true });
  const lockPath = join(cacheDir, `${name}.lock`);
  const started = Date.now();
  let announced = false;
  while (!(await tryAcquire(lockPath))) {
    const stale = await staleContent(lockPath);
    if (stale !== undefined) {
      await breakStaleLock(lockPath, stale);
      continue;
    }
    if (!announced) {
      const owner = parseOwner(await readFile(lockPath, 'utf8').catch(() => ''));
      log(`waiting for another process (pid ${owner?.pid ?? '?'}) that holds ${lockPath}`);
      announced = true;
    }
    if (Date.now() - started > LOCK_WAIT_LIMIT_MS) {
      throw new Error(
        `Gave up after ${formatDuration(Date.now() - started)} waiting for ${lockPath}; delete it if no build is running`,
      );
    }
    await new Promise((wake) => setTimeout(wake, LOCK_POLL_MS));
  }
  try {
    return await task();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
