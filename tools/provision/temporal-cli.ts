import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toolsCacheDir, withCacheLock } from './cache';
import { findExecutable, isExecutableFile, log, probe, runLogged } from './exec';

// v1.5.1 is the newest tag without `replace` directives in go.mod, which `go install pkg@version` rejects.
export const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
const VERSION_VARIABLE = 'github.com/temporalio/cli/temporalcli.Version';
const SDK_DOWNLOAD_TIMEOUT_MS = 90_000;
const VERSION_PATTERN = new RegExp(`version v?${TEMPORAL_CLI_VERSION.replace(/\./g, '\\.')}\\b`);

/** `<cache>/temporal-cli-v1.5.1/temporal`: where a built (or downloaded) CLI is kept. */
export function temporalCliCachePath(): string {
  return join(toolsCacheDir(), `temporal-cli-v${TEMPORAL_CLI_VERSION}`, 'temporal');
}

async function reportsExpectedVersion(path: string): Promise<boolean> {
  if (!(await isExecutableFile(path))) return false;
  const { ok, output } = await probe(path, ['--version']);
  if (ok && VERSION_PATTERN.test(output)) return true;
  log(`ignoring ${path}: \`--version\` gave "${output.split('\n')[0]}", expected ${TEMPORAL_CLI_VERSION}`);
  return false;
}

async function fromEnvironment(configured: string): Promise<string> {
  const path = resolve(configured);
  if (!(await isExecutableFile(path))) {
    throw new Error(`TEMPORAL_CLI_PATH is set to "${configured}", but no executable file exists there; fix or unset TEMPORAL_CLI_PATH`);
  }
  const { ok, output } = await probe(path, ['--version']);
  if (!ok) throw new Error(`TEMPORAL_CLI_PATH is set to "${configured}", but \`${path} --version\` failed: ${output}`);
  return path;
}

async function fromPath(): Promise<string | undefined> {
  const path = await findExecutable('temporal');
  if (!path) return undefined;
  const { ok, output } = await probe(path, ['--version']);
  if (!ok) {
    log(`ignoring ${path} on PATH: \`--version\` failed`);
    return undefined;
  }
  log(`using ${path} from PATH (${output.split('\n')[0]})`);
  return path;
}

async function installIntoCache(source: string): Promise<string> {
  const target = temporalCliCachePath();
  await mkdir(join(target, '..'), { recursive: true });
  const staging = `${target}.${process.pid}.tmp`;
  await copyFile(source, staging);
  await rename(staging, target);
  return target;
}

/** The SDK's own download: works only where its download host is reachable, so it fails fast here. */
async function fromSdkDownload(): Promise<string | undefined> {
  const downloadDir = join(toolsCacheDir(), 'sdk-download');
  await mkdir(downloadDir, { recursive: true });
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const starting = TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download', downloadDir, version: `v${TEMPORAL_CLI_VERSION}` },
      log: { format: 'json', level: 'error' },
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((done) => {
    timer = setTimeout(() => done('timeout'), SDK_DOWNLOAD_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([starting, timedOut]);
    if (outcome === 'timeout') {
      // A download that completes later must not leave a dev server running.
      starting.then((env) => env.teardown()).catch(() => undefined);
      log(`SDK download of the Temporal CLI did not finish within ${SDK_DOWNLOAD_TIMEOUT_MS / 1000}s; building instead`);
      return undefined;
    }
    await outcome.teardown();
  } catch (error) {
    log(`SDK download of the Temporal CLI unavailable (${String((error as Error).message).split('\n')[0]}); building instead`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
  const downloaded = await findDownloadedBinary(downloadDir);
  if (!downloaded) {
    log(`SDK started a dev server but no binary was found in ${downloadDir}; building instead`);
    return undefined;
  }
  const { output } = await probe(downloaded, ['--version']);
  if (!VERSION_PATTERN.test(output)) {
    log(`using ${downloaded} from the SDK download as is (${output.split('\n')[0]})`);
    return downloaded;
  }
  const cached = await installIntoCache(downloaded);
  log(`downloaded Temporal CLI via the SDK, cached at ${cached}`);
  return cached;
}

async function findDownloadedBinary(downloadDir: string): Promise<string | undefined> {
  const expected = join(downloadDir, `temporal-v${TEMPORAL_CLI_VERSION}`);
  if (await isExecutableFile(expected)) return expected;
  const candidates: Array<{ path: string; mtime: number }> = [];
  for (const name of await readdir(downloadDir)) {
    const path = join(downloadDir, name);
    if (name.startsWith('temporal') && !name.endsWith('.downloading') && (await isExecutableFile(path))) {
      candidates.push({ path, mtime: (await stat(path)).mtimeMs });
    }
  }
  return candidates.sort((a, b) => b.mtime - a.mtime)[0]?.path;
}

async function buildWithGo(): Promise<string> {
  const go = await findExecutable('go', ['/usr/local/go/bin']);
  if (!go) {
    throw new Error(
      `Cannot provision the Temporal CLI: TEMPORAL_CLI_PATH is unset, ${temporalCliCachePath()} does not exist, ` +
        `no working \`temporal\` is on PATH, the SDK download failed, and Go is not installed to build it. ` +
        `Install Go (1.25 or newer, or any Go with GOTOOLCHAIN=auto) or set TEMPORAL_CLI_PATH.`,
    );
  }
  const target = temporalCliCachePath();
  const staging = `${join(target, '..')}.${process.pid}.staging`;
  await rm(staging, { recursive: true, force: true });
  log(`building Temporal CLI v${TEMPORAL_CLI_VERSION} with ${go} (a few minutes on a cold Go cache; ~10s when warm)`);
  try {
    await runLogged(
      go,
      ['install', '-ldflags', `-s -w -X ${VERSION_VARIABLE}=${TEMPORAL_CLI_VERSION}`, `${GO_PACKAGE}@v${TEMPORAL_CLI_VERSION}`],
      { label: 'go install temporal', env: { ...process.env, GOBIN: staging } },
    );
    // Built aside and renamed, so a concurrent reader never executes a half-written binary.
    await mkdir(join(target, '..'), { recursive: true });
    await rename(join(staging, 'temporal'), target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  if (!(await reportsExpectedVersion(target))) throw new Error(`Built ${target}, but it does not report version ${TEMPORAL_CLI_VERSION}`);
  return target;
}

/**
 * Absolute path of a working `temporal` CLI. Resolution order: `TEMPORAL_CLI_PATH`, the cache,
 * `temporal` on PATH, the SDK's download, then `go install` from the Go module proxy.
 */
export async function resolveTemporalCli(): Promise<string> {
  const configured = process.env.TEMPORAL_CLI_PATH?.trim();
  if (configured) return fromEnvironment(configured);
  const cached = temporalCliCachePath();
  if (await reportsExpectedVersion(cached)) return cached;
  const onPath = await fromPath();
  if (onPath) return onPath;
  const downloaded = await fromSdkDownload();
  if (downloaded) return downloaded;
  return withCacheLock(`temporal-cli-v${TEMPORAL_CLI_VERSION}`, async () => {
    // Another process may have finished the build while this one waited for the lock.
    if (await isExecutableFile(cached) && VERSION_PATTERN.test((await probe(cached, ['--version'])).output)) return cached;
    return buildWithGo();
  });
}
