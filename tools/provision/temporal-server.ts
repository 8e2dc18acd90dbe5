import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toolsCacheDir, withCacheLock } from './cache';
import { findExecutable, isExecutableFile, log, probe, runLogged } from './exec';

// The real Temporal server (engine mode `server`): the newest tag this machine's Go builds without a
// newer toolchain. Its schema tool comes from the same module, and carries the schemas it applies.
export const TEMPORAL_SERVER_VERSION = '1.29.1';
// The Web UI server the Temporal CLI v1.5.1 embeds (its go.mod), so both engine modes show the same UI.
export const TEMPORAL_UI_SERVER_VERSION = '2.42.1';

/** A Go program built once with `go install` and kept in the tools cache. */
interface GoTool {
  /** What the errors and progress lines call it. */
  title: string;
  /** Directory under the tools cache, named after the version. */
  cacheDir: string;
  /** Name of the cached executable. */
  binary: string;
  /** What `go install` writes into GOBIN. */
  installedAs: string;
  goPackage: string;
  version: string;
  /** Environment variable that points at an executable to use instead. */
  envVar: string;
  /** `--version` output of the expected build. */
  versionPattern: RegExp;
}

const dotted = (version: string) => version.replace(/\./g, '\\.');

const SERVER: GoTool = {
  title: 'Temporal server',
  cacheDir: `temporal-server-v${TEMPORAL_SERVER_VERSION}`,
  binary: 'temporal-server',
  installedAs: 'server',
  goPackage: 'go.temporal.io/server/cmd/server',
  version: TEMPORAL_SERVER_VERSION,
  envVar: 'TEMPORAL_SERVER_PATH',
  versionPattern: new RegExp(`version ${dotted(TEMPORAL_SERVER_VERSION)}\\b`),
};

const SQL_TOOL: GoTool = {
  title: 'Temporal SQL tool',
  cacheDir: `temporal-server-v${TEMPORAL_SERVER_VERSION}`,
  binary: 'temporal-sql-tool',
  installedAs: 'sql',
  goPackage: 'go.temporal.io/server/cmd/tools/sql',
  version: TEMPORAL_SERVER_VERSION,
  envVar: 'TEMPORAL_SQL_TOOL_PATH',
  versionPattern: new RegExp(`version ${dotted(TEMPORAL_SERVER_VERSION)}\\b`),
};

const UI_SERVER: GoTool = {
  title: 'Temporal Web UI server',
  cacheDir: `temporal-ui-server-v${TEMPORAL_UI_SERVER_VERSION}`,
  binary: 'temporal-ui-server',
  installedAs: 'server',
  goPackage: 'github.com/temporalio/ui-server/v2/cmd/server',
  version: TEMPORAL_UI_SERVER_VERSION,
  envVar: 'TEMPORAL_UI_SERVER_PATH',
  versionPattern: new RegExp(`version ${dotted(TEMPORAL_UI_SERVER_VERSION)}\\b`),
};

function cachePath(tool: GoTool): string {
  return join(toolsCacheDir(), tool.cacheDir, tool.binary);
}

export const temporalServerCachePath = (): string => cachePath(SERVER);
export const temporalSqlToolCachePath = (): string => cachePath(SQL_TOOL);
export const temporalUiServerCachePath = (): string => cachePath(UI_SERVER);

async function reportsVersion(tool: GoTool, path: string): Promise<boolean> {
  if (!(await isExecutableFile(path))) return false;
  const { ok, output } = await probe(path, ['--version']);
  if (ok && tool.versionPattern.test(output)) return true;
  log(`ignoring ${path}: \`--version\` gave "${output.split('\n')[0]}", expected ${tool.version}`);
  return false;
}

async function fromEnvironment(tool: GoTool, configured: string): Promise<string> {
  const path = resolve(configured);
  if (!(await isExecutableFile(path))) {
    throw new Error(`${tool.envVar} is set to "${configured}", but no executable file exists there; fix or unset ${tool.envVar}`);
  }
  const { ok, output } = await probe(path, ['--version']);
  if (!ok) throw new Error(`${tool.envVar} is set to "${configured}", but \`${path} --version\` failed: ${output}`);
  return path;
}

