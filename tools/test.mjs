// `npm test`: installs what is missing, provisions the Temporal CLI, the real Temporal server with
// its SQL tool and Web UI server (engine mode `server`) and the time-skipping test server, warms
// Nx's project graph (module-boundary lint), runs every Vitest project and ends with one line
// `N passed, N failed`. Extra arguments go to Vitest (e.g. `npm test -- --project gateway`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDependencies, workspaceRoot } from './bootstrap.mjs';

ensureDependencies();

const run = (command, args, options = {}) =>
  spawnSync(command, args, { cwd: workspaceRoot, stdio: 'inherit', ...options });

const provision = spawnSync(
  process.execPath,
  ['-r', join(workspaceRoot, 'tools/register.cjs'), join(workspaceRoot, 'tools/provision/cli.ts'), 'all'],
  { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
);
if (provision.status !== 0) {
  console.error('[continuum] could not provision the Temporal CLI, server and test server (see above)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const env = { ...process.env, NX_DAEMON: 'false' };
for (const line of provision.stdout.trim().split('\n')) {
  const match = /^([A-Z_]+)='(.*)'$/.exec(line);
  if (match) env[match[1]] = match[2].replace(/'\\''/g, "'");
}

// The Web UI test drives a real Chromium from the system's packages (never a downloaded browser).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.error('[continuum] installing chromium from the system packages for the browser tests…');
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env: aptEnv });
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: aptEnv });
  }
  if (!existsSync(chromiumPath)) {
    console.error(`[continuum] ${chromiumPath} is missing: install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH`);
  }
}

run('npx', ['nx', 'show', 'projects'], { env, stdio: ['ignore', 'ignore', 'inherit'] });

const reportDir = join(workspaceRoot, 'reports');
const report = join(reportDir, 'vitest.json');
mkdirSync(reportDir, { recursive: true });
rmSync(report, { force: true });
const vitest = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  env,
});

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests;
  // A file whose set-up failed (beforeAll) skips its tests: it counts as one failure of its own.
  const failedSetups = (result.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  failed = (result.numFailedTests ?? 0) + failedSetups;
} else {
  failed = 1;
}
if (vitest.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(vitest.status === 0 && failed === 0 ? 0 : 1);
