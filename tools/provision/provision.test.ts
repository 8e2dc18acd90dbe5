import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir, hostname, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { withCacheLock } from './cache';
import { resolveTemporalCli, resolveTemporalServer, resolveTestServer, toolsCacheDir } from './index';

const HOUR_MS = 60 * 60 * 1000;
// On a fresh machine the first resolution builds the tools (minutes for a cold Go build).
const PROVISION_TIMEOUT_MS = 30 * 60_000;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('toolsCacheDir', () => {
  it('defaults to ~/.cache/continuum and honours CONTINUUM_TOOLS_CACHE', () => {
    vi.stubEnv('CONTINUUM_TOOLS_CACHE', '');
    expect(toolsCacheDir()).toBe(join(homedir(), '.cache', 'continuum'));
    vi.stubEnv('CONTINUUM_TOOLS_CACHE', '/tmp/elsewhere');
    expect(toolsCacheDir()).toBe('/tmp/elsewhere');
  });
});

describe('resolveTemporalCli', () => {
  it(
    'returns an executable Temporal CLI v1.5.1',
    async () => {
      vi.stubEnv('TEMPORAL_CLI_PATH', '');
      // Some other `temporal` on PATH would win by design; this test is about the cache/download/build route.
      const searchPath = (process.env.PATH ?? '').split(delimiter).filter((dir) => !existsSync(join(dir, 'temporal')));
      vi.stubEnv('PATH', searchPath.join(delimiter));
      const path = await resolveTemporalCli();
      expect(execFileSync(path, ['--version'], { encoding: 'utf8' })).toMatch(/version v?1\.5\.1\b/);
    },
    PROVISION_TIMEOUT_MS,
  );

  it('prefers a working `temporal` on PATH to building one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'continuum-path-'));
    try {
      const fake = join(dir, 'temporal');
      await writeFile(fake, '#!/bin/sh\necho "temporal version 9.9.9"\n');
      await chmod(fake, 0o755);
      vi.stubEnv('TEMPORAL_CLI_PATH', '');
      vi.stubEnv('CONTINUUM_TOOLS_CACHE', join(dir, 'empty-cache'));
      vi.stubEnv('PATH', `${dir}${delimiter}${process.env.PATH ?? ''}`);
      expect(await resolveTemporalCli()).toBe(fake);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names TEMPORAL_CLI_PATH when it points at a missing file', async () => {
    vi.stubEnv('TEMPORAL_CLI_PATH', '/nonexistent/temporal');
    await expect(resolveTemporalCli()).rejects.toThrow(/TEMPORAL_CLI_PATH.*\/nonexistent\/temporal/);
  });
});

describe('resolveTemporalServer', () => {
  it(
    'returns the Temporal server and SQL tool v1.29.1 and the Web UI server v2.42.1',
    async () => {
      vi.stubEnv('TEMPORAL_SERVER_PATH', '');
      vi.stubEnv('TEMPORAL_SQL_TOOL_PATH', '');
      vi.stubEnv('TEMPORAL_UI_SERVER_PATH', '');
      const tools = await resolveTemporalServer();
      expect(execFileSync(tools.server, ['--version'], { encoding: 'utf8' })).toMatch(/^temporal version 1\.29\.1\b/);
      expect(execFileSync(tools.sqlTool, ['--version'], { encoding: 'utf8' })).toMatch(/^temporal-sql-tool version 1\.29\.1\b/);
      expect(execFileSync(tools.uiServer, ['--version'], { encoding: 'utf8' })).toMatch(/^Temporal UI version 2\.42\.1\b/);
      // Kept outside the repository, in the tools cache.
      for (const path of Object.values(tools)) expect(path.startsWith(toolsCacheDir())).toBe(true);
    },
    PROVISION_TIMEOUT_MS,
  );

  it('uses the executables the environment names instead of building', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'continuum-server-tools-'));
    try {
      const tools: Record<string, string> = {};
      for (const [name, variable] of [
        ['server', 'TEMPORAL_SERVER_PATH'],
        ['sql', 'TEMPORAL_SQL_TOOL_PATH'],
        ['ui', 'TEMPORAL_UI_SERVER_PATH'],
      ] as const) {
        const path = join(dir, name);
        await writeFile(path, `#!/bin/sh\necho "${name} version 0.0.1"\n`);
        await chmod(path, 0o755);
        vi.stubEnv(variable, path);
        tools[name] = path;
      }
      vi.stubEnv('CONTINUUM_TOOLS_CACHE', join(dir, 'empty-cache'));
      expect(await resolveTemporalServer()).toEqual({ server: tools['server'], sqlTool: tools['sql'], uiServer: tools['ui'] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names TEMPORAL_SQL_TOOL_PATH when it points at a missing file', async () => {
    vi.stubEnv('TEMPORAL_SQL_TOOL_PATH', '/nonexistent/temporal-sql-tool');
    await expect(resolveTemporalServer()).rejects.toThrow(/TEMPORAL_SQL_TOOL_PATH is set to "\/nonexistent\/temporal-sql-tool"/);
  });
});

describe('resolveTestServer', () => {
  it('names TEMPORAL_TEST_SERVER_PATH when it points at a missing file', async () => {
    vi.stubEnv('TEMPORAL_TEST_SERVER_PATH', '/nonexistent/temporal-test-server');
    await expect(resolveTestServer()).rejects.toThrow(/TEMPORAL_TEST_SERVER_PATH/);
  });

  describe('with the time-skipping test server', () => {
    let testServer: string;

    beforeAll(async () => {
      vi.stubEnv('TEMPORAL_TEST_SERVER_PATH', '');
      testServer = await resolveTestServer();
    }, PROVISION_TIMEOUT_MS);

    it('skips an hour of server time on env.sleep', async () => {
      const env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: testServer } },
      });
      try {
        const before = await env.currentTimeMs();
        await env.sleep('1 hour');
        const after = await env.currentTimeMs();
        expect(after - before).toBeGreaterThanOrEqual(HOUR_MS);
      } finally {
        await env.teardown();
      }
    });
  });
});

describe('withCacheLock', () => {
  it('runs concurrent holders one at a time and takes over a lock left by a dead process', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'continuum-lock-'));
    vi.stubEnv('CONTINUUM_TOOLS_CACHE', cache);
    try {
      const deadPid = 2 ** 22 + 1; // above Linux's pid_max, so no process has it
      await writeFile(join(cache, 'tool.lock'), `${deadPid}\n${hostname()}\n`);
      const events: string[] = [];
      const hold = (name: string) =>
        withCacheLock('tool', async () => {
          events.push(`${name}:start`);
          await new Promise((wake) => setTimeout(wake, 50));
          events.push(`${name}:end`);
        });
      await Promise.all([hold('a'), hold('b')]);
      expect(events).toHaveLength(4);
      expect(events[0]!.replace(/:.*/, '')).toBe(events[1]!.replace(/:.*/, ''));
      expect(await readdir(cache)).toEqual([]);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