/** `go install` into a staging GOBIN, then renamed into the cache: readers never run a half-written binary. */
async function buildWithGo(tools: GoTool[]): Promise<void> {
  const go = await findExecutable('go', ['/usr/local/go/bin']);
  if (!go) {
    throw new Error(
      `Cannot provision the ${tools.map((tool) => tool.title).join(' and ')}: not in the tools cache (${toolsCacheDir()}) and Go is not installed to build ` +
        `${tools.length > 1 ? 'them' : 'it'}. Install Go 1.24 or newer, or set ${tools.map((tool) => tool.envVar).join(' and ')}.`,
    );
  }
  const staging = join(toolsCacheDir(), `${tools[0]!.cacheDir}.${process.pid}.staging`);
  await rm(staging, { recursive: true, force: true });
  log(`building ${tools.map((tool) => `${tool.title} v${tool.version}`).join(' and ')} with ${go} (several minutes on a cold Go cache; once per machine)`);
  try {
    await runLogged(go, ['install', '-ldflags', '-s -w', ...tools.map((tool) => `${tool.goPackage}@v${tool.version}`)], {
      label: `go install ${tools.map((tool) => tool.binary).join(' ')}`,
      env: { ...process.env, GOBIN: staging },
    });
    for (const tool of tools) {
      const target = cachePath(tool);
      await mkdir(join(target, '..'), { recursive: true });
      await rename(join(staging, tool.installedAs), target);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  for (const tool of tools) {
    if (!(await reportsVersion(tool, cachePath(tool)))) throw new Error(`Built ${cachePath(tool)}, but it does not report version ${tool.version}`);
  }
}

/**
 * Absolute paths of tools built together (one `go install`, one module): each tool's environment
 * variable when set, else the cache, else a build with Go under a cache lock.
 */
async function resolveGoTools(tools: GoTool[]): Promise<string[]> {
  const configured = tools.map((tool) => process.env[tool.envVar]?.trim());
  const paths: Array<string | undefined> = [];
  for (const [index, tool] of tools.entries()) {
    const value = configured[index];
    if (value) paths.push(await fromEnvironment(tool, value));
    else paths.push((await reportsVersion(tool, cachePath(tool))) ? cachePath(tool) : undefined);
  }
  const missing = tools.filter((_, index) => paths[index] === undefined);
  if (missing.length === 0) return paths as string[];
  await withCacheLock(missing[0]!.cacheDir, async () => {
    // Another process may have finished the build while this one waited for the lock.
    const stillMissing: GoTool[] = [];
    for (const tool of missing) if (!(await reportsVersion(tool, cachePath(tool)))) stillMissing.push(tool);
    if (stillMissing.length > 0) await buildWithGo(stillMissing);
  });
  return tools.map((tool, index) => paths[index] ?? cachePath(tool));
}

export interface TemporalServerTools {
  /** `temporal-server`: `start` runs frontend, history, matching and worker in one process. */
  server: string;
  /** `temporal-sql-tool`: creates the databases and sets up and upgrades their schemas. */
  sqlTool: string;
  /** `temporal-ui-server`: the Web UI in front of the server's frontend. */
  uiServer: string;
}

/**
 * The real Temporal server, its SQL schema tool and the Web UI server, each from its environment
 * variable (`TEMPORAL_SERVER_PATH`, `TEMPORAL_SQL_TOOL_PATH`, `TEMPORAL_UI_SERVER_PATH`), the tools
 * cache, or built with `go install` from the Go module proxy (once per machine).
 */
export async function resolveTemporalServer(): Promise<TemporalServerTools> {
  // One after the other: two Go builds at once would only fight over the cores.
  const [server, sqlTool] = await resolveGoTools([SERVER, SQL_TOOL]);
  const [uiServer] = await resolveGoTools([UI_SERVER]);
  return { server: server!, sqlTool: sqlTool!, uiServer: uiServer! };
}
